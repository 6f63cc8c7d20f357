//! rhai hooks (issue 8): one test per decision kind over real TCP with exact lines, the
//! shipped examples under profiles/hooks/, the sandbox cutting off an infinite loop, a
//! run-time error under both `on_error` settings, and a compile error with its position.

mod common;

use common::Client;
use imap_mimic::profile::load::Search;
use imap_mimic::testkit::TestServer;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const GREETING: &str = "* OK The Microsoft Exchange IMAP4 service is ready.";

/// A profile `hooked` (Exchange 2016 with plaintext LOGIN) running `script`, written with
/// it into a temporary directory.
async fn hooked(script: &str, on_error: &str) -> (TestServer, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("test.rhai"), script).unwrap();
    let profile = format!(
        r#"
schema = 1
name = "hooked"
emulates = "Exchange 2016 with a test hook"
extends = "exchange-2016"
[auth]
login_type = "PlainTextLogin"
[hooks]
scripts = ["test.rhai"]
on_error = "{on_error}"
"#
    );
    std::fs::write(dir.path().join("hooked.toml"), profile).unwrap();
    let server = TestServer::start_in("hooked", dir.path()).await.unwrap();
    server.add_user("alice", "secret").await.unwrap();
    (server, dir)
}

async fn connect(server: &TestServer) -> Client {
    let mut c = Client::plain(server.addr).await;
    assert_eq!(c.line().await.unwrap(), GREETING);
    c
}

async fn logged_in(server: &TestServer) -> Client {
    let mut c = connect(server).await;
    c.send("a LOGIN alice secret").await;
    assert_eq!(c.line().await.unwrap(), "a OK LOGIN completed.");
    c
}

#[tokio::test]
async fn reject_answers_with_the_status_code_and_text() {
    let script = r#"
fn before_command(ctx) {
    if ctx.command == "NOOP" { return reject("NO", "THROTTLED", "Slow down."); }
}
"#;
    let (server, _dir) = hooked(script, "continue").await;
    let mut c = connect(&server).await;
    c.send("t1 NOOP").await;
    assert_eq!(c.line().await.unwrap(), "t1 NO [THROTTLED] Slow down.");
    c.send("t2 CAPABILITY").await;
    let lines = c.until_tagged("t2").await;
    assert_eq!(lines.last().unwrap(), "t2 OK CAPABILITY completed.");
}

#[tokio::test]
async fn bye_sends_bye_and_closes() {
    let script = r#"fn before_command(ctx) { bye("Go away.") }"#;
    let (server, _dir) = hooked(script, "continue").await;
    let mut c = connect(&server).await;
    c.send("t1 NOOP").await;
    assert_eq!(c.line().await.unwrap(), "* BYE Go away.");
    assert_eq!(c.line().await, None);
}

#[tokio::test]
async fn close_drops_the_connection_without_a_word() {
    let script = r#"fn before_command(ctx) { if ctx.command == "NOOP" { close() } }"#;
    let (server, _dir) = hooked(script, "continue").await;
    let mut c = connect(&server).await;
    c.send("t1 NOOP").await;
    assert_eq!(c.line().await, None);
}

#[tokio::test]
async fn append_untagged_goes_before_the_tagged_status() {
    let script = r#"
fn after_command(ctx) {
    append_untagged(["* OK [ALERT] " + ctx.command + " " + ctx.status + " " + ctx.arguments])
}
"#;
    let (server, _dir) = hooked(script, "continue").await;
    let mut c = connect(&server).await;
    // LOGIN's arguments show the user name only, never the password.
    c.send("a LOGIN alice secret").await;
    assert_eq!(c.line().await.unwrap(), "* OK [ALERT] LOGIN OK alice");
    assert_eq!(c.line().await.unwrap(), "a OK LOGIN completed.");
    c.send("t1 NOOP").await;
    assert_eq!(c.line().await.unwrap(), "* OK [ALERT] NOOP OK ");
    assert_eq!(c.line().await.unwrap(), "t1 OK NOOP completed.");
    c.send("t2 EXAMINE INBOX").await;
    let lines = c.until_tagged("t2").await;
    assert_eq!(lines[lines.len() - 2], "* OK [ALERT] EXAMINE OK INBOX");
    c.send("t3 UID FETCH 1:* FLAGS").await;
    assert_eq!(c.line().await.unwrap(), "* OK [ALERT] FETCH OK 1:* FLAGS");
    assert_eq!(c.line().await.unwrap(), "t3 OK FETCH completed.");
}

