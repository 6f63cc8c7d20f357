//! Connection-level behaviour (issue 4): STARTTLS discarding pipelined plaintext, the
//! unauthenticated and authenticated timers (MS-STANXIMAP E0002, V0015), connection limits
//! (Set-ImapSettings MaxConnections, MaxConnectionFromSingleIP, MaxConnectionsPerUser),
//! MaxCommandSize, and hostile TLS input.

mod common;

use common::Client;
use imap_mimic::testkit::TestServer;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const FAST_TIMERS: &str = r#"
schema = 1
name = "fast-timers"
emulates = "Exchange 2016 with one-second timers"
extends = "exchange-2016"
[auth]
login_type = "PlainTextLogin"
[timeouts]
authenticated_connection_timeout = 1
pre_authenticated_connection_timeout = 1
"#;

const TIGHT_LIMITS: &str = r#"
schema = 1
name = "tight-limits"
emulates = "Exchange 2016 with tiny connection limits"
extends = "exchange-2016"
[auth]
login_type = "PlainTextLogin"
[limits]
max_connections = 3
max_connection_from_single_ip = 2
max_connections_per_user = 1
"#;

async fn server(profile: &str, extra: &[&str]) -> TestServer {
    let server = TestServer::start_with(profile, extra).await.unwrap();
    server.add_user("alice", "secret").await.unwrap();
    server
}

