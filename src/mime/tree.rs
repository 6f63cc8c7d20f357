//! The part tree of a message, as IMAP numbers it (RFC 3501 §6.4.5), built on mail-parser.
//!
//! Every entry point of `mime` starts here: APPEND (`analyze`) turns the tree into
//! BODYSTRUCTURE, FETCH (`section`) walks it to a part's raw bytes. mail-parser finds the
//! parts, boundaries and header fields; this module keeps only its raw offsets (clamped, so
//! a confused parse can never make us slice out of bounds) and makes, in one place, every
//! decision about malformed structure, so BODYSTRUCTURE and BODY[section] always agree:
//!
//! - no header fields and no blank line: the whole message is header, the body is empty;
//! - a multipart without a usable boundary, or whose boundary never occurs, or that has no
//!   complete part: a text/plain leaf (Dovecot also shows a multipart without boundary as
//!   text/plain; where Dovecot invents an empty text/plain child for a multipart with no
//!   parts we keep the body visible as text instead);
//! - a part header cut off by the end of the message (no blank line): mail-parser drops
//!   that part, so the multipart shows the parts before it;
//! - unterminated multipart: the last part runs to the end of the message (as Dovecot);
//! - message/rfc822 with a base64 / quoted-printable encoding (RFC 2046 §5.2.1 forbids it):
//!   a leaf, since its sub-parts would not be raw bytes of the stored message;
//! - nesting deeper than [`MAX_DEPTH`]: the rest is one leaf (Dovecot's limit is also 100);
//! - a Content-Type without type or subtype: the RFC 2045 §5.2 default, text/plain;
//! - message/global and other message/* types: leaves (RFC 3501 gives ENVELOPE and parts
//!   only to message/rfc822).
//!
//! Leniencies that come from mail-parser and are kept as they are: bare LF line endings
//! work like CRLF; a header line without a colon is skipped and does not end the header
//! (like Dovecot); a whitespace-only line ends the header; 8-bit bytes in fields are kept
//! raw; a boundary delimiter is recognised wherever `--boundary` occurs, not only at the
//! start of a line; the header of a message/rfc822 part whose content has no blank line is
//! read past the enclosing boundary (structure then comes out odd, but in bounds).

use super::{headers, params, params::MediaValue};
use mail_parser::{Header, HeaderName, Message, MessageParser, PartType};
use std::ops::Range;
use std::sync::LazyLock;

/// Deepest nesting of multiparts and messages shown as structure.
pub(crate) const MAX_DEPTH: usize = 100;

/// mail-parser set up to interpret only what the structure needs: Content-Type (type and
/// boundary). Other fields are located but not parsed, and Content-Transfer-Encoding is
/// deliberately not interpreted, so mail-parser does not decode base64 / quoted-printable
/// bodies that IMAP serves raw anyway (this halves APPEND's cost).
static FAST: LazyLock<MessageParser> = LazyLock::new(|| {
    MessageParser::new()
        .header_content_type(HeaderName::ContentType)
        .default_header_ignore()
});

/// The same with transfer encodings understood, for the rare message that needs it.
static DECODING: LazyLock<MessageParser> = LazyLock::new(|| {
    MessageParser::new()
        .header_content_type(HeaderName::ContentType)
        .header_text(HeaderName::ContentTransferEncoding)
        .default_header_ignore()
});

/// Parses a message for its structure; None only when mail-parser finds neither a header
/// field nor a blank line. Without the transfer encoding, mail-parser would read an encoded
/// message/rfc822 body as a message and its header scan could run past the boundary, so
/// such a message is parsed again with encodings understood (its parts then end where
/// mail-parser's decoder says, and `part` shows the encoded message as a leaf).
pub(crate) fn parse(raw: &[u8]) -> Parsed<'_> {
    let fast = Parsed(FAST.parse(raw));
    match fast.get() {
        Some(m) if has_encoded_message(raw, m, 0) => Parsed(DECODING.parse(raw)),
        _ => fast,
    }
}

/// A mail-parser parse that is dropped without recursion. mail-parser nests every
/// encapsulated message inside its parent, and the derived drop recurses once per level:
/// a 13 MB APPEND of 400,000 nested message/rfc822 headers would overflow the stack.
pub(crate) struct Parsed<'a>(pub Option<Message<'a>>);

impl<'a> Parsed<'a> {
    pub fn get(&self) -> Option<&Message<'a>> {
        self.0.as_ref()
    }
}

impl Drop for Parsed<'_> {
    fn drop(&mut self) {
        let mut pending: Vec<Message<'_>> = self.0.take().into_iter().collect();
        while let Some(mut m) = pending.pop() {
            for p in &mut m.parts {
                if let PartType::Message(inner) = std::mem::take(&mut p.body) {
                    pending.push(inner);
                }
            }
        }
    }
}

/// A part mail-parser may take for a message (declared `message/*`, or without a
/// Content-Type, as in a digest) whose transfer encoding is not the identity.
fn has_encoded_message(raw: &[u8], m: &Message<'_>, depth: usize) -> bool {
    m.parts.iter().any(|p| {
        let ctype = p
            .headers
            .iter()
            .find(|h| h.name == HeaderName::ContentType)
            .and_then(|h| h.value.as_content_type());
        let message_like = ctype.is_none_or(|c| c.ctype().eq_ignore_ascii_case("message"));
        (message_like && !identity_encoding(raw, &p.headers))
            || matches!(&p.body, PartType::Message(inner)
                if depth < MAX_DEPTH && has_encoded_message(raw, inner, depth + 1))
    })
}