#[tokio::test]
async fn replace_untagged_replaces_the_greeting() {
    let script = r#"
fn on_connect(ctx) { replace_untagged(["* OK [ALERT] Welcome " + ctx.profile + "."]) }
"#;
    let (server, _dir) = hooked(script, "continue").await;
    let mut c = Client::plain(server.addr).await;
    assert_eq!(c.line().await.unwrap(), "* OK [ALERT] Welcome hooked.");
    c.send("t1 NOOP").await;
    assert_eq!(c.line().await.unwrap(), "t1 OK NOOP completed.");
}

#[tokio::test]
async fn replace_untagged_replaces_a_commands_untagged_lines() {
    let script = r#"
fn after_command(ctx) {
    if ctx.command == "CAPABILITY" { replace_untagged(["* CAPABILITY IMAP4rev1"]) }
}
"#;
    let (server, _dir) = hooked(script, "continue").await;
    let mut c = connect(&server).await;
    c.send("t1 CAPABILITY").await;
    assert_eq!(c.line().await.unwrap(), "* CAPABILITY IMAP4rev1");
    assert_eq!(c.line().await.unwrap(), "t1 OK CAPABILITY completed.");
}

#[tokio::test]
async fn rewrite_tagged_changes_only_the_text() {
    let script = r#"fn after_command(ctx) { rewrite_tagged("Done, " + ctx.tag + ".") }"#;
    let (server, _dir) = hooked(script, "continue").await;
    let mut c = connect(&server).await;
    c.send("t1 NOOP").await;
    assert_eq!(c.line().await.unwrap(), "t1 OK Done, t1.");
}

#[tokio::test]
async fn delay_holds_the_reply() {
    let script = r#"fn before_command(ctx) { [delay(250), proceed()] }"#;
    let (server, _dir) = hooked(script, "continue").await;
    let mut c = connect(&server).await;
    let start = Instant::now();
    c.send("t1 NOOP").await;
    assert_eq!(c.line().await.unwrap(), "t1 OK NOOP completed.");
    assert!(start.elapsed() >= Duration::from_millis(250));
}

#[tokio::test]
async fn on_select_sees_the_mailbox_and_session_counters_count() {
    let script = r#"
fn on_select(ctx) {
    let n = counter_incr("selects");
    append_untagged(["* OK [ALERT] " + ctx.state + " " + ctx.mailbox + " " + n])
}
"#;
    let (server, _dir) = hooked(script, "continue").await;
    let mut c = logged_in(&server).await;
    for (tag, n) in [("s1", 1), ("s2", 2)] {
        c.send(&format!("{tag} EXAMINE INBOX")).await;
        let lines = c.until_tagged(tag).await;
        let alert = format!("* OK [ALERT] selected INBOX {n}");
        assert_eq!(lines[lines.len() - 2], alert);
    }
}

#[tokio::test]
async fn an_infinite_loop_is_cut_off_and_the_command_proceeds() {
    let script = r#"fn before_command(ctx) { loop { } }"#;
    let (server, _dir) = hooked(script, "continue").await;
    let mut c = connect(&server).await;
    c.send("t1 NOOP").await;
    assert_eq!(c.line().await.unwrap(), "t1 OK NOOP completed.");
}

#[tokio::test]
async fn a_huge_string_is_cut_off() {
    let script = r#"
fn before_command(ctx) {
    let s = "x";
    loop { s += s; }
}
"#;
    let (server, _dir) = hooked(script, "fail").await;
    let mut c = connect(&server).await;
    c.send("t1 NOOP").await;
    assert_eq!(c.line().await.unwrap(), "t1 NO [SERVERBUG] Hook failed.");
}

