//! ENVELOPE, BODY and BODYSTRUCTURE (RFC 3501 §7.4.2, §9 `envelope`, `body`), with the
//! profile's choices: NIL for empty envelope fields (MS-STANXIMAP V0057), extension data
//! (V0056), the reproducible Exchange BODYSTRUCTURE defects, and 7-bit-only strings (V0007).

use super::strings::{join, nstring, number, string};
use super::EncodeOptions;
use crate::wire::types::{
    Address, BodyFields, BodyStructure, Disposition, Envelope, MultiExt, SingleExt, SingleKind,
};
use base64::Engine;

/// A server-generated `nstring`: with `ascii_only_strings` (V0007) a value with 8-bit bytes
/// goes out as RFC 2047 encoded words rather than an 8-bit literal.
fn server_nstring(bytes: Option<&[u8]>, opts: &EncodeOptions, out: &mut Vec<u8>) {
    match bytes {
        Some(b) if opts.ascii_only_strings && !b.is_ascii() => {
            string(encoded_words(b).as_bytes(), out)
        }
        _ => nstring(bytes, out),
    }
}

fn server_string(bytes: &[u8], opts: &EncodeOptions, out: &mut Vec<u8>) {
    server_nstring(Some(bytes), opts, out);
}

/// RFC 2047 `B` encoded words, each at most 75 characters (45 input bytes), split on
/// character boundaries; bytes that are not UTF-8 are labelled `UNKNOWN-8BIT` (RFC 1428).
pub(super) fn encoded_words(bytes: &[u8]) -> String {
    const MAX: usize = 45;
    let (charset, chunks): (&str, Vec<&[u8]>) = match std::str::from_utf8(bytes) {
        Ok(s) => {
            let mut chunks = Vec::new();
            let mut start = 0;
            for (i, ch) in s.char_indices() {
                if i + ch.len_utf8() - start > MAX {
                    chunks.push(&bytes[start..i]);
                    start = i;
                }
            }
            chunks.push(&bytes[start..]);
            ("UTF-8", chunks)
        }
        Err(_) => ("UNKNOWN-8BIT", bytes.chunks(MAX).collect()),
    };
    let words: Vec<String> = chunks
        .iter()
        .map(|c| {
            let b64 = base64::engine::general_purpose::STANDARD.encode(c);
            format!("=?{charset}?B?{b64}?=")
        })
        .collect();
    words.join(" ")
}

/// `envelope = "(" env-date SP env-subject SP env-from SP env-sender SP env-reply-to SP
/// env-to SP env-cc SP env-bcc SP env-in-reply-to SP env-message-id ")"`.
pub(super) fn envelope(env: &Envelope, opts: &EncodeOptions, out: &mut Vec<u8>) {
    out.push(b'(');
    env_field(&env.date, opts, out);
    out.push(b' ');
    env_field(&env.subject, opts, out);
    for list in [
        &env.from,
        &env.sender,
        &env.reply_to,
        &env.to,
        &env.cc,
        &env.bcc,
    ] {
        out.push(b' ');
        addresses(list, opts, out);
    }
    out.push(b' ');
    env_field(&env.in_reply_to, opts, out);
    out.push(b' ');
    env_field(&env.message_id, opts, out);
    out.push(b')');
}

/// Date, Subject, In-Reply-To, Message-ID: present-but-empty is `""`, or NIL under V0057.
fn env_field(value: &Option<Vec<u8>>, opts: &EncodeOptions, out: &mut Vec<u8>) {
    let value = value
        .as_deref()
        .filter(|v| !(opts.envelope_empty_as_nil && v.is_empty()));
    server_nstring(value, opts, out);
}

/// `"(" 1*address ")" / nil`; a group's markers are ordinary entries of the list.
fn addresses(list: &[Address], opts: &EncodeOptions, out: &mut Vec<u8>) {
    if list.is_empty() {
        out.extend_from_slice(b"NIL");
        return;
    }
    out.push(b'(');
    for a in list {
        out.push(b'(');
        let parts = [&a.name, &a.adl, &a.mailbox, &a.host];
        join(&parts, out, |p, out| {
            server_nstring(p.as_deref(), opts, out)
        });
        out.push(b')');
    }
    out.push(b')');
}

/// `body`: BODY when `extension` is false, BODYSTRUCTURE with extension data when true.
pub(super) fn body(b: &BodyStructure, extension: bool, opts: &EncodeOptions, out: &mut Vec<u8>) {
    out.push(b'(');
    match b {
        BodyStructure::Single { fields, kind, ext } => {
            single(fields, kind, extension, opts, out);
            if extension {
                out.push(b' ');
                single_ext(ext, fields, opts, out);
            }
        }
        BodyStructure::Multi {
            parts,
            subtype,
            ext,
        } => {
            for part in parts {
                body(part, extension, opts, out);
            }
            out.push(b' ');
            server_string(subtype.as_bytes(), opts, out);
            if extension {
                out.push(b' ');
                multi_ext(ext, opts, out);
            }
        }
    }
    out.push(b')');
}

