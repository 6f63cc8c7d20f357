//! Record, replay and the recording proxy, over real TCP: a session recorded by the server
//! replays without differences against its profile and with the expected ones against
//! another; a session proxied to the server replays too; an upstream that vanishes
//! mid-command leaves a transcript marked incomplete; `--serve` plays a server side back.

mod common;

use common::Client;
use imap_mimic::testkit::TestServer;
use imap_mimic::transcript::proxy::{self, ProxyConfig};
use imap_mimic::transcript::replay::{replay, Options, Report};
use imap_mimic::transcript::serve::{serve, ServeOptions};
use imap_mimic::transcript::Transcript;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

const PASSWORD: &str = "Sup3r-secret";

/// A session with refused logins, a literal password, an APPEND and UID commands.
async fn session(c: &mut Client) {
    c.line().await;
    c.send("a0 LOGIN alice not-the-password").await;
    c.until_tagged("a0").await;
    c.send("z0 LOGIN nobody whatever").await;
    c.until_tagged("z0").await;
    c.send("a1 LOGIN alice {12}").await;
    c.line().await;
    c.send(PASSWORD).await;
    c.until_tagged("a1").await;
    c.send("a2 SELECT INBOX").await;
    c.until_tagged("a2").await;
    c.send("a3 APPEND INBOX (\\Seen) {22}").await;
    c.line().await;
    c.send_raw(b"Subject: hi\r\n\r\nhello\r\n\r\n").await;
    c.until_tagged("a3").await;
    c.send("a4 NOOP").await;
    c.until_tagged("a4").await;
    c.send("a5 UID FETCH 1 (UID FLAGS INTERNALDATE)").await;
    c.until_tagged("a5").await;
    c.send("a6 LOGOUT").await;
    c.until_tagged("a6").await;
}

fn only_file(dir: &Path) -> (String, String) {
    let files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let name = files[0].display().to_string();
    (name.clone(), std::fs::read_to_string(&files[0]).unwrap())
}

/// The recorded transcript replays against `rfc3501` with no difference.
async fn assert_replays_cleanly(name: &str, text: &str) {
    let t = Transcript::parse(name, text).unwrap();
    let report = replay_against("rfc3501", &t).await;
    assert!(
        report.differences.is_empty(),
        "{}",
        report.unified(name, "rfc3501")
    );
}

async fn replay_against(profile: &str, t: &Transcript) -> Report {
    let server = TestServer::start(profile).await.unwrap();
    let password = "other-pw";
    server.add_user("alice", password).await.unwrap();
    let opts = Options {
        wait: Duration::from_millis(1500),
        password: password.to_string(),
    };
    let report = replay(t, &server.target(), &opts).await.unwrap();
    server.stop().await;
    report
}

