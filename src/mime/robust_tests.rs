//! Robustness: arbitrary and mutated input never panics; pathological nesting and size stay
//! bounded; a timing probe for `analyze` (`cargo test --release --lib mime -- --ignored`).

use super::{analyze, matches, section, sent_date, TextScope};
use crate::wire::types::{BodyStructure, Section, SectionText};
use proptest::prelude::*;

const FIXTURES: &[&[u8]] = &[
    include_bytes!("../../tests/mime/nested-rfc822.eml"),
    include_bytes!("../../tests/mime/alternative-in-mixed.eml"),
    include_bytes!("../../tests/mime/mixed-attachment.eml"),
    include_bytes!("../../tests/mime/group-addresses.eml"),
    include_bytes!("../../tests/mime/encoded-words.eml"),
    include_bytes!("../../tests/mime/digest.eml"),
    include_bytes!("../../tests/mime/bare-lf.eml"),
];

/// Every entry point, with a few section paths, on one input.
fn exercise(raw: &[u8]) {
    let a = analyze(raw);
    assert!(a.header_len as usize <= raw.len());
    for part in [&[][..], &[1], &[2], &[1, 1], &[2, 1], &[2, 2, 1]] {
        for text in [
            None,
            Some(SectionText::Header),
            Some(SectionText::Text),
            Some(SectionText::Mime),
        ] {
            if let Some(bytes) = section(
                raw,
                &Section {
                    part: part.to_vec(),
                    text,
                },
            ) {
                assert!(bytes.len() <= raw.len() + 2);
            }
        }
        let fields = SectionText::HeaderFieldsNot(vec!["from".into(), "x".into()]);
        let _ = section(
            raw,
            &Section {
                part: part.to_vec(),
                text: Some(fields),
            },
        );
    }
    for scope in [TextScope::Header("From"), TextScope::Body, TextScope::Text] {
        let _ = matches(raw, scope, "é".as_bytes());
        let _ = matches(raw, TextScope::Header("subject"), b"a");
    }
    let _ = sent_date(raw);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(raw in proptest::collection::vec(any::<u8>(), 0..2048)) {
        exercise(&raw);
    }

    #[test]
    fn mime_like_text_never_panics(raw in "([A-Za-z-]{1,12}:[ -~]{0,40}\r?\n|\r?\n|--[a-z]{0,3}(--)?\r?\n|[ -~]{0,30}\r?\n){0,40}") {
        exercise(raw.as_bytes());
    }

    #[test]
    fn mutated_fixtures_never_panic(
        which in 0..FIXTURES.len(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0..3u8), 1..12),
    ) {
        let mut raw = FIXTURES[which].to_vec();
        for (at, byte, op) in edits {
            if raw.is_empty() { break; }
            let i = at.index(raw.len());
            match op {
                0 => raw[i] = byte,
                1 => { raw.remove(i); }
                _ => raw.truncate(i),
            }
        }
        exercise(&raw);
    }
}

fn depth(b: &BodyStructure) -> usize {
    match b {
        BodyStructure::Multi { parts, .. } => 1 + parts.iter().map(depth).max().unwrap_or(0),
        BodyStructure::Single {
            kind: crate::wire::types::SingleKind::Message { body, .. },
            ..
        } => 1 + depth(body),
        BodyStructure::Single { .. } => 1,
    }
}

#[test]
fn deep_multipart_nesting_is_cut_off() {
    let mut raw = Vec::new();
    for i in 0..20_000 {
        raw.extend_from_slice(
            format!("Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n").as_bytes(),
        );
    }
    raw.extend_from_slice(b"\r\nleaf\r\n");
    let a = analyze(&raw);
    assert!(depth(&a.body) <= super::tree::MAX_DEPTH + 1);
    exercise(&raw);
}