/// One entity: a message, or a body part of a multipart.
#[derive(Debug)]
pub(crate) struct Node<'a> {
    pub headers: &'a [Header<'a>],
    /// The header block including the blank line that ends it.
    pub header: Range<usize>,
    /// The body as stored (encoded), without the line break that precedes a boundary.
    pub body: Range<usize>,
    /// Content-Type as written, defaults and degradations applied.
    pub media: MediaValue,
    pub kind: Kind<'a>,
}

#[derive(Debug)]
pub(crate) enum Kind<'a> {
    Leaf,
    Multi(Vec<Node<'a>>),
    /// message/rfc822: the encapsulated message, header and body spanning this part's body.
    Message(Box<Node<'a>>),
}

/// The tree of the whole message.
pub(crate) fn root<'a>(raw: &'a [u8], msg: Option<&'a Message<'a>>) -> Node<'a> {
    match msg {
        Some(m) if !m.parts.is_empty() => message(raw, m, 0..raw.len(), 0),
        // No field and no blank line: all header (RFC 3501 §7.4.2 sizes follow from that).
        _ => Node {
            headers: &[],
            header: 0..raw.len(),
            body: raw.len()..raw.len(),
            media: default_media(false),
            kind: Kind::Leaf,
        },
    }
}

/// A message occupying exactly `bounds`: its header starts and its body ends there.
fn message<'a>(raw: &'a [u8], m: &'a Message<'a>, bounds: Range<usize>, depth: usize) -> Node<'a> {
    let mut node = part(raw, m, 0, bounds.clone(), depth, false);
    node.header.start = bounds.start;
    node.body.end = bounds.end.max(node.body.start);
    node
}

fn part<'a>(
    raw: &'a [u8],
    m: &'a Message<'a>,
    idx: usize,
    bounds: Range<usize>,
    depth: usize,
    in_digest: bool,
) -> Node<'a> {
    let Some(p) = m.parts.get(idx) else {
        return empty_leaf(bounds.end);
    };
    let header = clamp(p.offset_header, p.offset_body, &bounds);
    let body = clamp(p.offset_body, p.offset_end, &(header.end..bounds.end));
    let media = media_of(raw, &p.headers, in_digest);
    let kind = match &p.body {
        _ if depth >= MAX_DEPTH => Kind::Leaf,
        PartType::Multipart(ids) if media.kind.eq_ignore_ascii_case("multipart") => {
            let digest = media.subtype.eq_ignore_ascii_case("digest");
            let children: Vec<Node<'a>> = ids
                .iter()
                .map(|&id| id as usize)
                // Children always follow their parent; anything else would be a cycle.
                .filter(|&id| id > idx)
                .map(|id| part(raw, m, id, body.clone(), depth + 1, digest))
                .collect();
            if children.is_empty() {
                Kind::Leaf
            } else {
                Kind::Multi(children)
            }
        }
        PartType::Message(inner)
            if is_rfc822(&media)
                && identity_encoding(raw, &p.headers)
                && inner.raw_message.as_ptr() == raw.as_ptr()
                && !inner.parts.is_empty() =>
        {
            Kind::Message(Box::new(message(raw, inner, body.clone(), depth + 1)))
        }
        _ => Kind::Leaf,
    };
    let media = if matches!(kind, Kind::Leaf) && media.kind.eq_ignore_ascii_case("multipart") {
        default_media(false)
    } else {
        media
    };
    Node {
        headers: &p.headers,
        header,
        body,
        media,
        kind,
    }
}

fn empty_leaf(at: usize) -> Node<'static> {
    Node {
        headers: &[],
        header: at..at,
        body: at..at,
        media: default_media(false),
        kind: Kind::Leaf,
    }
}

/// `start..end` from mail-parser offsets, forced inside `bounds` and non-decreasing.
fn clamp(start: u32, end: u32, bounds: &Range<usize>) -> Range<usize> {
    let lo = bounds.start.min(bounds.end);
    let start = (start as usize).clamp(lo, bounds.end);
    let end = (end as usize).clamp(start, bounds.end);
    start..end
}

/// RFC 2045 §6.1: 7bit, 8bit and binary leave the body as it is; only then are the
/// encapsulated message's parts raw bytes of the stored message.
fn identity_encoding(raw: &[u8], fields: &[Header<'_>]) -> bool {
    headers::first(raw, fields, "Content-Transfer-Encoding").is_none_or(|f| {
        let cte = params::first_token(f.value);
        cte.is_empty()
            || ["7bit", "8bit", "binary"]
                .iter()
                .any(|e| cte.eq_ignore_ascii_case(e))
    })
}

fn is_rfc822(media: &MediaValue) -> bool {
    media.kind.eq_ignore_ascii_case("message") && media.subtype.eq_ignore_ascii_case("rfc822")
}

/// The Content-Type of an entity; RFC 2045 §5.2 default when absent or unusable, and
/// message/rfc822 inside multipart/digest (RFC 2046 §5.1.5).
fn media_of(raw: &[u8], fields: &[Header<'_>], in_digest: bool) -> MediaValue {
    match headers::first(raw, fields, "Content-Type") {
        Some(f) => {
            let v = params::parse(f.value, true);
            if v.kind.is_empty() || v.subtype.is_empty() {
                default_media(false)
            } else {
                v
            }
        }
        None => default_media(in_digest),
    }
}

/// The implicit type, spelled as Dovecot spells it.
pub(crate) fn default_media(in_digest: bool) -> MediaValue {
    if in_digest {
        MediaValue {
            kind: "message".into(),
            subtype: "rfc822".into(),
            params: Vec::new(),
        }
    } else {
        MediaValue {
            kind: "text".into(),
            subtype: "plain".into(),
            params: vec![("charset".into(), b"us-ascii".to_vec())],
        }
    }
}
