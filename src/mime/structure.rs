//! BODYSTRUCTURE (RFC 3501 §7.4.2, formal syntax `body` in §9) from the part tree.
//!
//! Computed once at APPEND by `analyze` and stored; the encoder renders it (and BODY, its
//! non-extensible subset). Values follow Dovecot's conventions:
//!
//! - media type, subtype, parameter names and values, encoding and disposition type are
//!   sent as written in the message (no case change; RFC 2231 values left encoded);
//! - the implicit Content-Type is `"text" "plain" ("charset" "us-ascii")`, and a text/*
//!   part without a charset parameter gets `"charset" "us-ascii"` appended (RFC 2045 §5.2
//!   default, made explicit as Dovecot does);
//! - the implicit encoding is `7BIT` (upper case, as the shared type documents and as the
//!   RFC 3501 §7.4.2 example shows; Dovecot writes `"7bit"`);
//! - `size` is octets of the body as stored, `lines` the number of LF in it (Dovecot), for
//!   text/* and message/rfc822 parts.

use super::envelope::envelope;
use super::headers::{first, value};
use super::params::{first_token, language_list, parse};
use super::tree::{Kind, Node};
use crate::wire::types::{BodyFields, BodyStructure, Disposition, MultiExt, SingleExt, SingleKind};

/// The body structure of `node` and everything below it.
pub(crate) fn structure(raw: &[u8], node: &Node<'_>) -> BodyStructure {
    counted(raw, node, false).0
}

/// The structure, and (when `total` is asked for, i.e. inside a message/rfc822 part) the
/// number of LF in the node, header and body. Counts are built bottom-up so that each byte
/// is counted once however deep the nesting: a message/rfc822 part's `lines` is its
/// encapsulated message's total.
fn counted(raw: &[u8], node: &Node<'_>, total: bool) -> (BodyStructure, usize) {
    let count = |range: std::ops::Range<usize>| if total { lf(raw, range) } else { 0 };
    let header_lf = count(node.header.clone());
    match &node.kind {
        Kind::Multi(children) => {
            let mut body_lf = 0;
            let mut pos = node.body.start;
            let mut parts = Vec::with_capacity(children.len());
            for c in children {
                let (part, n) = counted(raw, c, total);
                // Preamble, boundary lines and epilogue are counted between the parts.
                body_lf += count(pos..c.header.start) + n;
                pos = pos.max(c.body.end);
                parts.push(part);
            }
            body_lf += count(pos..node.body.end);
            let multi = BodyStructure::Multi {
                parts,
                subtype: node.media.subtype.clone(),
                ext: MultiExt {
                    params: node.media.params.clone(),
                    disposition: disposition(raw, node),
                    language: language(raw, node),
                    location: value(raw, node.headers, "Content-Location"),
                },
            };
            (multi, header_lf + body_lf)
        }
        Kind::Message(inner) => {
            let (body, lines) = counted(raw, inner, true);
            let kind = SingleKind::Message {
                envelope: Box::new(envelope(raw, inner.headers)),
                body: Box::new(body),
                lines: saturate(lines),
            };
            (single(raw, node, kind), header_lf + lines)
        }
        Kind::Leaf => {
            let is_text = node.media.kind.eq_ignore_ascii_case("text");
            let lines = if is_text {
                lf(raw, node.body.clone())
            } else {
                count(node.body.clone())
            };
            let kind = if is_text {
                SingleKind::Text {
                    lines: saturate(lines),
                }
            } else {
                SingleKind::Basic
            };
            (single(raw, node, kind), header_lf + lines)
        }
    }
}

fn single(raw: &[u8], node: &Node<'_>, kind: SingleKind) -> BodyStructure {
    let mut params = node.media.params.clone();
    if node.media.kind.eq_ignore_ascii_case("text") && node.media.param("charset").is_none() {
        params.push(("charset".into(), b"us-ascii".to_vec()));
    }
    let encoding = first(raw, node.headers, "Content-Transfer-Encoding")
        .map(|f| first_token(f.value))
        .filter(|e| !e.is_empty())
        .unwrap_or_else(|| "7BIT".into());
    let fields = BodyFields {
        media_type: node.media.kind.clone(),
        subtype: node.media.subtype.clone(),
        params,
        id: value(raw, node.headers, "Content-ID"),
        description: value(raw, node.headers, "Content-Description"),
        encoding,
        size: saturate(node.body.len()),
    };
    BodyStructure::Single {
        fields,
        kind,
        ext: SingleExt {
            md5: value(raw, node.headers, "Content-MD5"),
            disposition: disposition(raw, node),
            language: language(raw, node),
            location: value(raw, node.headers, "Content-Location"),
        },
    }
}

/// Content-Disposition (RFC 2183); None when absent or without a disposition type.
fn disposition(raw: &[u8], node: &Node<'_>) -> Option<Disposition> {
    let v = parse(
        first(raw, node.headers, "Content-Disposition")?.value,
        false,
    );
    (!v.kind.is_empty()).then_some(Disposition {
        kind: v.kind,
        params: v.params,
    })
}

/// Content-Language (RFC 3282) tags; empty when absent (rendered NIL).
fn language(raw: &[u8], node: &Node<'_>) -> Vec<Vec<u8>> {
    first(raw, node.headers, "Content-Language")
        .map(|f| language_list(f.value))
        .unwrap_or_default()
}

/// LF in `raw[range]`; an empty or inverted range counts none.
fn lf(raw: &[u8], range: std::ops::Range<usize>) -> usize {
    raw.get(range)
        .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count())
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
