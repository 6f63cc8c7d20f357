//! Known-answer tests of the decoder: one or more per command, the leniency switches on and
//! off, and every error kind. SEARCH keys and FETCH attributes are in `tests_keys`.

use super::*;
use crate::secret::Secret;
use crate::wire::types::*;

mod keys;
mod leniency;

pub(super) fn strict() -> DecodeOptions {
    DecodeOptions::strict()
}

pub(super) fn lenient() -> DecodeOptions {
    DecodeOptions {
        tab_delimiter: true,
        any_tag: true,
    }
}

/// Decodes strictly and returns the body, asserting the tag.
pub(super) fn ok(input: &[u8]) -> CommandBody {
    match decode_command(input, &strict()) {
        Ok(cmd) => cmd.body,
        Err(e) => panic!("{:?} failed: {e}", String::from_utf8_lossy(input)),
    }
}

pub(super) fn err(input: &[u8]) -> DecodeError {
    match decode_command(input, &strict()) {
        Ok(cmd) => panic!("{:?} decoded as {cmd:?}", String::from_utf8_lossy(input)),
        Err(e) => e,
    }
}

pub(super) fn bad_args(input: &[u8], command: &str) -> String {
    let e = err(input);
    assert_eq!(
        e.kind,
        DecodeErrorKind::BadArguments,
        "{:?}: {e}",
        String::from_utf8_lossy(input)
    );
    assert_eq!(e.command.as_deref(), Some(command));
    assert!(e.tag.is_some());
    e.detail
}

pub(super) fn set(ranges: &[(u32, u32)]) -> SequenceSet {
    SequenceSet(
        ranges
            .iter()
            .map(|&(a, b)| SeqRange {
                start: if a == 0 {
                    SeqNum::Star
                } else {
                    SeqNum::Value(a)
                },
                end: if b == 0 {
                    SeqNum::Star
                } else {
                    SeqNum::Value(b)
                },
            })
            .collect(),
    )
}

fn mbx(name: &str) -> MailboxName {
    MailboxName::new(name)
}

#[test]
fn commands_without_arguments() {
    use CommandBody::*;
    let cases: [(&[u8], CommandBody); 10] = [
        (b"a CAPABILITY\r\n", Capability),
        (b"a noop\r\n", Noop),
        (b"a Logout\r\n", Logout),
        (b"a STARTTLS\r\n", StartTls),
        (b"a IDLE\r\n", Idle),
        (b"a NAMESPACE\r\n", Namespace),
        (b"a CHECK\r\n", Check),
        (b"a CLOSE\r\n", Close),
        (b"a UNSELECT\r\n", Unselect),
        (b"a EXPUNGE\r\n", Expunge),
    ];
    for (input, body) in cases {
        let cmd = decode_command(input, &strict()).unwrap();
        assert_eq!(cmd.tag.as_str(), "a");
        assert_eq!(cmd.body, body);
    }
    assert_eq!(
        bad_args(b"a NOOP \r\n", "NOOP"),
        "expected the end of the line but found an extra space"
    );
    bad_args(b"a NOOP x\r\n", "NOOP");
    bad_args(b"a NOOP", "NOOP");
    bad_args(b"a NOOP\n", "NOOP");
    bad_args(b"a NOOP\r\nb NOOP\r\n", "NOOP");
}

#[test]
fn id() {
    assert_eq!(ok(b"a ID NIL\r\n"), CommandBody::Id(None));
    assert_eq!(ok(b"a ID ()\r\n"), CommandBody::Id(Some(vec![])));
    assert_eq!(
        ok(b"a ID (\"name\" \"sodr\" \"version\" NIL \"x\" {2}\r\n\xc3\xa9)\r\n"),
        CommandBody::Id(Some(vec![
            (b"name".to_vec(), Some(b"sodr".to_vec())),
            (b"version".to_vec(), None),
            (b"x".to_vec(), Some(b"\xc3\xa9".to_vec())),
        ]))
    );
    bad_args(b"a ID (name \"x\")\r\n", "ID");
    bad_args(b"a ID (\"name\")\r\n", "ID");
    bad_args(b"a ID\r\n", "ID");
}

#[test]
fn authenticate() {
    let auth = |m: &str, ir: Option<&[u8]>| CommandBody::Authenticate {
        mechanism: m.into(),
        initial_response: ir.map(Secret::new),
    };
    assert_eq!(ok(b"a AUTHENTICATE plain\r\n"), auth("PLAIN", None));
    assert_eq!(ok(b"a AUTHENTICATE PLAIN =\r\n"), auth("PLAIN", Some(b"")));
    assert_eq!(
        ok(b"a AUTHENTICATE PLAIN AHVzZXIAcGFzcw==\r\n"),
        auth("PLAIN", Some(b"\0user\0pass"))
    );
    assert_eq!(
        ok(b"a AUTHENTICATE gssapi YQ==\r\n"),
        auth("GSSAPI", Some(b"a"))
    );
    let detail = bad_args(b"a AUTHENTICATE PLAIN AHVzZXIAcGFzcw=\r\n", "AUTHENTICATE");
    assert!(detail.contains("base64"), "{detail}");
    bad_args(b"a AUTHENTICATE PLAIN ***\r\n", "AUTHENTICATE");
    bad_args(b"a AUTHENTICATE PLAIN \r\n", "AUTHENTICATE");
    bad_args(b"a AUTHENTICATE\r\n", "AUTHENTICATE");
}

