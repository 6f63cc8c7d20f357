//! Known answers for the client-side command encoder, each also decoded back.

use crate::secret::Secret;
use crate::wire::command::{Command, CommandBody};
use crate::wire::decode::{decode_command, DecodeOptions};
use crate::wire::encode::encode_command;
use crate::wire::types::*;

fn kat(body: CommandBody, expected: &[u8]) {
    let cmd = Command {
        tag: Tag::new("A1").unwrap(),
        body,
    };
    let mut out = Vec::new();
    encode_command(&cmd, &mut out);
    assert_eq!(
        String::from_utf8_lossy(&out),
        String::from_utf8_lossy(expected)
    );
    assert_eq!(decode_command(&out, &DecodeOptions::strict()), Ok(cmd));
}

fn one(n: u32) -> SequenceSet {
    SequenceSet(vec![SeqRange {
        start: SeqNum::Value(n),
        end: SeqNum::Value(n),
    }])
}

#[test]
fn simple_commands() {
    use CommandBody::*;
    kat(Capability, b"A1 CAPABILITY\r\n");
    kat(Noop, b"A1 NOOP\r\n");
    kat(Logout, b"A1 LOGOUT\r\n");
    kat(StartTls, b"A1 STARTTLS\r\n");
    kat(Idle, b"A1 IDLE\r\n");
    kat(Namespace, b"A1 NAMESPACE\r\n");
    kat(Check, b"A1 CHECK\r\n");
    kat(Close, b"A1 CLOSE\r\n");
    kat(Unselect, b"A1 UNSELECT\r\n");
    kat(Expunge, b"A1 EXPUNGE\r\n");
    kat(
        UidExpunge(SequenceSet(vec![SeqRange {
            start: SeqNum::Value(1),
            end: SeqNum::Star,
        }])),
        b"A1 UID EXPUNGE 1:*\r\n",
    );
    kat(Id(None), b"A1 ID NIL\r\n");
    kat(
        Id(Some(vec![
            (b"name".to_vec(), Some(b"x y".to_vec())),
            (b"os".to_vec(), None),
        ])),
        b"A1 ID (\"name\" \"x y\" \"os\" NIL)\r\n",
    );
}

#[test]
fn authentication() {
    use CommandBody::*;
    kat(
        Authenticate {
            mechanism: "PLAIN".into(),
            initial_response: None,
        },
        b"A1 AUTHENTICATE PLAIN\r\n",
    );
    kat(
        Authenticate {
            mechanism: "PLAIN".into(),
            initial_response: Some(Secret::new("")),
        },
        b"A1 AUTHENTICATE PLAIN =\r\n",
    );
    kat(
        Authenticate {
            mechanism: "PLAIN".into(),
            initial_response: Some(Secret::new("\0u\0p")),
        },
        b"A1 AUTHENTICATE PLAIN AHUAcA==\r\n",
    );
    kat(
        Login {
            username: b"fred".to_vec(),
            password: Secret::new("p w\""),
        },
        b"A1 LOGIN fred \"p w\\\"\"\r\n",
    );
    kat(
        Login {
            username: b"\xc3\xa9".to_vec(),
            password: Secret::new("a\r\nb"),
        },
        b"A1 LOGIN {2}\r\n\xc3\xa9 {4}\r\na\r\nb\r\n",
    );
}