/// `body-type-basic` / `body-type-text` / `body-type-msg`, without extension data.
fn single(
    f: &BodyFields,
    kind: &SingleKind,
    extension: bool,
    opts: &EncodeOptions,
    out: &mut Vec<u8>,
) {
    server_string(f.media_type.as_bytes(), opts, out);
    out.push(b' ');
    server_string(f.subtype.as_bytes(), opts, out);
    out.push(b' ');
    body_fields(f, opts, out);
    match kind {
        SingleKind::Basic => {}
        SingleKind::Text { lines } => {
            out.push(b' ');
            number(*lines, out);
        }
        SingleKind::Message {
            envelope: env,
            body: inner,
            lines,
        } => {
            out.push(b' ');
            envelope(env, opts, out);
            out.push(b' ');
            body(inner, extension, opts, out);
            out.push(b' ');
            number(*lines, out);
        }
    }
}

/// `body-fields = body-fld-param SP body-fld-id SP body-fld-desc SP body-fld-enc SP
/// body-fld-octets`.
fn body_fields(f: &BodyFields, opts: &EncodeOptions, out: &mut Vec<u8>) {
    params(&f.params, opts, out);
    out.push(b' ');
    server_nstring(f.id.as_deref(), opts, out);
    out.push(b' ');
    server_nstring(f.description.as_deref(), opts, out);
    out.push(b' ');
    if opts.bodystructure_quirks.nil_encoding {
        out.extend_from_slice(b"NIL");
    } else {
        server_string(f.encoding.as_bytes(), opts, out);
    }
    out.push(b' ');
    number(f.size, out);
}

/// `body-fld-param = "(" string SP string *(SP string SP string) ")" / nil`.
fn params(params: &[(String, Vec<u8>)], opts: &EncodeOptions, out: &mut Vec<u8>) {
    if params.is_empty() {
        out.extend_from_slice(b"NIL");
        return;
    }
    out.push(b'(');
    join(params, out, |(k, v), out| {
        server_string(k.as_bytes(), opts, out);
        out.push(b' ');
        server_string(v, opts, out);
    });
    out.push(b')');
}

/// `body-ext-1part = body-fld-md5 SP body-fld-dsp SP body-fld-lang SP body-fld-loc`.
fn single_ext(ext: &SingleExt, f: &BodyFields, opts: &EncodeOptions, out: &mut Vec<u8>) {
    server_nstring(ext.md5.as_deref(), opts, out);
    out.push(b' ');
    if opts.bodystructure_quirks.description_in_disposition {
        server_nstring(f.description.as_deref(), opts, out);
    } else {
        disposition(ext.disposition.as_ref(), opts, out);
    }
    out.push(b' ');
    language(&ext.language, opts, out);
    out.push(b' ');
    server_nstring(ext.location.as_deref(), opts, out);
}

/// `body-ext-mpart = body-fld-param SP body-fld-dsp SP body-fld-lang SP body-fld-loc`.
fn multi_ext(ext: &MultiExt, opts: &EncodeOptions, out: &mut Vec<u8>) {
    params(&ext.params, opts, out);
    out.push(b' ');
    disposition(ext.disposition.as_ref(), opts, out);
    out.push(b' ');
    language(&ext.language, opts, out);
    out.push(b' ');
    server_nstring(ext.location.as_deref(), opts, out);
}

/// `body-fld-dsp = "(" string SP body-fld-param ")" / nil`, or the bare string quirk.
fn disposition(d: Option<&Disposition>, opts: &EncodeOptions, out: &mut Vec<u8>) {
    let Some(d) = d else {
        out.extend_from_slice(b"NIL");
        return;
    };
    if opts.bodystructure_quirks.disposition_bare_string {
        server_string(d.kind.as_bytes(), opts, out);
        return;
    }
    out.push(b'(');
    server_string(d.kind.as_bytes(), opts, out);
    out.push(b' ');
    params(&d.params, opts, out);
    out.push(b')');
}

/// `body-fld-lang = nstring / "(" string *(SP string) ")"`: NIL, one string, or a list.
fn language(langs: &[Vec<u8>], opts: &EncodeOptions, out: &mut Vec<u8>) {
    match langs {
        [] => out.extend_from_slice(b"NIL"),
        [one] => server_string(one, opts, out),
        many => {
            out.push(b'(');
            join(many, out, |l, out| server_string(l, opts, out));
            out.push(b')');
        }
    }
}
