//! FETCH, ENVELOPE, BODY and BODYSTRUCTURE known answers, under every option that changes
//! them: V0057 (empty envelope fields as NIL), V0056 (extension data), the three Exchange
//! BODYSTRUCTURE quirks and V0007 (7-bit strings only).

use super::{kat, kat_with, oracle_accepts};
use crate::wire::encode::{encoded_words, BodyStructureQuirks, EncodeOptions};
use crate::wire::response::*;
use crate::wire::types::*;

fn s(v: &str) -> Option<Vec<u8>> {
    Some(v.as_bytes().to_vec())
}

fn addr(name: Option<&str>, mailbox: &str, host: &str) -> Address {
    Address {
        name: name.and_then(s),
        adl: None,
        mailbox: s(mailbox),
        host: s(host),
    }
}

/// The ENVELOPE example of RFC 3501 §6.4.5 / §8.
fn rfc_envelope() -> Envelope {
    let gray = vec![addr(Some("Terry Gray"), "gray", "cac.washington.edu")];
    Envelope {
        date: s("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)"),
        subject: s("IMAP4rev1 WG mtg summary and minutes"),
        from: gray.clone(),
        sender: gray.clone(),
        reply_to: gray,
        to: vec![addr(None, "imap", "cac.washington.edu")],
        cc: vec![
            addr(None, "minutes", "CNRI.Reston.VA.US"),
            addr(Some("John Klensin"), "KLENSIN", "MIT.EDU"),
        ],
        bcc: vec![],
        in_reply_to: None,
        message_id: s("<B27397-0100000@cac.washington.edu>"),
    }
}

const RFC_ENVELOPE: &str = "(\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \"IMAP4rev1 WG mtg summary and minutes\" ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) ((NIL NIL \"imap\" \"cac.washington.edu\")) ((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL \"<B27397-0100000@cac.washington.edu>\")";

pub(super) fn fetch(items: Vec<FetchValue>) -> Response {
    Response::Data(Data::Fetch { seq: 12, items })
}

pub(super) fn line(body: &str) -> Vec<u8> {
    format!("* 12 FETCH ({body})\r\n").into_bytes()
}

#[test]
fn envelopes() {
    kat(
        fetch(vec![FetchValue::Envelope(Box::new(rfc_envelope()))]),
        &line(&format!("ENVELOPE {RFC_ENVELOPE}")),
    );
    let empty = Envelope {
        date: s(""),
        subject: s(""),
        in_reply_to: s(""),
        message_id: s(""),
        ..Envelope::default()
    };
    let item = || fetch(vec![FetchValue::Envelope(Box::new(empty.clone()))]);
    kat(
        item(),
        &line("ENVELOPE (\"\" \"\" NIL NIL NIL NIL NIL NIL \"\" \"\")"),
    );
    let v0057 = EncodeOptions {
        envelope_empty_as_nil: true,
        ..EncodeOptions::strict()
    };
    kat_with(
        item(),
        &v0057,
        &line("ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)"),
    );
    kat(
        fetch(vec![FetchValue::Envelope(Box::default())]),
        &line("ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)"),
    );
    // A group: start marker, member, end marker (RFC 3501 §7.4.2).
    let group = Envelope {
        to: vec![
            Address {
                mailbox: s("undisclosed"),
                ..Address::default()
            },
            addr(None, "a", "b.example"),
            Address::default(),
        ],
        ..Envelope::default()
    };
    kat(
        fetch(vec![FetchValue::Envelope(Box::new(group))]),
        &line("ENVELOPE (NIL NIL NIL NIL NIL ((NIL NIL \"undisclosed\" NIL)(NIL NIL \"a\" \"b.example\")(NIL NIL NIL NIL)) NIL NIL NIL NIL)"),
    );
}

fn text_part() -> BodyStructure {
    BodyStructure::Single {
        fields: BodyFields {
            media_type: "text".into(),
            subtype: "plain".into(),
            params: vec![("charset".into(), b"us-ascii".to_vec())],
            encoding: "7bit".into(),
            size: 10,
            ..BodyFields::default()
        },
        kind: SingleKind::Text { lines: 1 },
        ext: SingleExt::default(),
    }
}