#[test]
fn mailbox_commands() {
    use CommandBody::*;
    let m = MailboxName::new;
    kat(Select(m("INBOX")), b"A1 SELECT INBOX\r\n");
    kat(Examine(m("Sent Items")), b"A1 EXAMINE \"Sent Items\"\r\n");
    kat(Create(m("a]b")), b"A1 CREATE a]b\r\n");
    kat(Delete(m("")), b"A1 DELETE \"\"\r\n");
    kat(Subscribe(m("50%")), b"A1 SUBSCRIBE \"50%\"\r\n");
    kat(Unsubscribe(m("Caf&AOk-")), b"A1 UNSUBSCRIBE Caf&AOk-\r\n");
    kat(
        Rename {
            from: m("a"),
            to: m("b\\c"),
        },
        b"A1 RENAME a \"b\\\\c\"\r\n",
    );
    kat(
        List {
            reference: m(""),
            pattern: b"%/*".to_vec(),
        },
        b"A1 LIST \"\" %/*\r\n",
    );
    kat(
        Lsub {
            reference: m("#news."),
            pattern: b"a b*".to_vec(),
        },
        b"A1 LSUB #news. \"a b*\"\r\n",
    );
    kat(
        Status {
            mailbox: m("x"),
            items: vec![StatusItem::UidNext, StatusItem::Messages],
        },
        b"A1 STATUS x (UIDNEXT MESSAGES)\r\n",
    );
    let date = Some(ImapDateTime {
        timestamp: 837_596_665,
        offset_minutes: -420,
    });
    kat(
        Append {
            mailbox: m("saved"),
            flags: vec![Flag::Seen, Flag::Extension("X".into())],
            date,
            message: b"hi\r\n".to_vec(),
        },
        b"A1 APPEND saved (\\Seen \\X) \"17-Jul-1996 02:44:25 -0700\" {4}\r\nhi\r\n\r\n",
    );
    kat(
        Append {
            mailbox: m("INBOX"),
            flags: vec![],
            date: None,
            message: vec![],
        },
        b"A1 APPEND INBOX {0}\r\n\r\n",
    );
}

#[test]
fn selected_commands() {
    use CommandBody::*;
    kat(
        Copy {
            set: one(2),
            mailbox: MailboxName::new("x"),
            uid: false,
        },
        b"A1 COPY 2 x\r\n",
    );
    kat(
        Move {
            set: one(2),
            mailbox: MailboxName::new("x"),
            uid: true,
        },
        b"A1 UID MOVE 2 x\r\n",
    );
    kat(
        Store {
            set: one(3),
            mode: StoreMode::Add,
            silent: true,
            flags: vec![Flag::Deleted],
            uid: true,
        },
        b"A1 UID STORE 3 +FLAGS.SILENT (\\Deleted)\r\n",
    );
    kat(
        Store {
            set: one(3),
            mode: StoreMode::Remove,
            silent: false,
            flags: vec![],
            uid: false,
        },
        b"A1 STORE 3 -FLAGS ()\r\n",
    );
    kat(
        Store {
            set: one(3),
            mode: StoreMode::Replace,
            silent: false,
            flags: vec![Flag::Keyword("k".into())],
            uid: false,
        },
        b"A1 STORE 3 FLAGS (k)\r\n",
    );
}

#[test]
fn fetch_command() {
    use CommandBody::*;
    let attrs = vec![
        FetchAttr::Uid,
        FetchAttr::Rfc822Size,
        FetchAttr::BodySection {
            peek: true,
            section: Section {
                part: vec![1],
                text: Some(SectionText::HeaderFields(vec!["From".into()])),
            },
            partial: Some((0, 10)),
        },
    ];
    kat(
        Fetch {
            set: one(1),
            attrs,
            uid: true,
        },
        b"A1 UID FETCH 1 (UID RFC822.SIZE BODY.PEEK[1.HEADER.FIELDS (From)]<0.10>)\r\n",
    );
}

#[test]
fn search_commands() {
    use SearchKey::*;
    let d = ImapDate {
        year: 1994,
        month: 2,
        day: 1,
    };
    let criteria = And(vec![
        Or(
            Box::new(From(b"a b".to_vec())),
            Box::new(Not(Box::new(Seen))),
        ),
        And(vec![Since(d), Larger(10)]),
        Header("X-A".into(), b"".to_vec()),
        Keyword("$MDNSent".into()),
        SequenceSet(one(4)),
        Uid(one(5)),
        Text(b"\xc3\xa9".to_vec()),
    ]);
    kat(
        CommandBody::Search { charset: Some("UTF-8".into()), criteria, uid: true },
        b"A1 UID SEARCH CHARSET UTF-8 OR FROM \"a b\" NOT SEEN (SINCE 1-Feb-1994 LARGER 10) HEADER X-A \"\" KEYWORD $MDNSent 4 UID 5 TEXT {2}\r\n\xc3\xa9\r\n",
    );
}