#[tokio::test]
async fn a_runtime_error_fails_the_command_under_on_error_fail() {
    let script = r#"fn before_command(ctx) { ctx.no_such_key.len() }"#;
    let (server, _dir) = hooked(script, "fail").await;
    let mut c = connect(&server).await;
    c.send("t1 NOOP").await;
    assert_eq!(c.line().await.unwrap(), "t1 NO [SERVERBUG] Hook failed.");
}

#[tokio::test]
async fn a_bad_decision_is_a_runtime_error() {
    // A line with CRLF would break the framing: refused, and on_error = continue.
    let script = r#"fn after_command(ctx) { rewrite_tagged("a\r\nb OK forged") }"#;
    let (server, _dir) = hooked(script, "continue").await;
    let mut c = connect(&server).await;
    c.send("t1 NOOP").await;
    assert_eq!(c.line().await.unwrap(), "t1 OK NOOP completed.");
}

#[tokio::test]
async fn a_compile_error_fails_the_load_with_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.rhai"),
        "fn before_command(ctx) {\n    let = 1;\n}\n",
    )
    .unwrap();
    let profile = "schema = 1\nname = \"bad\"\nemulates = \"x\"\nextends = \"rfc3501\"\n[hooks]\nscripts = [\"bad.rhai\"]\n";
    std::fs::write(dir.path().join("bad.toml"), profile).unwrap();
    let err = TestServer::start_in("bad", dir.path()).await.err().unwrap();
    let script = dir.path().join("bad.rhai").display().to_string();
    assert!(
        err.to_string().starts_with(&format!("{script}:2:9: ")),
        "{err}"
    );
}

/// The shipped example profiles and scripts.
fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles/hooks")
}

async fn example(profile: &str) -> (TestServer, Client) {
    let server = TestServer::start_in(profile, &examples()).await.unwrap();
    server.add_user("alice", "secret").await.unwrap();
    let mut c = Client::tls(server.tls_addr, server.client_tls.clone()).await;
    assert!(c.line().await.unwrap().starts_with("* OK "));
    c.send("a LOGIN alice secret").await;
    assert_eq!(c.line().await.unwrap(), "a OK LOGIN completed.");
    (server, c)
}

#[tokio::test]
async fn example_throttle_refuses_then_says_bye() {
    let (server, mut c) = example("exchange-2016-throttle").await;
    for tag in ["n1", "n2", "n3"] {
        c.send(&format!("{tag} NOOP")).await;
        assert_eq!(c.line().await.unwrap(), format!("{tag} OK NOOP completed."));
    }
    // The backoff comes from the generator seeded with 42: the same on every run.
    let mut backoffs = Vec::new();
    for tag in ["n4", "n5"] {
        c.send(&format!("{tag} NOOP")).await;
        let line = c.line().await.unwrap();
        let prefix = format!("{tag} BAD Request is throttled. Suggested Backoff Time: ");
        let ms = line
            .strip_prefix(&prefix)
            .unwrap()
            .strip_suffix(" milliseconds")
            .unwrap();
        backoffs.push(ms.parse::<u32>().unwrap());
    }
    assert!(
        backoffs.iter().all(|ms| (1000..=5000).contains(ms)),
        "{backoffs:?}"
    );
    c.send("n6 NOOP").await;
    assert_eq!(
        c.line().await.unwrap(),
        "* BYE Too many requests; the connection is closed."
    );
    assert_eq!(c.line().await, None);
    // The count is per user: a new session of alice is throttled straight away.
    let mut again = Client::tls(server.tls_addr, server.client_tls.clone()).await;
    again.line().await.unwrap();
    again.send("a LOGIN alice secret").await;
    again.line().await.unwrap();
    again.send("m1 NOOP").await;
    assert_eq!(
        again.line().await.unwrap(),
        "* BYE Too many requests; the connection is closed."
    );
    // Same seed, same draws: a second server gives the same backoffs.
    let (_second, mut c2) = example("exchange-2016-throttle").await;
    for tag in ["n1", "n2", "n3"] {
        c2.send(&format!("{tag} NOOP")).await;
        c2.line().await.unwrap();
    }
    c2.send("n4 NOOP").await;
    let expected = format!(
        "n4 BAD Request is throttled. Suggested Backoff Time: {} milliseconds",
        backoffs[0]
    );
    assert_eq!(c2.line().await.unwrap(), expected);
}

