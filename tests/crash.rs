//! Durability: a client that disconnects in the middle of an APPEND literal leaves no
//! partial message, and killing the server (SIGKILL) during APPENDs loses no acknowledged
//! message and never reuses a UID after restart. The second test runs the real binary.

mod common;

use common::{free_port, Client};
use imap_mimic::testkit::TestServer;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

#[tokio::test]
async fn a_disconnect_mid_literal_stores_nothing() {
    let server = TestServer::start("exchange-2016").await.unwrap();
    server.add_user("alice", "secret").await.unwrap();
    let mut c = Client::tls(server.tls_addr, server.client_tls.clone()).await;
    c.line().await.unwrap();
    c.send("a LOGIN alice secret").await;
    c.line().await.unwrap();
    c.send_raw(b"b APPEND INBOX {100+}\r\nSubject: half\r\n\r\nonly part of it")
        .await;
    drop(c);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut c = Client::tls(server.tls_addr, server.client_tls.clone()).await;
    c.line().await.unwrap();
    c.send("a LOGIN alice secret").await;
    c.line().await.unwrap();
    c.send("s STATUS INBOX (MESSAGES UIDNEXT)").await;
    assert_eq!(
        c.until_tagged("s").await[0],
        "* STATUS INBOX (MESSAGES 0 UIDNEXT 1)"
    );
    server.stop().await;
}

fn spawn(data: &Path, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_imap-mimic"))
        .args([
            "serve",
            "--listen-tls",
            &format!("127.0.0.1:{port}"),
            "--listen",
            "127.0.0.1:0",
        ])
        .arg("--data")
        .arg(data)
        .env("IMAP_MIMIC_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the imap-mimic binary runs")
}

/// Waits for the server to accept connections and log `demo` in.
async fn connect(data: &Path, port: u16) -> Client {
    let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    for _ in 0..200 {
        let cert = data.join("tls-cert.pem");
        if cert.exists() && std::net::TcpStream::connect(addr).is_ok() {
            let config = imap_mimic::testkit::client_config(&cert).unwrap();
            let mut c = Client::tls(addr, config).await;
            c.line().await.unwrap();
            c.send("l LOGIN demo demo").await;
            assert_eq!(c.line().await.unwrap(), "l OK LOGIN completed.");
            return c;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("server did not come up");
}

#[tokio::test]
async fn sigkill_during_appends_loses_no_acknowledged_message() {
    let data = std::env::temp_dir().join(format!("imap-mimic-crash-{}", rand::random::<u64>()));
    let port = free_port();
    let mut server = spawn(&data, port);
    let mut c = connect(&data, port).await;
    let mut acked = Vec::new();
    for i in 0..400u32 {
        let body = format!("Subject: crash {i}\r\n\r\nbody {i}\r\n");
        c.send(&format!("a{i} APPEND INBOX {{{}+}}", body.len()))
            .await;
        c.send_raw(format!("{body}\r\n").as_bytes()).await;
        if i == 150 {
            server.kill().expect("SIGKILL");
        }
        match c.line().await {
            Some(line) if line.starts_with(&format!("a{i} OK")) => acked.push(i),
            _ => break,
        }
    }
    let _ = server.wait();
    assert!(
        acked.len() >= 100,
        "appends were acknowledged before the kill: {}",
        acked.len()
    );
    let mut server = spawn(&data, port);
    let mut c = connect(&data, port).await;
    c.send("s SELECT INBOX").await;
    c.until_tagged("s").await;
    c.send("f UID FETCH 1:* (UID BODY.PEEK[HEADER.FIELDS (Subject)])")
        .await;
    let lines = c.until_tagged("f").await;
    let subjects: Vec<&String> = lines
        .iter()
        .filter(|l| l.starts_with("Subject: crash "))
        .collect();
    for i in &acked {
        let want = format!("Subject: crash {i}");
        assert!(
            subjects.iter().any(|s| **s == want),
            "acknowledged message {i} lost"
        );
    }
    let max_uid = lines
        .iter()
        .filter_map(|l| {
            l.split("(UID ")
                .nth(1)?
                .split(' ')
                .next()?
                .parse::<u32>()
                .ok()
        })
        .max()
        .unwrap();
    c.send("n APPEND INBOX {9+}").await;
    c.send_raw(b"x: y\r\n\r\nz\r\n").await;
    let reply = c.until_tagged("n").await;
    let tagged = reply.last().unwrap();
    let new_uid: u32 = tagged
        .split_whitespace()
        .nth(4)
        .unwrap()
        .trim_end_matches(']')
        .parse()
        .unwrap();
    assert!(
        new_uid > max_uid,
        "UID {new_uid} reused (max was {max_uid})"
    );
    server.kill().unwrap();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&data);
}
