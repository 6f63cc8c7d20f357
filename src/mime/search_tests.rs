//! Known answers for SEARCH matching and the sent date (RFC 3501 §6.4.4).

use crate::mime::{matches, sent_date, TextScope};
use crate::wire::types::ImapDate;

const ENCODED: &[u8] = include_bytes!("../../tests/mime/encoded-words.eml");
const QP_B64: &[u8] = include_bytes!("../../tests/mime/qp-base64.eml");
const ALT: &[u8] = include_bytes!("../../tests/mime/alternative-in-mixed.eml");
const NESTED: &[u8] = include_bytes!("../../tests/mime/nested-rfc822.eml");
const SIMPLE: &[u8] = include_bytes!("../../tests/mime/simple-text.eml");
const EMPTY: &[u8] = include_bytes!("../../tests/mime/empty-headers.eml");
const EIGHT_BIT: &[u8] = include_bytes!("../../tests/mime/8bit-header.eml");
const MISSING: &[u8] = include_bytes!("../../tests/mime/missing-headers.eml");

fn header(raw: &[u8], name: &str, needle: &str) -> bool {
    matches(raw, TextScope::Header(name), needle.as_bytes())
}

#[test]
fn header_scope_decodes_encoded_words() {
    assert!(header(ENCODED, "Subject", "café"));
    assert!(header(ENCODED, "SUBJECT", "CAFÉ"));
    assert!(header(ENCODED, "subject", "you understand the example"));
    assert!(!header(ENCODED, "Subject", "=C3=A9"));
    assert!(header(ENCODED, "From", "keld jørn"));
    assert!(header(ENCODED, "From", "KELD@EXAMPLE.DK"));
    assert!(header(ENCODED, "To", "山田"));
    assert!(!header(ENCODED, "Cc", "keld"));
    assert!(header(SIMPLE, "from", "alice"));
    assert!(header(SIMPLE, "Received", "mx.example.org"));
}

#[test]
fn header_scope_raw_8bit() {
    assert!(header(
        EIGHT_BIT,
        "Subject",
        "GRÜSSE".to_lowercase().replace("ss", "ß").as_str()
    ));
    assert!(header(EIGHT_BIT, "From", "jörg müller"));
}

#[test]
fn empty_needle_matches_when_the_scope_exists() {
    assert!(header(EMPTY, "In-Reply-To", ""));
    assert!(header(EMPTY, "subject", ""));
    assert!(!header(EMPTY, "X-Absent", ""));
    assert!(!header(MISSING, "From", ""));
    assert!(matches(MISSING, TextScope::Body, b""));
    assert!(matches(b"", TextScope::Body, b""));
    assert!(matches(MISSING, TextScope::Text, b""));
}

#[test]
fn body_scope_decodes_transfer_encodings_and_charsets() {
    assert!(matches(
        QP_B64,
        TextScope::Body,
        "grüße aus köln, soft break".as_bytes()
    ));
    assert!(matches(
        QP_B64,
        TextScope::Body,
        "ZÜRICH HAUPTBAHNHOF".as_bytes()
    ));
    assert!(!matches(QP_B64, TextScope::Body, b"=C3=BC"));
    // iso-8859-1 quoted-printable, soft line break joined.
    assert!(matches(
        ALT,
        TextScope::Body,
        "café au lait is good".as_bytes()
    ));
    assert!(matches(SIMPLE, TextScope::Body, b"HELLO BOB"));
    // Binary attachments are not searched, nor is their base64 text.
    assert!(!matches(NESTED, TextScope::Body, b"AAECAwQF"));
}

#[test]
fn body_and_text_scopes() {
    assert!(!matches(ALT, TextScope::Body, b"newsletter"));
    assert!(matches(ALT, TextScope::Text, b"NewsLetter"));
    assert!(matches(ALT, TextScope::Text, b"message-id"));
    assert!(!matches(ALT, TextScope::Text, b"no such words"));
    // The header of an attached message is part of the outer body.
    assert!(matches(NESTED, TextScope::Body, "jürgen".as_bytes()));
    assert!(matches(NESTED, TextScope::Text, b"here it is"));
    assert!(!header(NESTED, "Cc", "jürgen"));
}

#[test]
fn sent_date_in_the_header_zone() {
    let d = |year, month, day| Some(ImapDate { year, month, day });
    // 21:52 -0800 on Feb 7 is Feb 8 in UTC: the header's own date counts.
    assert_eq!(sent_date(SIMPLE), d(1994, 2, 7));
    assert_eq!(sent_date(EIGHT_BIT), d(2019, 10, 7));
    assert_eq!(sent_date(MISSING), None);
    assert_eq!(sent_date(EMPTY), None);
    assert_eq!(
        sent_date(b"Date: Mon, 7 Feb 94 01:00:00 +1300\r\n\r\n"),
        d(1994, 2, 7)
    );
    assert_eq!(sent_date(b"Date: 31 Feb 2019 10:00:00 +0000\r\n\r\n"), None);
    assert_eq!(sent_date(b"Date: yesterday\r\n\r\n"), None);
    assert_eq!(sent_date(b"Date: 1 Mar 2020 00:00:00 -0000"), d(2020, 3, 1));
}

#[test]
fn cjk_charsets_are_decoded() {
    // "ハロー・ワールド" in Shift_JIS (body) and ISO-2022-JP (encoded word); needs
    // mail-parser's `full_encoding` feature.
    let raw = [
        &b"Subject: =?iso-2022-jp?B?GyRCJU8lbSE8ISYlbyE8JWslSRsoQg==?=\r\n"[..],
        b"Content-Type: text/plain; charset=Shift_JIS\r\n\r\n",
        b"\x83n\x83\x8D\x81[\x81E\x83\x8F\x81[\x83\x8B\x83h\r\n",
    ]
    .concat();
    assert!(matches(&raw, TextScope::Body, "ワールド".as_bytes()));
    assert!(header(&raw, "subject", "ハロー"));
}