#[test]
fn login() {
    let login = |u: &[u8], p: &[u8]| CommandBody::Login {
        username: u.to_vec(),
        password: Secret::new(p),
    };
    assert_eq!(ok(b"a LOGIN fred secret\r\n"), login(b"fred", b"secret"));
    assert_eq!(
        ok(b"a login \"fred smith\" \"p\\\"w\"\r\n"),
        login(b"fred smith", b"p\"w")
    );
    assert_eq!(
        ok(b"a LOGIN {4}\r\nfred {3+}\r\np w\r\n"),
        login(b"fred", b"p w")
    );
    assert_eq!(ok(b"a LOGIN a]b c\r\n"), login(b"a]b", b"c"));
    bad_args(b"a LOGIN fred\r\n", "LOGIN");
    bad_args(b"a LOGIN fred  secret\r\n", "LOGIN");
    bad_args(b"a LOGIN fred secret \r\n", "LOGIN");
    bad_args(b"a LOGIN fred\tsecret\r\n", "LOGIN");
}

#[test]
fn mailbox_commands() {
    use CommandBody::*;
    assert_eq!(ok(b"a SELECT INBOX\r\n"), Select(mbx("INBOX")));
    assert_eq!(ok(b"a select inbox\r\n"), Select(mbx("inbox")));
    assert_eq!(
        ok(b"a EXAMINE \"Sent Items\"\r\n"),
        Examine(mbx("Sent Items"))
    );
    assert_eq!(ok(b"a CREATE Caf&AOk-\r\n"), Create(mbx("Caf&AOk-")));
    assert_eq!(ok(b"a DELETE {3}\r\na\\b\r\n"), Delete(mbx("a\\b")));
    assert_eq!(ok(b"a SUBSCRIBE \"\"\r\n"), Subscribe(mbx("")));
    assert_eq!(ok(b"a UNSUBSCRIBE x]\r\n"), Unsubscribe(mbx("x]")));
    assert_eq!(
        ok(b"a RENAME old \"new one\"\r\n"),
        Rename {
            from: mbx("old"),
            to: mbx("new one")
        }
    );
    bad_args(b"a SELECT\r\n", "SELECT");
    bad_args(b"a SELECT \r\n", "SELECT");
    bad_args(b"a SELECT a%\r\n", "SELECT");
    bad_args(b"a SELECT a b\r\n", "SELECT");
    bad_args(b"a RENAME old\r\n", "RENAME");
}

#[test]
fn list_and_lsub() {
    use CommandBody::*;
    assert_eq!(
        ok(b"a LIST \"\" *\r\n"),
        List {
            reference: mbx(""),
            pattern: b"*".to_vec()
        }
    );
    assert_eq!(
        ok(b"a LIST ~/Mail/ %]a*\r\n"),
        List {
            reference: mbx("~/Mail/"),
            pattern: b"%]a*".to_vec()
        }
    );
    assert_eq!(
        ok(b"a LSUB \"#news.\" \"comp.mail.*\"\r\n"),
        Lsub {
            reference: mbx("#news."),
            pattern: b"comp.mail.*".to_vec()
        }
    );
    bad_args(b"a LIST \"\"\r\n", "LIST");
    bad_args(b"a LIST * *\r\n", "LIST");
    bad_args(b"a LSUB \"\" (\r\n", "LSUB");
}

#[test]
fn status() {
    use StatusItem::*;
    assert_eq!(
        ok(b"a STATUS blurdybloop (UIDNEXT messages Recent UIDVALIDITY UNSEEN)\r\n"),
        CommandBody::Status {
            mailbox: mbx("blurdybloop"),
            items: vec![UidNext, Messages, Recent, UidValidity, Unseen],
        }
    );
    bad_args(b"a STATUS x ()\r\n", "STATUS");
    bad_args(b"a STATUS x (SIZE)\r\n", "STATUS");
    bad_args(b"a STATUS x MESSAGES\r\n", "STATUS");
    bad_args(b"a STATUS x (MESSAGES )\r\n", "STATUS");
}

