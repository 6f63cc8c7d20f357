//! FETCH items other than ENVELOPE and body structures: FLAGS, INTERNALDATE (space-padded
//! day, stored zone), RFC822.SIZE, UID, BODY[section]<origin> and RFC822* data.

use super::body::{fetch, line};
use super::kat;
use crate::wire::response::*;
use crate::wire::types::*;

#[test]
fn simple_fetch_items() {
    let items = vec![
        FetchValue::Flags(vec![Flag::Seen, Flag::Keyword("$MDNSent".into())]),
        FetchValue::InternalDate(ImapDateTime {
            timestamp: 837_596_665,
            offset_minutes: -420,
        }),
        FetchValue::Rfc822Size(4286),
        FetchValue::Uid(5),
    ];
    kat(fetch(items), &line("FLAGS (\\Seen $MDNSent) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" RFC822.SIZE 4286 UID 5"));
    kat(fetch(vec![FetchValue::Flags(vec![])]), &line("FLAGS ()"));
    let padded = FetchValue::InternalDate(ImapDateTime {
        timestamp: 836_707_465,
        offset_minutes: 60,
    });
    kat(
        fetch(vec![padded]),
        &line("INTERNALDATE \" 7-Jul-1996 03:44:25 +0100\""),
    );
}

#[test]
fn body_sections_and_rfc822() {
    let section = Section {
        part: vec![1, 2],
        text: Some(SectionText::HeaderFields(vec!["From".into(), "To".into()])),
    };
    let item = FetchValue::BodySection {
        section,
        origin: Some(0),
        data: Some(b"From: a\r\n\r\n".to_vec()),
    };
    kat(
        fetch(vec![item]),
        &line("BODY[1.2.HEADER.FIELDS (From To)]<0> {11}\r\nFrom: a\r\n\r\n"),
    );
    let whole = FetchValue::BodySection {
        section: Section::default(),
        origin: None,
        data: None,
    };
    kat(
        fetch(vec![FetchValue::Uid(9), whole]),
        &line("UID 9 BODY[] NIL"),
    );
}

#[test]
fn every_section_spec_and_rfc822_data() {
    let cases = [
        (
            Section {
                part: vec![],
                text: Some(SectionText::Header),
            },
            "HEADER",
        ),
        (
            Section {
                part: vec![],
                text: Some(SectionText::Text),
            },
            "TEXT",
        ),
        (
            Section {
                part: vec![3],
                text: Some(SectionText::Mime),
            },
            "3.MIME",
        ),
        (
            Section {
                part: vec![3, 1],
                text: None,
            },
            "3.1",
        ),
        (
            Section {
                part: vec![],
                text: Some(SectionText::HeaderFieldsNot(vec!["Received".into()])),
            },
            "HEADER.FIELDS.NOT (Received)",
        ),
    ];
    for (section, spec) in cases {
        let item = FetchValue::BodySection {
            section,
            origin: Some(100),
            data: Some(b"x".to_vec()),
        };
        kat(
            fetch(vec![item]),
            &line(&format!("BODY[{spec}]<100> {{1}}\r\nx")),
        );
    }
    let items = vec![
        FetchValue::Rfc822(Some(b"Subject: x\r\n\r\nhi".to_vec())),
        FetchValue::Rfc822Header(Some(Vec::new())),
        FetchValue::Rfc822Text(None),
    ];
    kat(
        fetch(items),
        &line("RFC822 {16}\r\nSubject: x\r\n\r\nhi RFC822.HEADER {0}\r\n RFC822.TEXT NIL"),
    );
}
