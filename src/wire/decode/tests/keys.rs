//! Known-answer tests for every SEARCH key (RFC 3501 §6.4.4) and FETCH attribute (§6.4.5).

use super::{bad_args, ok, set};
use crate::wire::command::CommandBody;
use crate::wire::decode::{MAX_SEARCH_NESTING, MAX_SEARCH_RECURSION};
use crate::wire::types::*;

fn search(input: &str) -> (Option<String>, Vec<SearchKey>, bool) {
    match ok(input.as_bytes()) {
        CommandBody::Search {
            charset,
            criteria: SearchKey::And(keys),
            uid,
        } => (charset, keys, uid),
        other => panic!("{other:?}"),
    }
}

/// The single key of `a SEARCH <key>`.
fn key(text: &str) -> SearchKey {
    let (_, mut keys, _) = search(&format!("a SEARCH {text}\r\n"));
    assert_eq!(keys.len(), 1, "{text}");
    keys.remove(0)
}

fn date(year: i32, month: u32, day: u32) -> ImapDate {
    ImapDate { year, month, day }
}

#[test]
fn search_keys_without_arguments() {
    use SearchKey::*;
    let cases = [
        ("ALL", All),
        ("answered", Answered),
        ("DELETED", Deleted),
        ("DRAFT", Draft),
        ("FLAGGED", Flagged),
        ("NEW", New),
        ("OLD", Old),
        ("RECENT", Recent),
        ("SEEN", Seen),
        ("UNANSWERED", Unanswered),
        ("UNDELETED", Undeleted),
        ("UNDRAFT", Undraft),
        ("UNFLAGGED", Unflagged),
        ("UnSeen", Unseen),
    ];
    for (text, expected) in cases {
        assert_eq!(key(text), expected, "{text}");
    }
}

