//! Known answers for `section` (RFC 3501 §6.4.5), on the golden fixtures.

use super::*;

const NESTED: &[u8] = include_bytes!("../../tests/mime/nested-rfc822.eml");
const SIMPLE: &[u8] = include_bytes!("../../tests/mime/simple-text.eml");
const ALT: &[u8] = include_bytes!("../../tests/mime/alternative-in-mixed.eml");
const WRAPPED: &[u8] = include_bytes!("../../tests/mime/rfc822-top-level.eml");
const BARE_LF: &[u8] = include_bytes!("../../tests/mime/bare-lf.eml");

fn sec(part: &[u32], text: Option<SectionText>) -> Section {
    Section {
        part: part.to_vec(),
        text,
    }
}

fn get(raw: &[u8], part: &[u32], text: Option<SectionText>) -> Option<String> {
    section(raw, &sec(part, text)).map(|b| String::from_utf8(b).expect("utf-8 fixture"))
}

fn names(n: &[&str]) -> Vec<String> {
    n.iter().map(|s| s.to_string()).collect()
}

fn text(raw: &[u8]) -> &str {
    std::str::from_utf8(raw).expect("utf-8 fixture")
}

#[test]
fn whole_message_header_and_text() {
    let all = text(NESTED);
    let split = all.find("\r\n\r\n").expect("blank line") + 4;
    assert_eq!(get(NESTED, &[], None).as_deref(), Some(all));
    assert_eq!(
        get(NESTED, &[], Some(SectionText::Header)).as_deref(),
        Some(&all[..split])
    );
    assert_eq!(
        get(NESTED, &[], Some(SectionText::Text)).as_deref(),
        Some(&all[split..])
    );
    assert_eq!(get(NESTED, &[], Some(SectionText::Mime)), None);
}

#[test]
fn header_fields_and_not() {
    let fields = get(
        NESTED,
        &[],
        Some(SectionText::HeaderFields(names(&["subject", "FROM"]))),
    );
    assert_eq!(
        fields.as_deref(),
        Some("From: Bob <bob@example.org>\r\nSubject: Fwd: report attached\r\n\r\n")
    );
    let not = names(&[
        "from",
        "to",
        "subject",
        "date",
        "message-id",
        "mime-version",
    ]);
    assert_eq!(
        get(NESTED, &[], Some(SectionText::HeaderFieldsNot(not))).as_deref(),
        Some("Content-Type: multipart/mixed; boundary=\"fwd-boundary\"\r\n\r\n")
    );
    let none = get(
        NESTED,
        &[],
        Some(SectionText::HeaderFields(names(&["x-nothing"]))),
    );
    assert_eq!(none.as_deref(), Some("\r\n"));
    // A folded field comes back with its folding.
    let subject = get(
        SIMPLE,
        &[],
        Some(SectionText::HeaderFields(names(&["Subject"]))),
    );
    assert_eq!(
        subject.as_deref(),
        Some("Subject: afternoon meeting\r\n  again\r\n\r\n")
    );
}

