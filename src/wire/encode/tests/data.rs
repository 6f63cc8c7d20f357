//! Untagged data responses: CAPABILITY, LIST / LSUB with every mailbox quoting rule
//! (V0009, V0030, V0033), STATUS with and without the §2.1.5 trailing space, SEARCH, FLAGS,
//! counts, NAMESPACE, ID and raw lines.

use super::{kat, kat_oracle, kat_with, Oracle};
use crate::wire::encode::{EncodeOptions, MailboxQuoting};
use crate::wire::response::*;
use crate::wire::types::*;

fn data(d: Data) -> Response {
    Response::Data(d)
}

fn list_item(attrs: &[&str], delim: Option<char>, name: &[u8]) -> ListItem {
    ListItem {
        attributes: attrs.iter().map(|s| s.to_string()).collect(),
        delimiter: delim,
        mailbox: MailboxName::new(name),
    }
}

#[test]
fn simple_data() {
    let caps = ["IMAP4", "IMAP4rev1", "AUTH=NTLM", "IDLE", "LITERAL+"]
        .map(String::from)
        .to_vec();
    kat(
        data(Data::Capability(caps)),
        b"* CAPABILITY IMAP4 IMAP4rev1 AUTH=NTLM IDLE LITERAL+\r\n",
    );
    kat(data(Data::Search(vec![2, 3, 6])), b"* SEARCH 2 3 6\r\n");
    kat(data(Data::Search(vec![])), b"* SEARCH\r\n");
    let flags = vec![
        Flag::Seen,
        Flag::Answered,
        Flag::Flagged,
        Flag::Deleted,
        Flag::Draft,
        Flag::Keyword("$MDNSent".into()),
    ];
    kat(
        data(Data::Flags(flags)),
        b"* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft $MDNSent)\r\n",
    );
    kat(
        data(Data::Flags(vec![Flag::Recent, Flag::Extension("X".into())])),
        b"* FLAGS (\\Recent \\X)\r\n",
    );
    kat(data(Data::Flags(vec![])), b"* FLAGS ()\r\n");
    kat(data(Data::Exists(23)), b"* 23 EXISTS\r\n");
    kat(data(Data::Recent(0)), b"* 0 RECENT\r\n");
    kat(data(Data::Expunge(44)), b"* 44 EXPUNGE\r\n");
    kat_oracle(
        data(Data::Raw(b"[COPYUID 7 1:3 10:12]".to_vec())),
        b"[COPYUID 7 1:3 10:12]\r\n",
        Oracle::Quirk,
    );
}

#[test]
fn list_and_lsub() {
    kat(
        data(Data::List(list_item(
            &["\\HasNoChildren"],
            Some('/'),
            b"INBOX",
        ))),
        b"* LIST (\\HasNoChildren) \"/\" INBOX\r\n",
    );
    kat(
        data(Data::List(list_item(&[], None, b"foo"))),
        b"* LIST () NIL foo\r\n",
    );
    kat(
        data(Data::List(list_item(
            &["\\Noselect", "\\HasChildren"],
            Some('.'),
            b"#news",
        ))),
        b"* LIST (\\Noselect \\HasChildren) \".\" #news\r\n",
    );
    kat(
        data(Data::List(list_item(&[], Some('\\'), b"a"))),
        b"* LIST () \"\\\\\" a\r\n",
    );
    kat(
        data(Data::Lsub(list_item(
            &["\\Marked"],
            Some('/'),
            b"Sent Items",
        ))),
        b"* LSUB (\\Marked) \"/\" \"Sent Items\"\r\n",
    );
    kat(
        data(Data::List(list_item(&[], Some('/'), b""))),
        b"* LIST () \"/\" \"\"\r\n",
    );
}

