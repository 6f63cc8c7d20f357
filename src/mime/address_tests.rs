//! Known answers for `address::parse_list`.

use super::*;

fn a(name: Option<&str>, adl: Option<&str>, mailbox: Option<&str>, host: Option<&str>) -> Address {
    let v = |s: Option<&str>| s.map(|s| s.as_bytes().to_vec());
    Address {
        name: v(name),
        adl: v(adl),
        mailbox: v(mailbox),
        host: v(host),
    }
}

fn parse(s: &str) -> Vec<Address> {
    parse_list(s.as_bytes())
}

#[test]
fn plain_and_named_addresses() {
    assert_eq!(
        parse(" alice@example.com, \"Doe, John\" <john.doe@x.org>"),
        vec![
            a(None, None, Some("alice"), Some("example.com")),
            a(Some("Doe, John"), None, Some("john.doe"), Some("x.org")),
        ]
    );
    assert_eq!(
        parse("John Q. Public <jqp@x> (work)"),
        vec![a(Some("John Q. Public"), None, Some("jqp"), Some("x"))]
    );
    assert_eq!(
        parse("bob@x (Bob Smith)"),
        vec![a(Some("Bob Smith"), None, Some("bob"), Some("x"))]
    );
}

#[test]
fn encoded_words_and_quoted_pairs_stay_raw() {
    assert_eq!(
        parse("=?utf-8?q?Andr=C3=A9?= <andre@x>, \"a \\\"q\\\" b\" <q@x>"),
        vec![
            a(
                Some("=?utf-8?q?Andr=C3=A9?="),
                None,
                Some("andre"),
                Some("x")
            ),
            a(Some("a \"q\" b"), None, Some("q"), Some("x")),
        ]
    );
}

#[test]
fn groups_route_and_literals() {
    assert_eq!(
        parse("Team: a@x, B <b@y>;, c@z"),
        vec![
            a(None, None, Some("Team"), None),
            a(None, None, Some("a"), Some("x")),
            a(Some("B"), None, Some("b"), Some("y")),
            a(None, None, None, None),
            a(None, None, Some("c"), Some("z")),
        ]
    );
    assert_eq!(
        parse("undisclosed-recipients:;"),
        vec![
            a(None, None, Some("undisclosed-recipients"), None),
            a(None, None, None, None)
        ]
    );
    assert_eq!(
        parse("<@r1,@r2:u@[10.0.0.1]>"),
        vec![a(None, Some("@r1,@r2"), Some("u"), Some("[10.0.0.1]"))]
    );
}

#[test]
fn malformed_addresses_degrade() {
    assert_eq!(parse(""), vec![]);
    assert_eq!(parse(" , ,"), vec![]);
    assert_eq!(
        parse("Undisclosed sender"),
        vec![a(
            None,
            None,
            Some("Undisclosed sender"),
            Some("MISSING_DOMAIN")
        )]
    );
    assert_eq!(
        parse("Alice <>"),
        vec![a(
            Some("Alice"),
            None,
            Some("MISSING_MAILBOX"),
            Some("MISSING_DOMAIN")
        )]
    );
    assert_eq!(
        parse("\"unterminated <a@b"),
        vec![a(
            None,
            None,
            Some("unterminated <a@b"),
            Some("MISSING_DOMAIN")
        )]
    );
    assert_eq!(
        parse("Bob <bob@x"),
        vec![a(Some("Bob"), None, Some("bob"), Some("x"))]
    );
    assert_eq!(
        parse("Grp: a@x"),
        vec![
            a(None, None, Some("Grp"), None),
            a(None, None, Some("a"), Some("x")),
            a(None, None, None, None)
        ]
    );
    // Garbage never panics and never yields nothing.
    assert!(!parse("<<<>>> @@@ (((").is_empty());
    assert!(!parse("\u{e9}t\u{e9} <\u{e9}@x>").is_empty());
}
