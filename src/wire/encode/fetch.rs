//! `* n FETCH (...)` (RFC 3501 §7.4.2 `msg-att`) and the section specifier shared with the
//! command encoder.

use super::body::{body, envelope};
use super::strings::{astring, date_time, flag_list, join, literal, number};
use super::EncodeOptions;
use crate::wire::response::FetchValue;
use crate::wire::types::{Section, SectionText};

/// `message-data = nz-number SP "FETCH" SP msg-att`, without the leading `* `.
pub(super) fn fetch(seq: u32, items: &[FetchValue], opts: &EncodeOptions, out: &mut Vec<u8>) {
    number(seq, out);
    out.extend_from_slice(b" FETCH (");
    join(items, out, |item, out| value(item, opts, out));
    out.push(b')');
}

fn value(item: &FetchValue, opts: &EncodeOptions, out: &mut Vec<u8>) {
    let name = |n: &str, out: &mut Vec<u8>| out.extend_from_slice(n.as_bytes());
    match item {
        FetchValue::Flags(flags) => {
            name("FLAGS ", out);
            flag_list(flags, out);
        }
        FetchValue::InternalDate(dt) => {
            name("INTERNALDATE ", out);
            date_time(dt, out);
        }
        FetchValue::Rfc822Size(n) => {
            name("RFC822.SIZE ", out);
            number(*n, out);
        }
        FetchValue::Uid(n) => {
            name("UID ", out);
            number(*n, out);
        }
        FetchValue::Envelope(env) => {
            name("ENVELOPE ", out);
            envelope(env, opts, out);
        }
        FetchValue::Body(b) => {
            name("BODY ", out);
            body(b, false, opts, out);
        }
        FetchValue::BodyStructure(b) => {
            name("BODYSTRUCTURE ", out);
            body(b, opts.bodystructure_extension, opts, out);
        }
        FetchValue::BodySection {
            section: s,
            origin,
            data,
        } => {
            name("BODY", out);
            section(s, out);
            if let Some(origin) = origin {
                out.push(b'<');
                number(*origin, out);
                out.push(b'>');
            }
            out.push(b' ');
            message_data(data.as_deref(), out);
        }
        FetchValue::Rfc822(data) => rfc822("RFC822 ", data.as_deref(), out),
        FetchValue::Rfc822Header(data) => rfc822("RFC822.HEADER ", data.as_deref(), out),
        FetchValue::Rfc822Text(data) => rfc822("RFC822.TEXT ", data.as_deref(), out),
    }
}

fn rfc822(name: &str, data: Option<&[u8]>, out: &mut Vec<u8>) {
    out.extend_from_slice(name.as_bytes());
    message_data(data, out);
}

/// Message text is always sent as a literal (or NIL): it is CRLF-laden almost always, and a
/// literal keeps the framing obvious for clients that special-case body data.
fn message_data(data: Option<&[u8]>, out: &mut Vec<u8>) {
    match data {
        Some(bytes) => literal(bytes, out),
        None => out.extend_from_slice(b"NIL"),
    }
}

/// `section = "[" [section-spec] "]"`, echoing header field names as the client wrote them.
pub(super) fn section(s: &Section, out: &mut Vec<u8>) {
    out.push(b'[');
    for (i, part) in s.part.iter().enumerate() {
        if i > 0 {
            out.push(b'.');
        }
        number(*part, out);
    }
    if let Some(text) = &s.text {
        if !s.part.is_empty() {
            out.push(b'.');
        }
        section_text(text, out);
    }
    out.push(b']');
}

fn section_text(text: &SectionText, out: &mut Vec<u8>) {
    let (word, fields) = match text {
        SectionText::Header => ("HEADER", None),
        SectionText::Text => ("TEXT", None),
        SectionText::Mime => ("MIME", None),
        SectionText::HeaderFields(f) => ("HEADER.FIELDS", Some(f)),
        SectionText::HeaderFieldsNot(f) => ("HEADER.FIELDS.NOT", Some(f)),
    };
    out.extend_from_slice(word.as_bytes());
    if let Some(fields) = fields {
        out.extend_from_slice(b" (");
        join(fields, out, |f, out| astring(f.as_bytes(), out));
        out.push(b')');
    }
}