fn pdf_part(language: Vec<Vec<u8>>) -> BodyStructure {
    BodyStructure::Single {
        fields: BodyFields {
            media_type: "application".into(),
            subtype: "pdf".into(),
            params: vec![("name".into(), b"a.pdf".to_vec())],
            description: s("A PDF"),
            encoding: "base64".into(),
            size: 100,
            ..BodyFields::default()
        },
        kind: SingleKind::Basic,
        ext: SingleExt {
            md5: None,
            disposition: Some(Disposition {
                kind: "attachment".into(),
                params: vec![("filename".into(), b"a.pdf".to_vec())],
            }),
            language,
            location: None,
        },
    }
}

fn mixed(language: Vec<Vec<u8>>) -> BodyStructure {
    BodyStructure::Multi {
        parts: vec![text_part(), pdf_part(language)],
        subtype: "mixed".into(),
        ext: MultiExt {
            params: vec![("boundary".into(), b"x".to_vec())],
            ..MultiExt::default()
        },
    }
}

const TEXT_BODY: &str = "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 10 1)";
const PDF_BODY: &str =
    "(\"application\" \"pdf\" (\"name\" \"a.pdf\") NIL \"A PDF\" \"base64\" 100)";

fn structure(b: BodyStructure) -> Response {
    fetch(vec![FetchValue::BodyStructure(Box::new(b))])
}

#[test]
fn body_never_has_extension_data() {
    let item = fetch(vec![FetchValue::Body(Box::new(mixed(
        vec![b"en".to_vec()],
    )))]);
    kat(
        item,
        &line(&format!("BODY ({TEXT_BODY}{PDF_BODY} \"mixed\")")),
    );
    // The RFC 3501 §6.4.5 example.
    let rfc = BodyStructure::Single {
        fields: BodyFields {
            media_type: "TEXT".into(),
            subtype: "PLAIN".into(),
            params: vec![("CHARSET".into(), b"US-ASCII".to_vec())],
            encoding: "7BIT".into(),
            size: 3028,
            ..BodyFields::default()
        },
        kind: SingleKind::Text { lines: 92 },
        ext: SingleExt::default(),
    };
    kat(
        fetch(vec![FetchValue::Body(Box::new(rfc))]),
        &line("BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92)"),
    );
}

#[test]
fn bodystructure_extension_data_v0056() {
    let with_ext = "BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 10 1 NIL NIL NIL NIL)(\"application\" \"pdf\" (\"name\" \"a.pdf\") NIL \"A PDF\" \"base64\" 100 NIL (\"attachment\" (\"filename\" \"a.pdf\")) \"en\" NIL) \"mixed\" (\"boundary\" \"x\") NIL NIL NIL)";
    kat(structure(mixed(vec![b"en".to_vec()])), &line(with_ext));
    let no_ext = EncodeOptions {
        bodystructure_extension: false,
        ..EncodeOptions::strict()
    };
    kat_with(
        structure(mixed(vec![b"en".to_vec()])),
        &no_ext,
        &line(&format!("BODYSTRUCTURE ({TEXT_BODY}{PDF_BODY} \"mixed\")")),
    );
    let langs = structure(pdf_part(vec![b"en".to_vec(), b"fr".to_vec()]));
    kat(langs, &line("BODYSTRUCTURE (\"application\" \"pdf\" (\"name\" \"a.pdf\") NIL \"A PDF\" \"base64\" 100 NIL (\"attachment\" (\"filename\" \"a.pdf\")) (\"en\" \"fr\") NIL)"));
    let mut located = pdf_part(vec![]);
    if let BodyStructure::Single { ext, .. } = &mut located {
        ext.md5 = s("Q2hlY2s=");
        ext.location = s("http://x/a.pdf");
        ext.disposition = Some(Disposition {
            kind: "inline".into(),
            params: vec![],
        });
    }
    kat(structure(located), &line("BODYSTRUCTURE (\"application\" \"pdf\" (\"name\" \"a.pdf\") NIL \"A PDF\" \"base64\" 100 \"Q2hlY2s=\" (\"inline\" NIL) NIL \"http://x/a.pdf\")"));
}