#[test]
fn multipart_parts_and_mime_headers() {
    assert_eq!(
        get(NESTED, &[1], None).as_deref(),
        Some("See the forwarded message.")
    );
    assert_eq!(
        get(NESTED, &[1], Some(SectionText::Mime)).as_deref(),
        Some("Content-Type: text/plain\r\n\r\n")
    );
    assert_eq!(
        get(NESTED, &[2], Some(SectionText::Mime)).as_deref(),
        Some(
            "Content-Type: message/rfc822\r\nContent-Description: forwarded message\r\n\
             Content-Disposition: inline\r\n\r\n"
        )
    );
    // Part 1 of alternative-in-mixed is itself a multipart: its body, boundaries included.
    let alt = get(ALT, &[1], None).expect("part 1");
    assert!(
        alt.starts_with("--inner\r\n") && alt.ends_with("--inner--\r\n"),
        "{alt:?}"
    );
    assert_eq!(
        get(ALT, &[1, 1], None).as_deref(),
        Some("Caf=E9 au lait =\r\nis good.")
    );
    assert_eq!(
        get(ALT, &[1, 2, ], Some(SectionText::Mime)).as_deref(),
        Some("Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
    );
    assert!(get(ALT, &[2], None)
        .expect("png")
        .starts_with("iVBORw0KGgo"));
}

#[test]
fn encapsulated_message_parts() {
    let inner = get(NESTED, &[2], None).expect("part 2");
    assert!(
        inner.starts_with("From: Alice") && inner.ends_with("--inner-b--\r\n"),
        "{inner:?}"
    );
    assert_eq!(
        inner.len(),
        508,
        "matches the BODYSTRUCTURE size in the golden file"
    );
    let split = inner.find("\r\n\r\n").expect("blank") + 4;
    assert_eq!(
        get(NESTED, &[2], Some(SectionText::Header)).as_deref(),
        Some(&inner[..split])
    );
    assert_eq!(
        get(NESTED, &[2], Some(SectionText::Text)).as_deref(),
        Some(&inner[split..])
    );
    assert_eq!(
        get(
            NESTED,
            &[2],
            Some(SectionText::HeaderFields(names(&["cc"])))
        )
        .as_deref(),
        Some("Cc: =?utf-8?q?J=C3=BCrgen?= <juergen@example.de>\r\n\r\n")
    );
    assert_eq!(get(NESTED, &[2, 1], None).as_deref(), Some("Here it is."));
    assert_eq!(
        get(NESTED, &[2, 2], None).as_deref(),
        Some("AAECAwQFBgcICQ==")
    );
    assert_eq!(
        get(NESTED, &[2, 2], Some(SectionText::Mime)).as_deref(),
        Some("Content-Type: application/octet-stream; name=data.bin\r\nContent-Transfer-Encoding: base64\r\n\r\n")
    );
}

#[test]
fn single_part_messages() {
    let all = text(SIMPLE);
    let split = all.find("\r\n\r\n").expect("blank") + 4;
    assert_eq!(get(SIMPLE, &[1], None).as_deref(), Some(&all[split..]));
    // The MIME header of part 1 of a non-multipart message is the message header.
    assert_eq!(
        get(SIMPLE, &[1], Some(SectionText::Mime)).as_deref(),
        Some(&all[..split])
    );
    // A top-level message/rfc822: part 1 is the encapsulated message, 1.1 its body.
    assert_eq!(
        get(WRAPPED, &[1, 1], None).as_deref(),
        Some("inner body\r\n")
    );
    let inner_header = get(WRAPPED, &[1], Some(SectionText::Header)).expect("1.HEADER");
    assert!(inner_header.starts_with("From: inner@example.org"));
    assert!(get(WRAPPED, &[1], None)
        .expect("1")
        .starts_with("From: inner@"));
}

#[test]
fn nonexistent_parts_and_misapplied_specifiers() {
    for path in [&[0][..], &[3], &[2, 3], &[1, 1], &[2, 1, 1], &[2, 2, 1]] {
        assert_eq!(section(NESTED, &sec(path, None)), None, "{path:?}");
    }
    assert_eq!(get(SIMPLE, &[2], None), None);
    assert_eq!(get(SIMPLE, &[1, 1], None), None);
    // HEADER / TEXT need a message/rfc822 part.
    assert_eq!(get(NESTED, &[1], Some(SectionText::Header)), None);
    assert_eq!(get(NESTED, &[1], Some(SectionText::Text)), None);
    assert_eq!(get(NESTED, &[5], Some(SectionText::Mime)), None);
}

#[test]
fn raw_bytes_are_returned_as_stored() {
    assert_eq!(
        get(BARE_LF, &[1], None).as_deref(),
        Some("line one\nline two")
    );
    assert_eq!(
        get(
            BARE_LF,
            &[],
            Some(SectionText::HeaderFields(names(&["subject"])))
        )
        .as_deref(),
        Some("Subject: bare LF line endings\n\r\n")
    );
    assert_eq!(
        get(
            BARE_LF,
            &[],
            Some(SectionText::HeaderFieldsNot(names(&[
                "from", "to", "subject"
            ])))
        )
        .as_deref(),
        Some("Content-Type: multipart/mixed; boundary=\"lf\"\n\r\n")
    );
    // No blank line: the whole message is header, the text is empty.
    let cut = b"Subject: x\r\nFrom: a@b";
    assert_eq!(
        section(cut, &sec(&[], Some(SectionText::Header))),
        Some(cut.to_vec())
    );
    assert_eq!(
        section(cut, &sec(&[], Some(SectionText::Text))),
        Some(Vec::new())
    );
    assert_eq!(
        section(
            cut,
            &sec(&[], Some(SectionText::HeaderFields(names(&["from"]))))
        ),
        Some(b"From: a@b\r\n\r\n".to_vec())
    );
    // Lines that are not fields survive HEADER.FIELDS.NOT.
    let junk = b"From: a@b\r\nno colon here\r\nTo: c@d\r\n\r\nbody";
    assert_eq!(
        section(
            junk,
            &sec(&[], Some(SectionText::HeaderFieldsNot(names(&["to"]))))
        ),
        Some(b"From: a@b\r\nno colon here\r\n\r\n".to_vec())
    );
}

#[test]
fn boundary_that_prefixes_the_inner_boundary() {
    let raw = b"Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\n\
Content-Type: multipart/alternative; boundary=b1_alt\r\n\r\n--b1_alt\r\n\r\nplain\r\n\
--b1_alt\r\nContent-Type: text/html\r\n\r\n<p>html</p>\r\n--b1_alt--\r\n\r\n--b1\r\n\r\nsecond\r\n--b1--\r\n";
    assert_eq!(
        section(raw, &sec(&[1, 1], None)).as_deref(),
        Some(&b"plain"[..])
    );
    assert_eq!(
        section(raw, &sec(&[1, 2], None)).as_deref(),
        Some(&b"<p>html</p>"[..])
    );
    assert_eq!(
        section(raw, &sec(&[2], None)).as_deref(),
        Some(&b"second"[..])
    );
    assert_eq!(section(raw, &sec(&[3], None)), None);
}
