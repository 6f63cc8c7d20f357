//! Header fields of one entity, located by mail-parser and read back as raw bytes.
//!
//! Sits under every other `mime` module: ENVELOPE, BODYSTRUCTURE, `HEADER.FIELDS` and SEARCH
//! all need a field's raw value, which mail-parser gives only as offsets into the message.
//! mail-parser decides where a field starts and ends (continuation lines, garbage lines
//! without a colon, bare LF); this module only slices and unfolds.

use mail_parser::Header;
use std::ops::Range;

/// One header field as stored: its name (as written, without the colon) and raw value.
#[derive(Clone, Debug)]
pub(crate) struct Field<'a> {
    pub name: &'a [u8],
    /// The value after the colon, folding and final line ending included.
    pub value: &'a [u8],
    /// The whole field: name, colon, value and its line ending (RFC 2822 §2.2).
    pub span: Range<usize>,
}

/// The fields of an entity in message order. Offsets that mail-parser could not give
/// sensibly (a malformed entity) are clamped to the message, never trusted blindly.
pub(crate) fn fields<'a>(
    raw: &'a [u8],
    headers: &'a [Header<'a>],
) -> impl Iterator<Item = Field<'a>> + 'a {
    headers.iter().map(move |h| {
        let len = raw.len();
        let start = (h.offset_field as usize).min(len);
        let colon = (h.offset_start as usize).clamp(start, len);
        let end = (h.offset_end as usize).clamp(colon, len);
        let mut name = &raw[start..colon];
        // mail-parser's value starts after the colon; a line with no colon at all (which it
        // keeps as a field named after the whole line) has none to strip.
        if let Some(stripped) = name.strip_suffix(b":") {
            name = stripped;
        }
        Field {
            name: trim(name),
            value: &raw[colon..end],
            span: start..end,
        }
    })
}

/// The first field called `name` (ASCII case-insensitive, RFC 2822 §1.2.2). ENVELOPE and
/// the MIME fields appear once in a valid message; with duplicates the first wins, as in
/// Dovecot.
pub(crate) fn first<'a>(raw: &'a [u8], headers: &'a [Header<'a>], name: &str) -> Option<Field<'a>> {
    fields(raw, headers).find(|f| f.name.eq_ignore_ascii_case(name.as_bytes()))
}

/// The unfolded, trimmed raw value of the first `name` field; `Some(empty)` when the field
/// is present but empty.
pub(crate) fn value(raw: &[u8], headers: &[Header<'_>], name: &str) -> Option<Vec<u8>> {
    first(raw, headers, name).map(|f| unfold(f.value))
}

/// RFC 2822 §2.2.3 unfolding: line breaks inside a field are removed, the whitespace that
/// followed them stays. Also drops the field's own line ending and surrounding whitespace.
/// Lone CR and LF bytes are removed too: they can only come from a malformed message and
/// would break an IMAP quoted string.
pub(crate) fn unfold(value: &[u8]) -> Vec<u8> {
    trim(value)
        .iter()
        .copied()
        .filter(|&b| b != b'\r' && b != b'\n')
        .collect()
}

/// Strips SP, HTAB, CR and LF at both ends.
pub(crate) fn trim(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if !is_fws(*first) {
            break;
        }
        s = rest;
    }
    while let [rest @ .., last] = s {
        if !is_fws(*last) {
            break;
        }
        s = rest;
    }
    s
}

fn is_fws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unfold_removes_line_breaks_and_trims() {
        assert_eq!(unfold(b" a\r\n b\r\n\tc \r\n"), b"a b\tc");
        assert_eq!(unfold(b"\r\n"), b"");
        assert_eq!(unfold(b" x\n y\n"), b"x y");
    }

    #[test]
    fn fields_read_names_and_values() {
        let raw = b"Subject : hi\r\n there\r\nX-A:1\r\n\r\nbody";
        let msg = mail_parser::MessageParser::new().parse_headers(&raw[..]);
        let msg = msg.expect("headers");
        let got: Vec<_> = fields(raw, &msg.parts[0].headers)
            .map(|f| (f.name.to_vec(), unfold(f.value), f.span))
            .collect();
        assert_eq!(got[0], (b"Subject".to_vec(), b"hi there".to_vec(), 0..22));
        assert_eq!(got[1], (b"X-A".to_vec(), b"1".to_vec(), 22..29));
    }
}