/// Mailbox quoting of V0009 / V0030 / V0033: (name, strict, Exchange 2007, Exchange 2010+).
#[test]
fn mailbox_quoting() {
    let ex2007 = EncodeOptions {
        mailbox_quoting: MailboxQuoting::LiteralWhenContains(b"\\".to_vec()),
        ..EncodeOptions::strict()
    };
    let ex2010 = EncodeOptions {
        mailbox_quoting: MailboxQuoting::LiteralWhenContains(b"\\\"".to_vec()),
        ..EncodeOptions::strict()
    };
    type Case<'a> = (&'a [u8], &'a [u8], &'a [u8], &'a [u8]);
    let cases: [Case; 10] = [
        (b"Drafts", b"Drafts", b"Drafts", b"Drafts"),
        (
            b"Sent Items",
            b"\"Sent Items\"",
            b"\"Sent Items\"",
            b"\"Sent Items\"",
        ),
        (b"a\\b", b"\"a\\\\b\"", b"{3}\r\na\\b", b"{3}\r\na\\b"),
        (
            b"say \"hi\"",
            b"\"say \\\"hi\\\"\"",
            b"\"say \\\"hi\\\"\"",
            b"{8}\r\nsay \"hi\"",
        ),
        (b"50%", b"\"50%\"", b"\"50%\"", b"\"50%\""),
        (b"a*b", b"\"a*b\"", b"\"a*b\"", b"\"a*b\""),
        (
            b"Caf&AOk-/Entw&APw-rfe",
            b"Caf&AOk-/Entw&APw-rfe",
            b"Caf&AOk-/Entw&APw-rfe",
            b"Caf&AOk-/Entw&APw-rfe",
        ),
        (b"x]y", b"x]y", b"x]y", b"x]y"),
        (
            b"caf\xc3\xa9",
            b"{5}\r\ncaf\xc3\xa9",
            b"{5}\r\ncaf\xc3\xa9",
            b"{5}\r\ncaf\xc3\xa9",
        ),
        (b"(x)", b"\"(x)\"", b"\"(x)\"", b"\"(x)\""),
    ];
    for (name, strict, e2007, e2010) in cases {
        let list = data(Data::List(list_item(&[], Some('/'), name)));
        let line = |n: &[u8]| [&b"* LIST () \"/\" "[..], n, b"\r\n"].concat();
        kat(list.clone(), &line(strict));
        kat_with(list.clone(), &ex2007, &line(e2007));
        kat_with(list, &ex2010, &line(e2010));
        let status = data(Data::Status {
            mailbox: MailboxName::new(name),
            items: vec![(StatusItem::Messages, 1)],
        });
        kat_with(
            status,
            &ex2010,
            &[&b"* STATUS "[..], e2010, b" (MESSAGES 1)\r\n"].concat(),
        );
    }
}

#[test]
fn status_data_and_trailing_space() {
    let status = data(Data::Status {
        mailbox: MailboxName::new("blurdybloop"),
        items: vec![
            (StatusItem::Messages, 231),
            (StatusItem::UidNext, 44292),
            (StatusItem::Unseen, 0),
            (StatusItem::Recent, 1),
            (StatusItem::UidValidity, 7),
        ],
    });
    kat(
        status.clone(),
        b"* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292 UNSEEN 0 RECENT 1 UIDVALIDITY 7)\r\n",
    );
    let exchange = EncodeOptions {
        status_trailing_space: true,
        ..EncodeOptions::strict()
    };
    kat_with(
        status,
        &exchange,
        b"* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292 UNSEEN 0 RECENT 1 UIDVALIDITY 7) \r\n",
    );
    let empty = data(Data::Status {
        mailbox: MailboxName::new("Sent Items"),
        items: vec![],
    });
    kat(empty, b"* STATUS \"Sent Items\" ()\r\n");
}

#[test]
fn namespace_and_id() {
    let personal = Some(vec![(MailboxName::new(""), Some('/'))]);
    kat_oracle(
        data(Data::Namespace {
            personal: personal.clone(),
            other: None,
            shared: None,
        }),
        b"* NAMESPACE ((\"\" \"/\")) NIL NIL\r\n",
        Oracle::UnknownExtension,
    );
    let other = Some(vec![
        (MailboxName::new("~"), Some('/')),
        (MailboxName::new("#shared"), None),
    ]);
    kat_oracle(
        data(Data::Namespace {
            personal,
            other,
            shared: Some(vec![]),
        }),
        b"* NAMESPACE ((\"\" \"/\")) ((\"~\" \"/\")(\"#shared\" NIL)) NIL\r\n",
        Oracle::UnknownExtension,
    );
    kat_oracle(
        data(Data::Id(None)),
        b"* ID NIL\r\n",
        Oracle::UnknownExtension,
    );
    kat_oracle(
        data(Data::Id(Some(vec![]))),
        b"* ID NIL\r\n",
        Oracle::UnknownExtension,
    );
    let params = vec![
        ("name".to_string(), Some("Microsoft Exchange".to_string())),
        ("version".into(), None),
    ];
    kat_oracle(
        data(Data::Id(Some(params))),
        b"* ID (\"name\" \"Microsoft Exchange\" \"version\" NIL)\r\n",
        Oracle::UnknownExtension,
    );
}