#[tokio::test]
async fn recorded_session_replays_against_its_profile_and_differs_from_another() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_recording("rfc3501", &[], dir.path())
        .await
        .unwrap();
    server.add_user("alice", PASSWORD).await.unwrap();
    let mut c = Client::tls(server.tls_addr, server.client_tls.clone()).await;
    session(&mut c).await;
    drop(c);
    server.stop().await;
    let (name, text) = only_file(dir.path());
    assert!(!text.contains(PASSWORD), "password recorded:\n{text}");
    for expected in [
        "profile: rfc3501\n",
        "user: alice\n",
        "connect: implicit\n",
        "C: a0 LOGIN alice ${wrong_password}\n",
        "C: z0 LOGIN nobody ${wrong_password}\n",
        "C: a1 LOGIN alice {${password_size}}\n",
        "C: ${password_raw}\n",
        "S: * OK [UIDVALIDITY ${uidvalidity}] UIDs valid\n",
        "S: a3 OK [APPENDUID ${uidvalidity} ${uid1}] APPEND completed.\n",
        "C: a5 UID FETCH ${uid1} (UID FLAGS INTERNALDATE)\n",
        "S: a6 OK LOGOUT completed.\nclosed:\n",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    assert!(text.contains("INTERNALDATE \"${date1}\""), "{text}");
    assert!(
        !text.contains("user: nobody") && !text.contains("not-the-password"),
        "{text}"
    );
    assert!(text.contains("value: uid1 1\n"));
    let t = Transcript::parse(&name, &text).unwrap();

    let same = replay_against("rfc3501", &t).await;
    assert!(
        same.differences.is_empty(),
        "{}",
        same.unified(&name, "rfc3501")
    );

    let other = replay_against("exchange-2016", &t).await;
    let diff = other.unified(&name, "exchange-2016");
    let removed: Vec<&str> = diff
        .lines()
        .filter(|l| l.starts_with('-') && !l.starts_with("---"))
        .collect();
    let added: Vec<&str> = diff
        .lines()
        .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
        .collect();
    // Exchange sends no CAPABILITY codes (V0052) and its own texts.
    assert!(
        removed
            .iter()
            .any(|l| l.starts_with("-* OK [CAPABILITY IMAP4rev1")),
        "{diff}"
    );
    assert!(
        added.contains(&"+* OK The Microsoft Exchange IMAP4 service is ready."),
        "{diff}"
    );
    assert!(
        removed.iter().any(|l| l.starts_with("-a1 OK [CAPABILITY")),
        "{diff}"
    );
    assert!(added.contains(&"+a1 OK LOGIN completed."), "{diff}");
    assert!(
        added.contains(&"+* OK [UIDVALIDITY ${uidvalidity}] UIDVALIDITY value")
            || added.iter().any(|l| l.starts_with("+* OK [UIDVALIDITY ")),
        "{diff}"
    );
    assert!(
        added
            .iter()
            .any(|l| l
                .starts_with("+* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft $MDNSent)")),
        "{diff}"
    );
    assert!(
        diff.starts_with(&format!(
            "--- {name} (recorded)\n+++ exchange-2016 (replayed)\n@@ -"
        )),
        "{diff}"
    );
}

async fn start_proxy(
    upstream: String,
    tls: Option<Arc<rustls::ClientConfig>>,
    starttls: Option<tokio_rustls::TlsAcceptor>,
    out: &Path,
) -> (
    std::net::SocketAddr,
    tokio::sync::watch::Sender<bool>,
    tokio::task::JoinHandle<()>,
) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let name = rustls_pki_types::ServerName::try_from("localhost").unwrap();
    let implicit_tls = tls.is_some() && starttls.is_none();
    let config = Arc::new(ProxyConfig {
        upstream,
        tls: tls.map(|c| (c, name)),
        implicit_tls,
        starttls,
        out: out.to_path_buf(),
        profile: "rfc3501".to_string(),
    });
    let (stop, shutdown) = tokio::sync::watch::channel(false);
    let task = tokio::spawn(proxy::run(listener, config, shutdown));
    (addr, stop, task)
}

#[tokio::test]
async fn proxied_session_replays_against_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start("rfc3501").await.unwrap();
    server.add_user("alice", PASSWORD).await.unwrap();
    let upstream = server.tls_addr.to_string();
    let (addr, stop, task) =
        start_proxy(upstream, Some(server.client_tls.clone()), None, dir.path()).await;
    let mut c = Client::plain(addr).await;
    session(&mut c).await;
    assert_eq!(
        c.line().await,
        None,
        "the proxy closes after the upstream does"
    );
    stop.send(true).unwrap();
    task.await.unwrap();
    server.stop().await;
    let (name, text) = only_file(dir.path());
    assert!(!text.contains(PASSWORD), "{text}");
    assert!(!text.contains("incomplete:"), "{text}");
    assert!(
        text.contains("connect: implicit\n") && text.ends_with("closed:\n"),
        "{text}"
    );
    assert_replays_cleanly(&name, &text).await;
}

