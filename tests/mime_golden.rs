//! Golden files for `mime::analyze`: for each `tests/mime/<name>.eml`, `<name>.json` holds
//! the expected ENVELOPE, BODYSTRUCTURE and header length. Byte strings are shown as UTF-8
//! (lossily) so the files can be checked by eye against RFC 3501 §7.4.2.
//!
//! `<name>.imap` holds the same ENVELOPE and BODYSTRUCTURE as they go on the wire: first as
//! the strict `rfc3501` profile encodes them, then with Exchange's choices (NIL for empty
//! fields, V0057; encoded words instead of 8-bit, V0007).
//!
//! `UPDATE_GOLDEN=1 cargo test --test mime_golden` rewrites them; review the diff before
//! committing, the goldens are the specification.

use imap_mimic::mime::analyze;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// Fields of the shared types that hold raw bytes (`Vec<u8>` / `Option<Vec<u8>>`).
const BYTE_FIELDS: &[&str] = &[
    "date",
    "subject",
    "in_reply_to",
    "message_id",
    "name",
    "adl",
    "mailbox",
    "host",
    "id",
    "description",
    "md5",
    "location",
];

fn bytes_to_text(v: &mut Value) {
    if let Value::Array(items) = v {
        let bytes: Vec<u8> = items
            .iter()
            .filter_map(|b| b.as_u64().and_then(|b| u8::try_from(b).ok()))
            .collect();
        *v = Value::String(String::from_utf8_lossy(&bytes).into_owned());
    }
}

/// Rewrites byte arrays as strings, recursively, by field name.
fn readable(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                match key.as_str() {
                    k if BYTE_FIELDS.contains(&k) => bytes_to_text(value),
                    "params" => {
                        for pair in value.as_array_mut().into_iter().flatten() {
                            if let Some(v) = pair.get_mut(1) {
                                bytes_to_text(v);
                            }
                        }
                    }
                    "language" => value
                        .as_array_mut()
                        .into_iter()
                        .flatten()
                        .for_each(bytes_to_text),
                    _ => readable(value),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(readable),
        _ => {}
    }
}

fn render(raw: &[u8]) -> String {
    let a = analyze(raw);
    let mut v = json!({
        "envelope": a.envelope,
        "body": a.body,
        "header_len": a.header_len,
    });
    readable(&mut v);
    serde_json::to_string_pretty(&v).expect("json") + "\n"
}

/// `* 1 FETCH (ENVELOPE ... BODYSTRUCTURE ...)` under strict and Exchange options.
fn render_imap(raw: &[u8]) -> Vec<u8> {
    use imap_mimic::wire::{
        encode_response, Data, EncodeOptions, FetchValue, MailboxQuoting, Response,
    };
    let a = analyze(raw);
    let fetch = Response::Data(Data::Fetch {
        seq: 1,
        items: vec![
            FetchValue::Envelope(Box::new(a.envelope)),
            FetchValue::BodyStructure(Box::new(a.body)),
        ],
    });
    let exchange = EncodeOptions {
        mailbox_quoting: MailboxQuoting::LiteralWhenContains(b"\\\"".to_vec()),
        envelope_empty_as_nil: true,
        ascii_only_strings: true,
        ..EncodeOptions::strict()
    };
    let mut out = Vec::new();
    encode_response(&fetch, &EncodeOptions::strict(), &mut out);
    encode_response(&fetch, &exchange, &mut out);
    out
}

fn check(path: PathBuf, got: &[u8], update: bool, failures: &mut Vec<String>) {
    if update {
        std::fs::write(&path, got).expect("write golden");
        return;
    }
    match std::fs::read(&path) {
        Ok(want) if want == got => {}
        Ok(want) => failures.push(format!(
            "{}:\n--- want\n{}\n+++ got\n{}",
            path.display(),
            String::from_utf8_lossy(&want),
            String::from_utf8_lossy(got)
        )),
        Err(e) => failures.push(format!("{}: {e}", path.display())),
    }
}

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mime");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/mime")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    files.sort();
    files
}

#[test]
fn golden_analysis() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    let files = fixtures();
    assert!(files.len() >= 15, "fixtures missing");
    for eml in files {
        let raw = std::fs::read(&eml).expect("read fixture");
        check(
            eml.with_extension("json"),
            render(&raw).as_bytes(),
            update,
            &mut failures,
        );
        check(
            eml.with_extension("imap"),
            &render_imap(&raw),
            update,
            &mut failures,
        );
    }
    assert!(
        failures.is_empty(),
        "golden mismatches:\n{}",
        failures.join("\n")
    );
}