#[test]
fn deep_message_nesting_is_cut_off() {
    let raw = b"Content-Type: message/rfc822\r\n\r\n".repeat(20_000);
    let a = analyze(&raw);
    assert!(depth(&a.body) <= super::tree::MAX_DEPTH + 1);
    exercise(&raw);
}

/// A typical 20 KB multipart message: text, html, and a base64 attachment.
pub(crate) fn typical_message() -> Vec<u8> {
    let mut raw =
        b"From: Alice <alice@example.com>\r\nTo: Bob <bob@example.org>, carol@example.net\r\n\
Subject: =?utf-8?q?quarterly_report?=\r\nDate: Wed, 02 Oct 2019 14:30:00 +0200\r\n\
Message-ID: <typ@example.com>\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n--outer\r\n\
Content-Type: multipart/alternative; boundary=\"inner\"\r\n\r\n--inner\r\n\
Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            .to_vec();
    raw.extend(b"Some text of the report, quoted-printable =C3=A9.\r\n".repeat(60));
    raw.extend_from_slice(b"--inner\r\nContent-Type: text/html; charset=utf-8\r\n\r\n");
    raw.extend(b"<p>Some html text of the report, in a paragraph.</p>\r\n".repeat(60));
    raw.extend_from_slice(
        b"--inner--\r\n--outer\r\nContent-Type: application/pdf; name=r.pdf\r\n\
Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=r.pdf\r\n\r\n",
    );
    raw.extend(
        b"JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSL0ZpbHRlci9GbGF0ZUR\r\n"
            .repeat(170),
    );
    raw.extend_from_slice(b"--outer--\r\n");
    raw
}

#[test]
fn large_messages_scale_linearly() {
    // 2,000 parts and a 4 MB body: would take minutes if anything were quadratic.
    let mut raw = b"Content-Type: multipart/mixed; boundary=x\r\n\r\n".to_vec();
    for _ in 0..2_000 {
        raw.extend_from_slice(b"--x\r\nContent-Type: text/plain\r\n\r\n");
        raw.extend(b"line of text\r\n".repeat(150));
    }
    let start = std::time::Instant::now();
    let a = analyze(&raw);
    let _ = section(
        &raw,
        &Section {
            part: vec![2_000],
            text: None,
        },
    );
    assert!(matches!(a.body, BodyStructure::Multi { ref parts, .. } if parts.len() == 2_000));
    assert!(start.elapsed().as_secs() < 10, "{:?}", start.elapsed());
}

#[test]
#[ignore = "timing probe: cargo test --release --lib mime::robust -- --ignored --nocapture"]
fn analyze_speed() {
    let raw = typical_message();
    let n = 10_000;
    let start = std::time::Instant::now();
    for _ in 0..n {
        std::hint::black_box(analyze(std::hint::black_box(&raw)));
    }
    let per = start.elapsed() / n;
    println!("analyze: {} bytes, {per:?} per message", raw.len());
    let start = std::time::Instant::now();
    for _ in 0..n {
        std::hint::black_box(matches(&raw, TextScope::Body, b"not there"));
    }
    println!("matches(BODY): {:?} per message", start.elapsed() / n);
    let start = std::time::Instant::now();
    for _ in 0..n {
        std::hint::black_box(matches(&raw, TextScope::Header("subject"), b"not there"));
    }
    println!("matches(SUBJECT): {:?} per message", start.elapsed() / n);
}

#[test]
fn very_deep_message_nesting_drops_safely() {
    let raw = b"Content-Type: message/rfc822\r\n\r\n".repeat(400_000);
    let a = analyze(&raw);
    assert!(depth(&a.body) <= super::tree::MAX_DEPTH + 1);
    assert!(matches(&raw, TextScope::Body, b""));
    assert!(!matches(&raw, TextScope::Text, b"zz"));
    assert_eq!(
        section(
            &raw,
            &Section {
                part: vec![1, 1, 1],
                text: None
            }
        )
        .map(|b| b.len()),
        Some(raw.len() - 3 * 32)
    );
}
