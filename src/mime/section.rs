//! `BODY[section]` bytes (RFC 3501 §6.4.5) for FETCH.
//!
//! Called by `handlers::fetch` with the stored raw message; the handler applies
//! `<partial>` and the encoder picks quoted or literal. Everything is returned exactly as
//! stored (no transfer decoding, no line-ending repair); the only synthesized bytes are the
//! CRLF blank line that RFC 3501 puts after a `HEADER.FIELDS` subset.

use super::headers::{self, Field};
use super::tree::{self, Kind, Node};
use crate::wire::types::{Section, SectionText};

/// Where a part number leads: a message (whose HEADER / TEXT can be asked for) or a part.
#[derive(Clone, Copy)]
enum Target<'n, 'a> {
    Message(&'n Node<'a>),
    Part(&'n Node<'a>),
}

/// The bytes of `BODY[section]`, or None when the part does not exist or the specifier
/// does not apply to it.
pub(crate) fn section(raw: &[u8], section: &Section) -> Option<Vec<u8>> {
    let msg = tree::parse(raw);
    let root = tree::root(raw, msg.get());
    let mut target = Target::Message(&root);
    for &n in &section.part {
        target = step(target, n)?;
    }
    let slice = |r: std::ops::Range<usize>| raw.get(r).map(<[u8]>::to_vec);
    match (&section.text, target) {
        // `BODY[]`: the whole message; `BODY[n]`: the part's body, which for a
        // message/rfc822 part is the whole encapsulated message.
        (None, Target::Message(_)) => Some(raw.to_vec()),
        (None, Target::Part(p)) => slice(p.body.clone()),
        (Some(SectionText::Mime), Target::Part(p)) => slice(p.header.clone()),
        (Some(SectionText::Mime), Target::Message(_)) => None,
        (Some(text), target) => {
            let m = message_of(target)?;
            match text {
                SectionText::Header => slice(m.header.clone()),
                SectionText::Text => slice(m.body.clone()),
                SectionText::HeaderFields(names) => Some(header_fields(raw, m, names, true)),
                SectionText::HeaderFieldsNot(names) => Some(header_fields(raw, m, names, false)),
                SectionText::Mime => None,
            }
        }
    }
}

/// One part number down. Part 1 of a non-multipart message is its body (RFC 3501 §6.4.5);
/// the numbers after a message/rfc822 part address the encapsulated message's parts.
fn step<'n, 'a>(target: Target<'n, 'a>, n: u32) -> Option<Target<'n, 'a>> {
    let idx = usize::try_from(n).ok()?.checked_sub(1)?;
    match target {
        Target::Message(m) => match &m.kind {
            Kind::Multi(children) => children.get(idx).map(Target::Part),
            _ => (idx == 0).then_some(Target::Part(m)),
        },
        Target::Part(p) => match &p.kind {
            Kind::Multi(children) => children.get(idx).map(Target::Part),
            Kind::Message(inner) => step(Target::Message(inner), n),
            Kind::Leaf => None,
        },
    }
}

/// HEADER, HEADER.FIELDS and TEXT apply to a message: the top level or a message/rfc822
/// part (RFC 3501 §6.4.5). Other parts have only MIME.
fn message_of<'n, 'a>(target: Target<'n, 'a>) -> Option<&'n Node<'a>> {
    match target {
        Target::Message(m) => Some(m),
        Target::Part(p) => match &p.kind {
            Kind::Message(inner) => Some(inner),
            _ => None,
        },
    }
}

/// `HEADER.FIELDS (names)` (`keep` true) or `HEADER.FIELDS.NOT (names)`: whole field lines
/// as stored, in message order, names compared case-insensitively, then a CRLF blank line.
/// NOT keeps everything else of the header block, including lines mail-parser could not
/// read as fields (a client asking for "all but X" should still see them).
fn header_fields(raw: &[u8], m: &Node<'_>, names: &[String], keep: bool) -> Vec<u8> {
    let block = m.header.clone();
    let end = without_blank_line(raw, block.clone());
    let wanted = |f: &Field<'_>| {
        names
            .iter()
            .any(|n| f.name.eq_ignore_ascii_case(n.as_bytes()))
    };
    let mut out = Vec::new();
    let mut pos = block.start;
    for f in headers::fields(raw, m.headers).filter(|f| wanted(f)) {
        if f.span.start < pos || f.span.end > end {
            continue;
        }
        if keep {
            out.extend_from_slice(&raw[f.span.clone()]);
            // A last field cut off by the end of the message has no line ending.
            if !out.ends_with(b"\n") {
                out.extend_from_slice(b"\r\n");
            }
        } else {
            out.extend_from_slice(&raw[pos..f.span.start]);
        }
        pos = f.span.end;
    }
    if !keep {
        out.extend_from_slice(raw.get(pos..end).unwrap_or_default());
        if !out.is_empty() && !out.ends_with(b"\n") {
            out.extend_from_slice(b"\r\n");
        }
    }
    out.extend_from_slice(b"\r\n");
    out
}

/// End of the header block without its terminating blank line (which may be whitespace
/// followed by a line break, as mail-parser accepts). Unchanged when there is none.
fn without_blank_line(raw: &[u8], block: std::ops::Range<usize>) -> usize {
    let Some(bytes) = raw.get(block.clone()) else {
        return block.start;
    };
    let Some(body) = bytes.strip_suffix(b"\n") else {
        return block.end;
    };
    let line_start = body.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    if body[line_start..]
        .iter()
        .all(|b| matches!(b, b' ' | b'\t' | b'\r'))
    {
        block.start + line_start
    } else {
        block.end
    }
}

#[cfg(test)]
#[path = "section_tests.rs"]
mod tests;
