//! A minimal line-oriented IMAP client for integration tests that need to compute
//! something between lines (NTLM, timing), over plaintext or TLS.

#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

pub trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

pub struct Client {
    io: BufReader<Box<dyn Io>>,
}

impl Client {
    pub async fn plain(addr: std::net::SocketAddr) -> Client {
        let tcp = TcpStream::connect(addr).await.expect("connect");
        Client {
            io: BufReader::new(Box::new(tcp)),
        }
    }

    /// Connects with TLS from the first byte (the implicit-TLS listener).
    pub async fn tls(addr: std::net::SocketAddr, config: Arc<rustls::ClientConfig>) -> Client {
        let tcp = TcpStream::connect(addr).await.expect("connect");
        let name = rustls_pki_types::ServerName::try_from("localhost").expect("name");
        let tls = tokio_rustls::TlsConnector::from(config)
            .connect(name, tcp)
            .await
            .expect("TLS handshake");
        Client {
            io: BufReader::new(Box::new(tls)),
        }
    }

    pub async fn send(&mut self, line: &str) {
        let stream = self.io.get_mut();
        stream
            .write_all(format!("{line}\r\n").as_bytes())
            .await
            .expect("write");
        stream.flush().await.expect("flush");
    }

    pub async fn send_raw(&mut self, bytes: &[u8]) {
        let stream = self.io.get_mut();
        stream.write_all(bytes).await.expect("write");
        stream.flush().await.expect("flush");
    }

    /// The next line without CRLF; None at end of stream. Panics after 5 s.
    pub async fn line(&mut self) -> Option<String> {
        let mut buf = Vec::new();
        let read =
            tokio::time::timeout(Duration::from_secs(5), self.io.read_until(b'\n', &mut buf))
                .await
                .expect("timed out waiting for a line")
                .ok()?;
        if read == 0 {
            return None;
        }
        let text = String::from_utf8_lossy(&buf).into_owned();
        Some(text.trim_end_matches(['\r', '\n']).to_string())
    }

    /// Reads lines until one starts with `tag `; returns them all.
    pub async fn until_tagged(&mut self, tag: &str) -> Vec<String> {
        let mut lines = Vec::new();
        loop {
            let line = self
                .line()
                .await
                .expect("connection closed before the tagged response");
            let done = line.starts_with(&format!("{tag} "));
            lines.push(line);
            if done {
                return lines;
            }
        }
    }
}

/// A loopback port nothing listens on right now (for a server process told its port).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