#[tokio::test]
async fn upstream_vanishing_mid_command_marks_the_transcript_incomplete() {
    let dir = tempfile::tempdir().unwrap();
    let fake = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let upstream = fake.local_addr().unwrap().to_string();
    let fake_server = tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let (mut s, _) = fake.accept().await.unwrap();
        s.write_all(b"* OK ready\r\n").await.unwrap();
        let mut buf = [0u8; 100];
        let _ = s.read(&mut buf).await.unwrap();
        s.write_all(b"* 1 FETCH (FLAGS ()").await.unwrap();
        // Gone, half a response in.
    });
    let (addr, stop, task) = start_proxy(upstream.clone(), None, None, dir.path()).await;
    let mut c = Client::plain(addr).await;
    assert_eq!(c.line().await.as_deref(), Some("* OK ready"));
    c.send("a1 FETCH 1 FLAGS").await;
    assert_eq!(c.line().await.as_deref(), Some("* 1 FETCH (FLAGS ()"));
    assert_eq!(c.line().await, None);
    fake_server.await.unwrap();
    stop.send(true).unwrap();
    task.await.unwrap();
    let (name, text) = only_file(dir.path());
    let mark = format!("incomplete: the upstream {upstream} closed the connection while `a1 FETCH 1 FLAGS` waited for its response\n");
    assert!(text.contains(&mark), "{text}");
    assert!(
        text.contains("# unterminated bytes: \"* 1 FETCH (FLAGS ()\""),
        "{text}"
    );
    let t = Transcript::parse(&name, &text).unwrap();
    assert!(t.incomplete.is_some());
}

#[tokio::test]
async fn serve_plays_the_server_side_and_reports_wrong_client_lines() {
    let text = "profile: rfc3501\nuser: alice\nvalue: uidvalidity 42\n\
                S: * OK ready\nC: a1 LOGIN alice ${password}\nS: a1 OK LOGIN completed.\n\
                C: a2 SELECT INBOX\nS: * OK [UIDVALIDITY ${uidvalidity}] UIDs valid\n\
                S: a2 OK SELECT completed.\nC: a3 LOGOUT\nS: * BYE bye\nS: a3 OK LOGOUT completed.\nclosed:\n";
    let t = Transcript::parse("served.txt", text).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let client = tokio::spawn(async move {
        let mut c = Client::plain(addr).await;
        let mut seen = vec![c.line().await.unwrap()];
        // Clients choose their own tags: responses come back with them.
        c.send("x1 LOGIN alice whatever").await;
        seen.push(c.line().await.unwrap());
        c.send("a2 EXAMINE INBOX").await;
        seen.extend(c.until_tagged("a2").await);
        c.send("a3 LOGOUT").await;
        seen.extend(c.until_tagged("a3").await);
        assert_eq!(c.line().await, None);
        seen
    });
    let opts = ServeOptions {
        tls: None,
        wait: Duration::from_secs(5),
    };
    let mismatches = serve(&t, &listener, &opts).await.unwrap();
    let seen = client.await.unwrap();
    assert_eq!(
        seen,
        [
            "* OK ready",
            "x1 OK LOGIN completed.",
            "* OK [UIDVALIDITY 42] UIDs valid",
            "a2 OK SELECT completed.",
            "* BYE bye",
            "a3 OK LOGOUT completed."
        ]
    );
    assert_eq!(mismatches.len(), 1, "{mismatches:?}");
    assert_eq!(
        mismatches[0].to_string(),
        "line 7 (connection 1): expected the client to send\n  a2 SELECT INBOX\nbut it sent\n  a2 EXAMINE INBOX"
    );
}

#[tokio::test]
async fn authenticate_plain_is_recorded_as_a_placeholder_and_replays() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_recording("rfc3501", &[], dir.path())
        .await
        .unwrap();
    server.add_user("alice", PASSWORD).await.unwrap();
    let mut c = Client::tls(server.tls_addr, server.client_tls.clone()).await;
    c.line().await;
    // "\0alice\0Sup3r-secret", first on its own line, then as an initial response.
    let b64 = "AGFsaWNlAFN1cDNyLXNlY3JldA==";
    c.send("b1 AUTHENTICATE PLAIN").await;
    c.line().await;
    c.send(b64).await;
    c.until_tagged("b1").await;
    c.send("b2 LOGOUT").await;
    c.until_tagged("b2").await;
    drop(c);
    server.stop().await;
    let (name, text) = only_file(dir.path());
    assert!(!text.contains(b64) && !text.contains(PASSWORD), "{text}");
    assert!(
        text.contains("user: alice\n") && text.contains("\nC: ${plain}\n"),
        "{text}"
    );
    assert_replays_cleanly(&name, &text).await;
}