#[test]
fn message_rfc822_part() {
    let msg = BodyStructure::Single {
        fields: BodyFields {
            media_type: "message".into(),
            subtype: "rfc822".into(),
            encoding: "7bit".into(),
            size: 500,
            ..BodyFields::default()
        },
        kind: SingleKind::Message {
            envelope: Box::new(rfc_envelope()),
            body: Box::new(text_part()),
            lines: 20,
        },
        ext: SingleExt::default(),
    };
    let inner =
        "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 10 1 NIL NIL NIL NIL)";
    let expected = format!("BODYSTRUCTURE (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 500 {RFC_ENVELOPE} {inner} 20 NIL NIL NIL NIL)");
    kat(structure(msg.clone()), &line(&expected));
    let body = format!(
        "BODY (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 500 {RFC_ENVELOPE} {TEXT_BODY} 20)"
    );
    kat(fetch(vec![FetchValue::Body(Box::new(msg))]), &line(&body));
}

#[test]
fn bodystructure_quirks() {
    let quirk = |q: BodyStructureQuirks| EncodeOptions {
        bodystructure_quirks: q,
        ..EncodeOptions::strict()
    };
    let pdf = || structure(pdf_part(vec![]));
    let head = "BODYSTRUCTURE (\"application\" \"pdf\" (\"name\" \"a.pdf\") NIL \"A PDF\"";
    let bare = quirk(BodyStructureQuirks {
        disposition_bare_string: true,
        ..Default::default()
    });
    kat_with(
        pdf(),
        &bare,
        &line(&format!(
            "{head} \"base64\" 100 NIL \"attachment\" NIL NIL)"
        )),
    );
    let desc = quirk(BodyStructureQuirks {
        description_in_disposition: true,
        ..Default::default()
    });
    kat_with(
        pdf(),
        &desc,
        &line(&format!("{head} \"base64\" 100 NIL \"A PDF\" NIL NIL)")),
    );
    let nil = quirk(BodyStructureQuirks {
        nil_encoding: true,
        ..Default::default()
    });
    kat_with(
        pdf(),
        &nil,
        &line(&format!(
            "{head} NIL 100 NIL (\"attachment\" (\"filename\" \"a.pdf\")) NIL NIL)"
        )),
    );
    kat_with(
        fetch(vec![FetchValue::Body(Box::new(text_part()))]),
        &nil,
        &line("BODY (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL NIL 10 1)"),
    );
    kat(
        pdf(),
        &line(&format!(
            "{head} \"base64\" 100 NIL (\"attachment\" (\"filename\" \"a.pdf\")) NIL NIL)"
        )),
    );
}

#[test]
fn ascii_only_strings_v0007() {
    let ascii = EncodeOptions {
        ascii_only_strings: true,
        ..EncodeOptions::strict()
    };
    let env = Envelope {
        subject: s("caf\u{e9}"),
        from: vec![addr(Some("J\u{fc}rgen"), "j", "x.example")],
        ..Envelope::default()
    };
    let item = || fetch(vec![FetchValue::Envelope(Box::new(env.clone()))]);
    let strict = line("ENVELOPE (NIL {5}\r\ncaf\u{e9} (({7}\r\nJ\u{fc}rgen NIL \"j\" \"x.example\")) NIL NIL NIL NIL NIL NIL NIL)");
    kat(item(), &strict);
    let encoded = line("ENVELOPE (NIL \"=?UTF-8?B?Y2Fmw6k=?=\" ((\"=?UTF-8?B?SsO8cmdlbg==?=\" NIL \"j\" \"x.example\")) NIL NIL NIL NIL NIL NIL NIL)");
    kat_with(item(), &ascii, &encoded);
    oracle_accepts(&encoded);
    let mut part = pdf_part(vec![]);
    if let BodyStructure::Single { fields, .. } = &mut part {
        fields.params = vec![("name".into(), b"\xff.pdf".to_vec())];
    }
    let wire = crate::wire::encode::response_bytes(&structure(part), &ascii);
    let text = String::from_utf8(wire).unwrap();
    assert!(
        text.contains("(\"name\" \"=?UNKNOWN-8BIT?B?/y5wZGY=?=\")"),
        "{text}"
    );
}

#[test]
fn long_encoded_words_are_split() {
    let long = "\u{e9}".repeat(100);
    let words = encoded_words(long.as_bytes());
    let parts: Vec<&str> = words.split(' ').collect();
    assert_eq!(parts.len(), 5);
    assert!(parts
        .iter()
        .all(|w| w.len() <= 75 && w.starts_with("=?UTF-8?B?") && w.ends_with("?=")));
    assert_eq!(encoded_words(b"abc"), "=?UTF-8?B?YWJj?=");
}
