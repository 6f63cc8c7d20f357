//! Text matching and the sent date for SEARCH (RFC 3501 §6.4.4).
//!
//! Called by `handlers::search` once per message and key, so a whole-mailbox search runs
//! this over every stored message: header keys parse only the header block, and the body
//! is parsed (and decoded) only for BODY and TEXT. mail-parser does all decoding: RFC 2047
//! words in fields, base64 / quoted-printable bodies, charsets to UTF-8.

use super::{headers, tree};
use crate::wire::types::ImapDate;
use chrono::Datelike;
use mail_parser::parsers::MessageStream;
use mail_parser::{Header, HeaderName, HeaderValue, Message, MessageParser, PartType};
use std::sync::LazyLock;

/// Locates header fields without interpreting any; values are decoded on demand.
static HEADER_PARSER: LazyLock<MessageParser> =
    LazyLock::new(|| MessageParser::new().default_header_ignore());

/// mail-parser set up to decode bodies: transfer encodings (so it needs the
/// Content-Transfer-Encoding field) and charsets (from Content-Type).
static BODY_PARSER: LazyLock<MessageParser> = LazyLock::new(|| {
    MessageParser::new()
        .header_content_type(HeaderName::ContentType)
        .header_text(HeaderName::ContentTransferEncoding)
        .default_header_ignore()
});

/// Parses a message with its bodies decoded to text.
pub(crate) fn parse_decoded(raw: &[u8]) -> tree::Parsed<'_> {
    tree::Parsed(BODY_PARSER.parse(raw))
}

/// A search string, lower-cased once. RFC 3501 leaves the case rules to the server; ASCII
/// needles (the common case) are matched without allocating, others by Unicode
/// lower-casing both sides.
pub(crate) struct Needle {
    lower: String,
}

impl Needle {
    pub fn new(needle: &[u8]) -> Needle {
        Needle {
            lower: String::from_utf8_lossy(needle).to_lowercase(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.lower.is_empty()
    }

    pub fn found_in(&self, hay: &str) -> bool {
        if self.lower.is_empty() {
            true
        } else if self.lower.is_ascii() {
            ascii_icase_contains(hay.as_bytes(), self.lower.as_bytes())
        } else {
            hay.to_lowercase().contains(&self.lower)
        }
    }
}

/// Substring search, ASCII case-insensitive; `needle` is lower case and not empty.
fn ascii_icase_contains(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let upper = first.to_ascii_uppercase();
    let Some(last_start) = hay.len().checked_sub(needle.len()) else {
        return false;
    };
    let mut i = 0;
    while i <= last_start {
        match hay[i..=last_start]
            .iter()
            .position(|&b| b == first || b == upper)
        {
            None => return false,
            Some(p) => i += p,
        }
        if hay[i + 1..i + needle.len()].eq_ignore_ascii_case(rest) {
            return true;
        }
        i += 1;
    }
    false
}

/// A field value as text: unfolded, RFC 2047 words decoded (RFC 2047 §6.1), raw 8-bit
/// bytes read as UTF-8 (lossily).
pub(crate) fn decode_field(value: &[u8]) -> String {
    // mail-parser's unstructured parser wants the field's line ending; a last field cut
    // off by the end of the message has none.
    let owned;
    let value = if value.ends_with(b"\n") {
        value
    } else {
        owned = [value, b"\n"].concat();
        &owned
    };
    match MessageStream::new(value).parse_unstructured() {
        HeaderValue::Text(t) => t.into_owned(),
        _ => String::new(),
    }
}

/// `HEADER name`, FROM, TO, ...: any field called `name` whose decoded value contains the
/// needle; with an empty needle, any field called `name` (RFC 3501 §6.4.4).
pub(crate) fn header_matches(raw: &[u8], name: &str, needle: &Needle) -> bool {
    let Some(msg) = HEADER_PARSER.parse_headers(raw) else {
        return false;
    };
    let Some(part) = msg.parts.first() else {
        return false;
    };
    let found = headers::fields(raw, &part.headers)
        .filter(|f| f.name.eq_ignore_ascii_case(name.as_bytes()))
        .any(|f| needle.is_empty() || needle.found_in(&decode_field(f.value)));
    found
}

/// TEXT's header half: any field's name or decoded value.
pub(crate) fn any_header_matches(raw: &[u8], fields: &[Header<'_>], needle: &Needle) -> bool {
    headers::fields(raw, fields).any(|f| {
        needle.found_in(&String::from_utf8_lossy(f.name)) || needle.found_in(&decode_field(f.value))
    })
}

/// BODY (and TEXT's body half): the decoded text of every text part, the header and text of
/// encapsulated messages included; binary parts are skipped.
pub(crate) fn body_matches(msg: &Message<'_>, needle: &Needle, depth: usize) -> bool {
    msg.parts.iter().any(|p| match &p.body {
        PartType::Text(t) | PartType::Html(t) => needle.found_in(t),
        PartType::Message(inner) if depth < tree::MAX_DEPTH => {
            let raw = inner.raw_message.as_ref();
            let fields = inner.parts.first().map_or(&[][..], |p| &p.headers[..]);
            any_header_matches(raw, fields, needle) || body_matches(inner, needle, depth + 1)
        }
        _ => false,
    })
}

/// The calendar date of the first Date: field, in the field's own zone.
pub(crate) fn sent_date(raw: &[u8]) -> Option<ImapDate> {
    let msg = HEADER_PARSER.parse_headers(raw)?;
    let field = headers::first(raw, &msg.parts.first()?.headers, "Date")?;
    let mut value = field.value.to_vec();
    if !value.ends_with(b"\n") {
        value.push(b'\n');
    }
    let HeaderValue::DateTime(dt) = MessageStream::new(&value).parse_date() else {
        return None;
    };
    // mail-parser accepts any day number; a date that does not exist is no date.
    let date = chrono::NaiveDate::from_ymd_opt(dt.year.into(), dt.month.into(), dt.day.into())?;
    Some(ImapDate {
        year: date.year(),
        month: date.month(),
        day: date.day(),
    })
}

#[cfg(test)]
#[path = "search_tests.rs"]
mod tests;