#[tokio::test]
async fn starttls_through_the_proxy_is_marked_not_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start("rfc3501").await.unwrap();
    let (addr, stop, task) = start_proxy(server.addr.to_string(), None, None, dir.path()).await;
    let mut c = Client::plain(addr).await;
    c.line().await;
    c.send("t1 STARTTLS").await;
    assert_eq!(
        c.until_tagged("t1").await,
        ["t1 OK Begin TLS negotiation now."]
    );
    assert_eq!(c.line().await, None);
    stop.send(true).unwrap();
    task.await.unwrap();
    server.stop().await;
    let (_, text) = only_file(dir.path());
    assert!(
        text.contains("incomplete: STARTTLS cannot be recorded: the proxy has no certificate"),
        "{text}"
    );
}

/// A line-at-a-time client over any stream.
async fn read_until_tagged<S: tokio::io::AsyncBufRead + Unpin>(
    s: &mut S,
    tag: &str,
) -> Vec<String> {
    use tokio::io::AsyncBufReadExt;
    let mut lines = Vec::new();
    loop {
        let mut line = String::new();
        let n = tokio::time::timeout(Duration::from_secs(5), s.read_line(&mut line))
            .await
            .expect("a line in time")
            .expect("read");
        assert!(n > 0, "closed before {tag}: {lines:?}");
        let line = line.trim_end().to_string();
        let done = line.starts_with(&format!("{tag} "));
        lines.push(line);
        if done {
            return lines;
        }
    }
}

#[tokio::test]
async fn starttls_through_the_proxy_is_recorded_and_replays() {
    use imap_mimic::server::tls::{ensure_generated, CertPaths, CertStore};
    use tokio::io::{AsyncWriteExt, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let certs = tempfile::tempdir().unwrap();
    let paths = CertPaths::generated_in(certs.path());
    ensure_generated(&paths).unwrap();
    let acceptor = CertStore::open(paths.clone()).unwrap().acceptor();
    let trust_proxy = imap_mimic::testkit::client_config(&paths.cert).unwrap();
    let server = TestServer::start("rfc3501").await.unwrap();
    server.add_user("alice", PASSWORD).await.unwrap();
    let upstream = server.addr.to_string();
    let (addr, stop, task) = start_proxy(
        upstream,
        Some(server.client_tls.clone()),
        Some(acceptor),
        dir.path(),
    )
    .await;

    let mut plain = BufReader::new(tokio::net::TcpStream::connect(addr).await.unwrap());
    read_until_tagged(&mut plain, "*").await;
    plain.get_mut().write_all(b"t1 STARTTLS\r\n").await.unwrap();
    read_until_tagged(&mut plain, "t1").await;
    let name = rustls_pki_types::ServerName::try_from("localhost").unwrap();
    let tls = tokio_rustls::TlsConnector::from(trust_proxy)
        .connect(name, plain.into_inner())
        .await
        .expect("TLS with the proxy's certificate");
    let mut tls = BufReader::new(tls);
    tls.get_mut()
        .write_all(format!("a1 LOGIN alice {PASSWORD}\r\n").as_bytes())
        .await
        .unwrap();
    tls.get_mut().flush().await.unwrap();
    let login = read_until_tagged(&mut tls, "a1").await;
    assert!(login[0].starts_with("a1 OK "), "{login:?}");
    tls.get_mut().write_all(b"a2 LOGOUT\r\n").await.unwrap();
    tls.get_mut().flush().await.unwrap();
    read_until_tagged(&mut tls, "a2").await;
    drop(tls);
    stop.send(true).unwrap();
    task.await.unwrap();
    server.stop().await;

    let (name, text) = only_file(dir.path());
    assert!(
        !text.contains(PASSWORD) && !text.contains("incomplete:"),
        "{text}"
    );
    assert!(
        text.contains("S: t1 OK Begin TLS negotiation now.\ntls:\n"),
        "{text}"
    );
    assert_replays_cleanly(&name, &text).await;
}