#[test]
fn append() {
    let cmd = ok(b"A003 APPEND saved-messages (\\Seen $MDNSent) \"17-Jul-1996 02:44:25 -0700\" {5}\r\nhello\r\n");
    assert_eq!(
        cmd,
        CommandBody::Append {
            mailbox: mbx("saved-messages"),
            flags: vec![Flag::Seen, Flag::Keyword("$MDNSent".into())],
            date: Some(ImapDateTime {
                timestamp: 837_596_665,
                offset_minutes: -420
            }),
            message: b"hello".to_vec(),
        }
    );
    let plain = ok(b"a APPEND INBOX {3+}\r\n\xff\r\n\r\n");
    assert_eq!(
        plain,
        CommandBody::Append {
            mailbox: mbx("INBOX"),
            flags: vec![],
            date: None,
            message: b"\xff\r\n".to_vec()
        }
    );
    let flags_only = ok(b"a APPEND INBOX () {0}\r\n\r\n");
    assert!(
        matches!(flags_only, CommandBody::Append { ref flags, date: None, .. } if flags.is_empty())
    );
    let date_only = ok(b"a APPEND INBOX \" 1-Jan-2000 00:00:00 +0000\" {1}\r\nx\r\n");
    assert!(
        matches!(date_only, CommandBody::Append { date: Some(d), .. } if d.timestamp == 946_684_800)
    );
    bad_args(b"a APPEND INBOX \"hello\"\r\n", "APPEND");
    bad_args(
        b"a APPEND INBOX \"1-Jan-2000 00:00:00 +0000\" {1}\r\nx\r\n",
        "APPEND",
    );
    bad_args(
        b"a APPEND INBOX \"31-Feb-2000 00:00:00 +0000\" {1}\r\nx\r\n",
        "APPEND",
    );
    bad_args(b"a APPEND INBOX {10}\r\nshort\r\n", "APPEND");
    bad_args(b"a APPEND INBOX (\\Seen) \r\n", "APPEND");
}

#[test]
fn store() {
    let store = |mode, silent, flags: Vec<Flag>, uid| CommandBody::Store {
        set: set(&[(2, 4)]),
        mode,
        silent,
        flags,
        uid,
    };
    assert_eq!(
        ok(b"a STORE 2:4 +FLAGS (\\Deleted)\r\n"),
        store(StoreMode::Add, false, vec![Flag::Deleted], false)
    );
    assert_eq!(
        ok(b"a UID STORE 2:4 -flags.silent \\seen \\FLAGGED kw\r\n"),
        store(
            StoreMode::Remove,
            true,
            vec![Flag::Seen, Flag::Flagged, Flag::Keyword("kw".into())],
            true
        )
    );
    assert_eq!(
        ok(b"a STORE 2:4 FLAGS ()\r\n"),
        store(StoreMode::Replace, false, vec![], false)
    );
    assert_eq!(
        ok(b"a STORE 2:4 FLAGS (\\Answered \\Draft \\Recent \\X-Ext)\r\n"),
        store(
            StoreMode::Replace,
            false,
            vec![
                Flag::Answered,
                Flag::Draft,
                Flag::Recent,
                Flag::Extension("X-Ext".into())
            ],
            false
        )
    );
    bad_args(b"a STORE 2:4 FLAGS\r\n", "STORE");
    bad_args(b"a STORE 2:4 *FLAGS (\\Seen)\r\n", "STORE");
    bad_args(b"a STORE 2:4 FLAGS.LOUD (\\Seen)\r\n", "STORE");
    bad_args(b"a STORE 2:4 FLAGS (\\*)\r\n", "STORE");
    bad_args(b"a STORE 2:4 FLAGS \r\n", "STORE");
}

#[test]
fn copy_move_and_uid_expunge() {
    use CommandBody::*;
    assert_eq!(
        ok(b"a COPY 2:4 MEETING\r\n"),
        Copy {
            set: set(&[(2, 4)]),
            mailbox: mbx("MEETING"),
            uid: false
        }
    );
    assert_eq!(
        ok(b"a uid copy 1,3:* \"Sent Items\"\r\n"),
        Copy {
            set: set(&[(1, 1), (3, 0)]),
            mailbox: mbx("Sent Items"),
            uid: true
        }
    );
    assert_eq!(
        ok(b"a MOVE * Trash\r\n"),
        Move {
            set: set(&[(0, 0)]),
            mailbox: mbx("Trash"),
            uid: false
        }
    );
    assert_eq!(
        ok(b"a UID MOVE 7 Trash\r\n"),
        Move {
            set: set(&[(7, 7)]),
            mailbox: mbx("Trash"),
            uid: true
        }
    );
    assert_eq!(
        ok(b"a UID EXPUNGE 3000:3002\r\n"),
        UidExpunge(set(&[(3000, 3002)]))
    );
    assert_eq!(
        bad_args(b"a UID EXPUNGE\r\n", "EXPUNGE"),
        "expected a space and arguments but the line ended"
    );
    bad_args(b"a COPY 0 x\r\n", "COPY");
    bad_args(b"a COPY 4294967296 x\r\n", "COPY");
    bad_args(b"a MOVE 1\r\n", "MOVE");
}

#[test]
fn long_sequence_sets_parse_in_linear_time() {
    let mut input = b"a UID FETCH ".to_vec();
    for i in 0..100_000u32 {
        input.extend_from_slice(format!("{}:{},", i * 3 + 1, i * 3 + 2).as_bytes());
    }
    input.pop();
    input.extend_from_slice(b" FLAGS\r\n");
    let start = std::time::Instant::now();
    let CommandBody::Fetch { set, .. } = ok(&input) else {
        panic!()
    };
    assert_eq!(set.0.len(), 100_000);
    assert!(start.elapsed() < std::time::Duration::from_secs(2));
}