#[test]
fn search_keys_with_arguments() {
    use SearchKey::*;
    let cases = [
        ("BCC fred", Bcc(b"fred".to_vec())),
        ("BODY \"two words\"", Body(b"two words".to_vec())),
        ("CC {4}\r\nab\"c", Cc(b"ab\"c".to_vec())),
        ("FROM Smith", From(b"Smith".to_vec())),
        ("SUBJECT \"\"", Subject(Vec::new())),
        ("TEXT x]y", Text(b"x]y".to_vec())),
        ("TO a@b", To(b"a@b".to_vec())),
        ("BEFORE 1-Feb-1994", Before(date(1994, 2, 1))),
        ("ON \"15-mar-2010\"", On(date(2010, 3, 15))),
        ("SINCE 01-Feb-1994", Since(date(1994, 2, 1))),
        ("SENTBEFORE 29-Feb-2000", SentBefore(date(2000, 2, 29))),
        ("SENTON 31-Dec-1999", SentOn(date(1999, 12, 31))),
        ("SENTSINCE 1-Jan-1970", SentSince(date(1970, 1, 1))),
        ("KEYWORD $MDNSent", Keyword("$MDNSent".into())),
        ("UNKEYWORD Junk", Unkeyword("Junk".into())),
        ("LARGER 0", Larger(0)),
        ("SMALLER 4294967295", Smaller(u32::MAX)),
        ("UID 1:*", Uid(set(&[(1, 0)]))),
        (
            "HEADER Message-ID \"<x@y>\"",
            Header("Message-ID".into(), b"<x@y>".to_vec()),
        ),
        ("HEADER X-Empty \"\"", Header("X-Empty".into(), Vec::new())),
        ("2,4:7", SequenceSet(set(&[(2, 2), (4, 7)]))),
        ("*", SequenceSet(set(&[(0, 0)]))),
        ("NOT SEEN", Not(Box::new(Seen))),
        ("OR SEEN FLAGGED", Or(Box::new(Seen), Box::new(Flagged))),
        ("(SEEN)", And(vec![Seen])),
        (
            "(SEEN 1:2 NOT DELETED)",
            And(vec![
                Seen,
                SequenceSet(set(&[(1, 2)])),
                Not(Box::new(Deleted)),
            ]),
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(key(text), expected, "{text}");
    }
}

#[test]
fn search_structure() {
    use SearchKey::*;
    let (charset, keys, uid) =
        search("a UID SEARCH CHARSET UTF-8 TEXT {2}\r\n\u{e9} OR (SEEN FROM x) NOT 1:3\r\n");
    assert_eq!(charset.as_deref(), Some("UTF-8"));
    assert!(uid);
    assert_eq!(
        keys,
        vec![
            Text(b"\xc3\xa9".to_vec()),
            Or(
                Box::new(And(vec![Seen, From(b"x".to_vec())])),
                Box::new(Not(Box::new(SequenceSet(set(&[(1, 3)])))))
            ),
        ]
    );
    let (charset, keys, _) = search("a SEARCH charset \"us-ascii\" ALL\r\n");
    assert_eq!((charset.as_deref(), keys), (Some("us-ascii"), vec![All]));
}

#[test]
fn search_errors() {
    for input in [
        "a SEARCH\r\n",
        "a SEARCH \r\n",
        "a SEARCH ALL \r\n",
        "a SEARCH  ALL\r\n",
        "a SEARCH CHARSET\r\n",
        "a SEARCH CHARSET UTF-8\r\n",
        "a SEARCH FOO\r\n",
        "a SEARCH FROM\r\n",
        "a SEARCH OR SEEN\r\n",
        "a SEARCH NOT\r\n",
        "a SEARCH ()\r\n",
        "a SEARCH (SEEN\r\n",
        "a SEARCH SEEN)\r\n",
        "a SEARCH BEFORE 1-Feb-94\r\n",
        "a SEARCH BEFORE 32-Jan-1994\r\n",
        "a SEARCH LARGER 4294967296\r\n",
        "a SEARCH LARGER -1\r\n",
        "a SEARCH KEYWORD \\Seen\r\n",
        "a SEARCH UID 0\r\n",
        "a SEARCH TEXT \"\u{e9}\"\r\n",
    ] {
        bad_args(input.as_bytes(), "SEARCH");
    }
}

#[test]
fn search_nesting_is_capped_without_stack_overflow() {
    let nested = |n: usize| format!("a SEARCH {}SEEN{}\r\n", "(".repeat(n), ")".repeat(n));
    let deep = key(&nested(50)[9..nested(50).len() - 2]);
    assert_eq!(deep.depth(), 50);
    assert_eq!(
        key(&nested(MAX_SEARCH_NESTING)[9..nested(MAX_SEARCH_NESTING).len() - 2]).depth(),
        100
    );
    let detail = bad_args(nested(MAX_SEARCH_NESTING + 1).as_bytes(), "SEARCH");
    assert!(detail.contains("nested"), "{detail}");
    bad_args(nested(1_000_000).as_bytes(), "SEARCH");
    let nots = format!("a SEARCH {}SEEN\r\n", "NOT ".repeat(MAX_SEARCH_RECURSION));
    assert!(matches!(ok(nots.as_bytes()), CommandBody::Search { .. }));
    let nots = format!("a SEARCH {}SEEN\r\n", "NOT ".repeat(1_000_000));
    bad_args(nots.as_bytes(), "SEARCH");
    let ors = format!(
        "a SEARCH {}SEEN{}\r\n",
        "OR ".repeat(1_000_000),
        " SEEN".repeat(1_000_000)
    );
    bad_args(ors.as_bytes(), "SEARCH");
}

fn fetch(input: &str) -> (SequenceSet, Vec<FetchAttr>, bool) {
    match ok(input.as_bytes()) {
        CommandBody::Fetch { set, attrs, uid } => (set, attrs, uid),
        other => panic!("{other:?}"),
    }
}

fn attr(text: &str) -> Vec<FetchAttr> {
    fetch(&format!("a FETCH 1 {text}\r\n")).1
}

fn body(
    peek: bool,
    part: &[u32],
    text: Option<SectionText>,
    partial: Option<(u32, u32)>,
) -> FetchAttr {
    FetchAttr::BodySection {
        peek,
        section: Section {
            part: part.to_vec(),
            text,
        },
        partial,
    }
}

#[test]
fn fetch_attributes() {
    use FetchAttr::*;
    let simple = [
        ("ENVELOPE", Envelope),
        ("flags", Flags),
        ("INTERNALDATE", InternalDate),
        ("RFC822", Rfc822),
        ("RFC822.HEADER", Rfc822Header),
        ("rfc822.size", Rfc822Size),
        ("RFC822.TEXT", Rfc822Text),
        ("BODY", Body),
        ("BODYSTRUCTURE", BodyStructure),
        ("UID", Uid),
    ];
    for (text, expected) in simple {
        assert_eq!(attr(text), vec![expected.clone()], "{text}");
        assert_eq!(attr(&format!("({text})")), vec![expected], "{text}");
    }
    assert_eq!(attr("ALL"), vec![Flags, InternalDate, Rfc822Size, Envelope]);
    assert_eq!(attr("fast"), vec![Flags, InternalDate, Rfc822Size]);
    assert_eq!(
        attr("FULL"),
        vec![Flags, InternalDate, Rfc822Size, Envelope, Body]
    );
    let (set_, attrs, uid) = fetch("a UID FETCH 1:* (UID FLAGS BODY.PEEK[HEADER])\r\n");
    assert_eq!((set_, uid), (set(&[(1, 0)]), true));
    assert_eq!(
        attrs,
        vec![Uid, Flags, body(true, &[], Some(SectionText::Header), None)]
    );
}

#[test]
fn fetch_sections() {
    use SectionText::*;
    let fields = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let cases = [
        ("BODY[]", body(false, &[], None, None)),
        (
            "BODY.PEEK[]<0.1024>",
            body(true, &[], None, Some((0, 1024))),
        ),
        ("BODY[TEXT]", body(false, &[], Some(Text), None)),
        ("body[header]", body(false, &[], Some(Header), None)),
        ("BODY[1]", body(false, &[1], None, None)),
        (
            "BODY[1.2.3]<10.5>",
            body(false, &[1, 2, 3], None, Some((10, 5))),
        ),
        ("BODY[2.MIME]", body(false, &[2], Some(Mime), None)),
        ("BODY[3.HEADER]", body(false, &[3], Some(Header), None)),
        ("BODY[3.1.TEXT]", body(false, &[3, 1], Some(Text), None)),
        (
            "BODY[HEADER.FIELDS (From to \"X-Y\")]",
            body(
                false,
                &[],
                Some(HeaderFields(fields(&["From", "to", "X-Y"]))),
                None,
            ),
        ),
        (
            "BODY.PEEK[1.2.header.fields.not (Received)]<0.1>",
            body(
                true,
                &[1, 2],
                Some(HeaderFieldsNot(fields(&["Received"]))),
                Some((0, 1)),
            ),
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(attr(text), vec![expected], "{text}");
    }
}

#[test]
fn fetch_errors() {
    for input in [
        "a FETCH 1\r\n",
        "a FETCH 1 \r\n",
        "a FETCH 1 ()\r\n",
        "a FETCH 1 (ALL)\r\n",
        "a FETCH 1 (FLAGS UID\r\n",
        "a FETCH 1 (FLAGS  UID)\r\n",
        "a FETCH 1 FLAGS UID\r\n",
        "a FETCH 1 BODYX\r\n",
        "a FETCH 1 BODY.PEEK\r\n",
        "a FETCH 1 BODY[\r\n",
        "a FETCH 1 BODY[MIME]\r\n",
        "a FETCH 1 BODY[0]\r\n",
        "a FETCH 1 BODY[1.]\r\n",
        "a FETCH 1 BODY[HEADER.FIELDS ()]\r\n",
        "a FETCH 1 BODY[HEADER.FIELDS]\r\n",
        "a FETCH 1 BODY[FOO]\r\n",
        "a FETCH 1 BODY[]<0>\r\n",
        "a FETCH 1 BODY[]<0.0>\r\n",
        "a FETCH 1 BODY<0.1>\r\n",
        "a FETCH 1 ENVELOPE[]\r\n",
        "a FETCH * RFC822.SIZ\r\n",
    ] {
        bad_args(input.as_bytes(), "FETCH");
    }
}

/// The deepest input the caps allow decodes (and drops) within a quarter of a 2 MiB runtime
/// thread's stack, even in an unoptimised build.
#[test]
fn deepest_accepted_search_fits_a_small_stack() {
    let parens = MAX_SEARCH_NESTING;
    let nots = MAX_SEARCH_RECURSION - parens;
    let input = format!(
        "a SEARCH {}{}SEEN{}\r\n",
        "(".repeat(parens),
        "NOT ".repeat(nots),
        ")".repeat(parens)
    );
    let run = move || matches!(ok(input.as_bytes()), CommandBody::Search { .. });
    let thread = std::thread::Builder::new().stack_size(STACK).spawn(run);
    assert!(thread.unwrap().join().unwrap());
}

const STACK: usize = 512 * 1024;
