//! The leniency switches (MS-STANXIMAP §2.1.6 TAB delimiter, C0001 any tag) on and off,
//! every error kind, and `peek_command`.

use super::{err, lenient, strict};
use crate::wire::decode::*;
use crate::wire::types::Tag;

#[test]
fn tab_delimiter_leniency() {
    let tabbed: &[&[u8]] = &[
        b"a\tNOOP\r\n",
        b"a\tSELECT\tINBOX\r\n",
        b"a UID\tFETCH 1 UID\r\n",
    ];
    for input in tabbed {
        assert!(
            decode_command(input, &lenient()).is_ok(),
            "{:?}",
            String::from_utf8_lossy(input)
        );
        let e = decode_command(input, &strict()).unwrap_err();
        assert!(
            e.tag.is_some(),
            "a TAB after a readable tag is answered with the tag"
        );
    }
    let e = decode_command(b"a\tNOOP\r\n", &strict()).unwrap_err();
    assert_eq!(
        (e.kind, e.command.as_deref()),
        (DecodeErrorKind::BadArguments, Some("NOOP"))
    );
    let e = decode_command(b"a UID\tFETCH 1 UID\r\n", &strict()).unwrap_err();
    assert_eq!(e.kind, DecodeErrorKind::UnknownCommand);
    // Only after the tag, the command word and UID: elsewhere exactly one SP.
    for input in [
        &b"a SELECT INBOX\t\r\n"[..],
        b"a FETCH 1\tUID\r\n",
        b"a LOGIN a\tb\r\n",
        b"a  NOOP\r\n",
    ] {
        assert!(
            decode_command(input, &lenient()).is_err(),
            "{:?}",
            String::from_utf8_lossy(input)
        );
    }
    let e = decode_command(b"a\t\tNOOP\r\n", &lenient()).unwrap_err();
    assert_eq!(e.kind, DecodeErrorKind::UnknownCommand);
}

#[test]
fn any_tag_leniency() {
    for tag in [
        "+", "*", "\"q\"", "a%b", "{5}", "a+b", "\\x", "(p)", "\u{e9}",
    ] {
        let input = format!("{tag} NOOP\r\n");
        let cmd = decode_command(input.as_bytes(), &lenient()).unwrap();
        assert_eq!(cmd.tag.as_str(), tag);
        let e = decode_command(input.as_bytes(), &strict()).unwrap_err();
        assert_eq!(e.kind, DecodeErrorKind::NoTag, "{tag}");
        assert_eq!(e.tag, None);
    }
    let cmd = decode_command(b"A]1.x NOOP\r\n", &strict()).unwrap();
    assert_eq!(cmd.tag.as_str(), "A]1.x");
    let cmd = decode_command(b"+x\tNOOP\r\n", &lenient()).unwrap();
    assert_eq!(cmd.tag.as_str(), "+x");
}

#[test]
fn error_kinds() {
    use DecodeErrorKind::*;
    for input in [
        &b""[..],
        b"\r\n",
        b" NOOP\r\n",
        b"\tNOOP\r\n",
        b"+ NOOP\r\n",
    ] {
        let e = err(input);
        assert_eq!(
            (e.kind, e.tag.clone(), e.command.clone()),
            (NoTag, None, None),
            "{input:?}"
        );
    }
    let unknown: &[&[u8]] = &[
        b"a FOO\r\n",
        b"a\r\n",
        b"a",
        b"a \r\n",
        b"a UID\r\n",
        b"a UID NOOP\r\n",
        b"a UID SELECT INBOX\r\n",
        b"a UID FOO 1\r\n",
        b"a ENABLE X\r\n",
        b"a (NOOP)\r\n",
    ];
    for input in unknown {
        let e = err(input);
        assert_eq!(
            e.kind,
            UnknownCommand,
            "{:?}",
            String::from_utf8_lossy(input)
        );
        assert_eq!(e.tag.as_ref().map(Tag::as_str), Some("a"));
        assert_eq!(e.command, None);
    }
    assert_eq!(err(b"a UID FOO 1\r\n").detail, "unknown command UID FOO");
    let e = err(b"t1 UID FETCH x FLAGS\r\n");
    assert_eq!(
        (e.kind, e.command.as_deref()),
        (BadArguments, Some("FETCH"))
    );
    assert_eq!(e.detail, "expected a sequence number but found 'x'");
    assert_eq!(
        e.to_string(),
        "BadArguments: expected a sequence number but found 'x'"
    );
}

#[test]
fn peek() {
    let p = |s: &[u8]| peek_command(s, &strict()).map(|(t, w)| (t.as_str().to_owned(), w));
    let pair = |t: &str, w: &str| Some((t.to_owned(), w.to_owned()));
    assert_eq!(
        p(b"a001 UID SEARCH CHARSET US-ASCII TEXT {5}\r\n"),
        pair("a001", "UID SEARCH")
    );
    assert_eq!(p(b"a001 uid search"), pair("a001", "UID SEARCH"));
    assert_eq!(p(b"A1 append INBOX {300}\r\n"), pair("A1", "APPEND"));
    assert_eq!(p(b"A1 LOGIN {5}"), pair("A1", "LOGIN"));
    assert_eq!(p(b"A1 X-UNKNOWN {5}\r\n"), pair("A1", "X-UNKNOWN"));
    assert_eq!(p(b"A1"), None);
    assert_eq!(p(b"A1 "), None);
    assert_eq!(p(b"A1 UID "), None);
    assert_eq!(p(b"+ APPEND x {5}\r\n"), None);
    assert_eq!(p(b"A1 LOGIN{5}\r\n"), None);
    assert_eq!(p(b"A1\tAPPEND x {5}\r\n"), None);
    let lenient = peek_command(b"+1\tUID\tSEARCH {5}\r\n", &lenient());
    assert_eq!(
        lenient.map(|(t, w)| (t.as_str().to_owned(), w)),
        pair("+1", "UID SEARCH")
    );
}