#[tokio::test]
async fn plaintext_pipelined_after_starttls_is_never_executed() {
    let server = server("exchange-2016", &[]).await;
    let mut tcp = TcpStream::connect(server.addr).await.unwrap();
    let greeting = read_line(&mut tcp).await;
    assert_eq!(
        greeting,
        "* OK The Microsoft Exchange IMAP4 service is ready."
    );
    // One write: STARTTLS and a command behind it, in plaintext.
    tcp.write_all(b"a STARTTLS\r\nb CREATE Injected\r\n")
        .await
        .unwrap();
    assert_eq!(read_line(&mut tcp).await, "a OK Begin TLS negotiation now.");
    let name = rustls_pki_types::ServerName::try_from("localhost").unwrap();
    let connector = tokio_rustls::TlsConnector::from(server.client_tls.clone());
    let mut tls = connector
        .connect(name, tcp)
        .await
        .expect("handshake after STARTTLS");
    tls.write_all(b"c LOGIN alice secret\r\nd LIST \"\" *\r\n")
        .await
        .unwrap();
    let mut seen = String::new();
    while !seen.contains("d OK") {
        let mut buf = [0u8; 4096];
        let n = tokio::time::timeout(Duration::from_secs(5), tls.read(&mut buf))
            .await
            .unwrap()
            .unwrap();
        assert!(n > 0, "server closed: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    assert!(
        !seen.contains("b "),
        "the pipelined command got a response: {seen}"
    );
    assert!(
        !seen.contains("Injected"),
        "the pipelined CREATE ran: {seen}"
    );
    assert!(seen.starts_with("c OK LOGIN completed.\r\n"), "{seen}");
    server.stop().await;
}

/// Reads one CRLF line byte by byte, so nothing after it is consumed from the socket.
async fn read_line(tcp: &mut TcpStream) -> String {
    let mut line = Vec::new();
    while !line.ends_with(b"\r\n") {
        let mut b = [0u8; 1];
        let n = tokio::time::timeout(Duration::from_secs(5), tcp.read(&mut b))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(n, 1, "connection closed mid-line");
        line.push(b[0]);
    }
    String::from_utf8_lossy(&line[..line.len() - 2]).into_owned()
}

#[tokio::test]
async fn unauthenticated_timer_is_not_reset_by_commands() {
    let server = server("fast-timers", &[FAST_TIMERS]).await;
    let start = Instant::now();
    let mut c = Client::plain(server.addr).await;
    c.line().await.unwrap();
    for tag in ["n1", "n2", "n3"] {
        tokio::time::sleep(Duration::from_millis(250)).await;
        c.send(&format!("{tag} NOOP")).await;
        assert_eq!(c.line().await.unwrap(), format!("{tag} OK NOOP completed."));
    }
    assert_eq!(c.line().await.unwrap(), "* BYE Connection is closed. 13");
    assert_eq!(c.line().await, None);
    let took = start.elapsed();
    assert!(
        took >= Duration::from_millis(950) && took < Duration::from_millis(1800),
        "{took:?}"
    );
    server.stop().await;
}

#[tokio::test]
async fn authenticated_idle_timeout_logs_out_and_activity_resets_it() {
    let server = server("fast-timers", &[FAST_TIMERS]).await;
    let mut c = Client::plain(server.addr).await;
    c.line().await.unwrap();
    c.send("a LOGIN alice secret").await;
    assert_eq!(c.line().await.unwrap(), "a OK LOGIN completed.");
    // Commands every 600 ms keep a one-second timer from firing.
    for tag in ["n1", "n2", "n3"] {
        tokio::time::sleep(Duration::from_millis(600)).await;
        c.send(&format!("{tag} NOOP")).await;
        assert_eq!(c.line().await.unwrap(), format!("{tag} OK NOOP completed."));
    }
    let quiet = Instant::now();
    assert_eq!(c.line().await.unwrap(), "* BYE Connection is closed. 13");
    assert_eq!(c.line().await, None);
    assert!(
        quiet.elapsed() >= Duration::from_millis(900),
        "{:?}",
        quiet.elapsed()
    );
    server.stop().await;
}

#[tokio::test]
async fn connection_limits_refuse_with_a_bye() {
    let server = server("tight-limits", &[TIGHT_LIMITS]).await;
    let mut a = Client::plain(server.addr).await;
    let mut b = Client::plain(server.addr).await;
    a.line().await.unwrap();
    b.line().await.unwrap();
    // MaxConnectionFromSingleIP = 2: the third connection from 127.0.0.1 is refused.
    let mut c = Client::plain(server.addr).await;
    assert_eq!(c.line().await.unwrap(), "* BYE Too many connections.");
    assert_eq!(c.line().await, None);
    // The others are unaffected; MaxConnectionsPerUser = 1 refuses a second login.
    a.send("a1 LOGIN alice secret").await;
    assert_eq!(a.line().await.unwrap(), "a1 OK LOGIN completed.");
    b.send("b1 LOGIN alice secret").await;
    assert_eq!(b.line().await.unwrap(), "b1 NO LOGIN failed.");
    // A slot frees when a connection ends.
    a.send("a2 LOGOUT").await;
    a.until_tagged("a2").await;
    assert_eq!(a.line().await, None);
    tokio::time::sleep(Duration::from_millis(50)).await;
    let mut d = Client::plain(server.addr).await;
    assert_eq!(
        d.line().await.unwrap(),
        "* OK The Microsoft Exchange IMAP4 service is ready."
    );
    server.stop().await;
}

#[tokio::test]
async fn overlong_commands_get_command_error_10_and_the_session_goes_on() {
    let server = server("exchange-2016", &[]).await;
    let mut c = Client::plain(server.addr).await;
    c.line().await.unwrap();
    c.send(&format!("x1 NOOP {}", "a".repeat(11_000))).await;
    assert_eq!(c.line().await.unwrap(), "x1 BAD Command Error. 10");
    // 100 MB without a line end, streamed: answered once, never buffered whole.
    let chunk = vec![b'z'; 1 << 20];
    c.send_raw(b"x2 SEARCH ").await;
    for _ in 0..100 {
        c.send_raw(&chunk).await;
    }
    c.send_raw(b"\r\n").await;
    assert_eq!(c.line().await.unwrap(), "x2 BAD Command Error. 10");
    c.send("x3 NOOP").await;
    assert_eq!(c.line().await.unwrap(), "x3 OK NOOP completed.");
    server.stop().await;
}

#[tokio::test]
async fn starttls_twice_and_on_the_implicit_port_are_refused() {
    let server = server("exchange-2016", &[]).await;
    let mut c = Client::tls(server.tls_addr, server.client_tls.clone()).await;
    c.line().await.unwrap();
    c.send("s1 STARTTLS").await;
    assert_eq!(c.line().await.unwrap(), "s1 BAD Command Error. 12");
    c.send("s2 NOOP").await;
    assert_eq!(c.line().await.unwrap(), "s2 OK NOOP completed.");
    server.stop().await;
}

#[tokio::test]
async fn tls_garbage_and_silent_handshakes_are_closed_cleanly() {
    let server = server("fast-timers", &[FAST_TIMERS]).await;
    // Garbage instead of a ClientHello: closed at once.
    let mut tcp = TcpStream::connect(server.tls_addr).await.unwrap();
    tcp.write_all(b"GET / HTTP/1.1\r\n\r\n").await.unwrap();
    let mut buf = [0u8; 64];
    let n = tokio::time::timeout(Duration::from_secs(2), tcp.read(&mut buf))
        .await
        .unwrap()
        .unwrap_or(0);
    assert!(
        n == 0 || buf[0] == 0x15,
        "a TLS alert or a close, got {:?}",
        &buf[..n]
    );
    // A handshake that never starts: closed when the unauthenticated timer fires.
    let start = Instant::now();
    let mut silent = TcpStream::connect(server.tls_addr).await.unwrap();
    let n = tokio::time::timeout(Duration::from_secs(3), silent.read(&mut buf))
        .await
        .unwrap()
        .unwrap_or(0);
    assert_eq!(n, 0);
    assert!(start.elapsed() < Duration::from_millis(2500));
    // Other sessions were never affected.
    let mut c = Client::plain(server.addr).await;
    assert!(c.line().await.unwrap().starts_with("* OK"));
    server.stop().await;
}

#[tokio::test]
async fn pipelined_commands_are_answered_one_after_another() {
    // MS-STANXIMAP V0016, V0017: serial processing, so answers come in command order.
    let server = server("exchange-2016", &[]).await;
    let mut c = Client::tls(server.tls_addr, server.client_tls.clone()).await;
    c.line().await.unwrap();
    c.send_raw(b"p1 LOGIN alice secret\r\np2 CREATE Box\r\np3 SELECT Box\r\np4 NOOP\r\n")
        .await;
    let lines = c.until_tagged("p4").await;
    let tagged: Vec<&String> = lines.iter().filter(|l| !l.starts_with('*')).collect();
    assert_eq!(
        tagged,
        vec![
            "p1 OK LOGIN completed.",
            "p2 OK CREATE completed.",
            "p3 OK [READ-WRITE] SELECT completed.",
            "p4 OK NOOP completed."
        ]
    );
    server.stop().await;
}

#[tokio::test]
async fn tls_uses_modern_cipher_suites_only() {
    // MS-STANXIMAP §2.1.7, V0059, V0060: no RC4, no 3DES; whatever a current client offers.
    let server = server("exchange-2016", &[]).await;
    let tcp = TcpStream::connect(server.tls_addr).await.unwrap();
    let name = rustls_pki_types::ServerName::try_from("localhost").unwrap();
    let tls = tokio_rustls::TlsConnector::from(server.client_tls.clone())
        .connect(name, tcp)
        .await
        .unwrap();
    let suite = format!(
        "{:?}",
        tls.get_ref().1.negotiated_cipher_suite().unwrap().suite()
    );
    assert!(!suite.contains("RC4") && !suite.contains("3DES"), "{suite}");
    assert!(
        suite.contains("AES") || suite.contains("CHACHA20"),
        "{suite}"
    );
    server.stop().await;
}