#[tokio::test]
async fn example_not_connected_after_login() {
    let (_server, mut c) = example("exchange-2016-not-connected").await;
    c.send("b SELECT INBOX").await;
    assert_eq!(
        c.line().await.unwrap(),
        "b BAD User is authenticated but not connected."
    );
    c.send("c LOGOUT").await;
    let lines = c.until_tagged("c").await;
    assert_eq!(lines.last().unwrap(), "c OK LOGOUT completed.");
}

#[tokio::test]
async fn example_slow_fetch_delays_only_fetch() {
    let (_server, mut c) = example("exchange-2016-slow-fetch").await;
    c.send("b SELECT INBOX").await;
    c.until_tagged("b").await;
    let start = Instant::now();
    c.send("c NOOP").await;
    c.until_tagged("c").await;
    assert!(start.elapsed() < Duration::from_millis(300));
    let start = Instant::now();
    c.send("d UID FETCH 1:* FLAGS").await;
    assert_eq!(c.line().await.unwrap(), "d OK FETCH completed.");
    assert!(start.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn example_drop_in_literal_closes_halfway_through_the_body() {
    let (_server, mut c) = example("exchange-2016-drop-in-literal").await;
    let message = "Subject: drop\r\n\r\n0123456789abcdefghijklmnopqrstuvwxyz\r\n";
    c.send(&format!("b APPEND INBOX {{{}}}", message.len()))
        .await;
    assert!(c.line().await.unwrap().starts_with('+'));
    c.send(message).await;
    c.until_tagged("b").await;
    c.send("s SELECT INBOX").await;
    c.until_tagged("s").await;
    c.send("f FETCH 1 BODY.PEEK[]").await;
    let head = c.line().await.unwrap();
    assert_eq!(head, format!("* 1 FETCH (BODY[] {{{}}}", message.len()));
    let mut got = String::new();
    while let Some(line) = c.line().await {
        got.push_str(&line);
        got.push('\n');
    }
    // Half of what follows `{55}\r\n` (the literal and its closing parenthesis).
    let expected = &message[..message.len().div_ceil(2)];
    assert_eq!(
        got.replace('\n', "\r\n").trim_end_matches("\r\n"),
        expected.trim_end_matches("\r\n")
    );
}

#[tokio::test]
async fn a_changed_script_reloads_with_its_profile_and_a_broken_one_is_refused() {
    let (server, dir) = hooked(
        r#"fn after_command(ctx) { rewrite_tagged("one") }"#,
        "continue",
    )
    .await;
    let mut old = connect(&server).await;
    old.send("t1 NOOP").await;
    assert_eq!(old.line().await.unwrap(), "t1 OK one");
    let script = dir.path().join("test.rhai");
    std::fs::write(
        &script,
        r#"fn after_command(ctx) { rewrite_tagged("two") }"#,
    )
    .unwrap();
    let search = Search {
        dirs: vec![
            Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles"),
            dir.path().into(),
        ],
        files: Vec::new(),
    };
    server.registry.replace(search.load().unwrap());
    // A running session keeps the profile it started with; a new one gets the new script.
    old.send("t2 NOOP").await;
    assert_eq!(old.line().await.unwrap(), "t2 OK one");
    let mut new = connect(&server).await;
    new.send("t3 NOOP").await;
    assert_eq!(new.line().await.unwrap(), "t3 OK two");
    // A script that does not compile rejects the reload with its position.
    std::fs::write(&script, "fn after_command(ctx) {\n  rewrite_tagged(\n}\n").unwrap();
    let err = search.load().unwrap_err().to_string();
    assert!(
        err.starts_with(&format!("{}:3:1: ", script.display())),
        "{err}"
    );
}

#[tokio::test]
async fn on_idle_runs_when_idle_begins() {
    let script = r#"fn on_idle(ctx) { append_untagged(["* OK [ALERT] idle " + ctx.tag]) }"#;
    let (server, _dir) = hooked(script, "continue").await;
    let mut c = logged_in(&server).await;
    c.send("s SELECT INBOX").await;
    c.until_tagged("s").await;
    c.send("i IDLE").await;
    assert!(c.line().await.unwrap().starts_with("+ "));
    assert_eq!(c.line().await.unwrap(), "* OK [ALERT] idle i");
    c.send("DONE").await;
    assert_eq!(c.line().await.unwrap(), "i OK IDLE completed.");
}

#[tokio::test]
async fn a_failing_on_connect_says_bye_under_on_error_fail() {
    let script = r#"fn on_connect(ctx) { throw "boom"; }"#;
    let (server, _dir) = hooked(script, "fail").await;
    let mut c = Client::plain(server.addr).await;
    assert_eq!(c.line().await.unwrap(), "* BYE Hook failed.");
    assert_eq!(c.line().await, None);
}

#[tokio::test]
async fn on_login_runs_after_authenticate_too() {
    let script = r#"fn on_login(ctx) { append_untagged(["* OK [ALERT] login " + ctx.user]) }"#;
    let (server, _dir) = hooked(script, "continue").await;
    let mut c = connect(&server).await;
    c.send("a AUTHENTICATE PLAIN").await;
    assert!(c.line().await.unwrap().starts_with('+'));
    c.send("AGFsaWNlAHNlY3JldA==").await;
    assert_eq!(c.line().await.unwrap(), "* OK [ALERT] login alice");
    assert_eq!(c.line().await.unwrap(), "a OK AUTHENTICATE completed.");
}

#[tokio::test]
async fn example_unconvertible_item_gets_the_placeholder() {
    let (_server, mut c) = example("exchange-2010-unconvertible").await;
    let messages = [
        "Subject: fine\r\n\r\nHello.\r\n",
        "Subject: broken\r\nX-Mimic-Unconvertible: yes\r\n\r\nHello.\r\n",
    ];
    for (i, m) in messages.iter().enumerate() {
        c.send(&format!("p{i} APPEND INBOX {{{}}}", m.len())).await;
        assert!(c.line().await.unwrap().starts_with('+'));
        c.send(m).await;
        c.until_tagged(&format!("p{i}")).await;
    }
    c.send("s SELECT INBOX").await;
    c.until_tagged("s").await;
    c.send("f1 FETCH 1 BODY.PEEK[]").await;
    let lines = c.until_tagged("f1").await;
    assert_eq!(
        lines[0],
        format!("* 1 FETCH (BODY[] {{{}}}", messages[0].len())
    );
    let placeholder =
        "Subject: Retrieval using the IMAP4 protocol failed for the following message: 2\r\n\
        Content-Type: text/plain; charset=us-ascii\r\n\
        \r\n\
        The server couldn't retrieve the following message:\r\n\
        \r\n\
        The message hasn't been deleted. You might be able to view it using either Microsoft\r\n\
        Office Outlook or Microsoft Office Outlook Web App. You can also try contacting the\r\n\
        sender to find out what the message says.\r\n";
    c.send("f2 FETCH 2 BODY.PEEK[]").await;
    let lines = c.until_tagged("f2").await;
    let expected = format!(
        "* 2 FETCH (BODY[] {{{}}}\r\n{placeholder})",
        placeholder.len()
    );
    let expected: Vec<&str> = expected.split("\r\n").collect();
    assert_eq!(lines[..lines.len() - 1], expected[..]);
    assert_eq!(lines.last().unwrap(), "f2 OK FETCH completed.");
}
