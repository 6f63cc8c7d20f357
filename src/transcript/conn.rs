//! The client end of a transcript's connections: plaintext or TLS streams, reading CRLF
//! lines with deadlines, and the `S!` checks on what arrives. `run` and `replay` share it.

use super::run::Target;
use regex::Regex;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::{timeout_at, Instant};

/// A client connection's stream.
pub(super) enum Io {
    Plain(TcpStream),
    Tls(Box<tokio_rustls::client::TlsStream<TcpStream>>),
    Gone,
}

impl Io {
    pub(super) async fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Io::Plain(s) => s.read(buf).await,
            Io::Tls(s) => s.read(buf).await,
            Io::Gone => Ok(0),
        }
    }

    pub(super) async fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        match self {
            Io::Plain(s) => s.write_all(buf).await,
            Io::Tls(s) => {
                s.write_all(buf).await?;
                s.flush().await
            }
            Io::Gone => Err(std::io::ErrorKind::NotConnected.into()),
        }
    }

    /// Runs the client handshake over the plaintext socket.
    pub(super) async fn upgrade(
        &mut self,
        config: Arc<rustls::ClientConfig>,
    ) -> Result<(), String> {
        let Io::Plain(tcp) = std::mem::replace(self, Io::Gone) else {
            return Err("TLS is already on".to_string());
        };
        let name =
            rustls_pki_types::ServerName::try_from("localhost").map_err(|e| e.to_string())?;
        let tls = tokio_rustls::TlsConnector::from(config)
            .connect(name, tcp)
            .await
            .map_err(|e| format!("TLS handshake: {e}"))?;
        *self = Io::Tls(Box::new(tls));
        Ok(())
    }
}

pub(super) struct Conn {
    pub(super) stream: Io,
    pub(super) buf: Vec<u8>,
    pub(super) raw: Vec<u8>,
    pub(super) forbidden: Vec<(usize, Regex)>,
    pub(super) eof: bool,
}

impl Conn {
    /// The next CRLF-terminated line (without CRLF), None at end of stream.
    pub(super) async fn line(&mut self, deadline: Instant) -> Result<Option<String>, String> {
        loop {
            if let Some(i) = self.buf.windows(2).position(|w| w == b"\r\n") {
                let line: Vec<u8> = self.buf.drain(..i + 2).take(i).collect();
                return Ok(Some(String::from_utf8_lossy(&line).into_owned()));
            }
            if self.eof {
                return Ok(None);
            }
            let mut chunk = [0u8; 16384];
            match timeout_at(deadline, self.stream.read(&mut chunk)).await {
                Err(_) => {
                    return Err(format!(
                        "timed out; buffered: {:?}",
                        String::from_utf8_lossy(&self.buf)
                    ))
                }
                Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionReset => self.eof = true,
                Ok(Err(e)) => return Err(format!("read error: {e}")),
                Ok(Ok(0)) => self.eof = true,
                Ok(Ok(n)) => {
                    self.buf.extend_from_slice(&chunk[..n]);
                    self.raw.extend_from_slice(&chunk[..n]);
                }
            }
        }
    }

    /// Before the client speaks again: whatever already arrived must not match an active
    /// `S!`, which then expires.
    pub(super) async fn settle_forbidden(&mut self) -> Result<(), String> {
        if self.forbidden.is_empty() {
            return Ok(());
        }
        let grace = Instant::now() + Duration::from_millis(50);
        let _ = self.line(grace).await.map(|line| {
            if let Some(line) = line {
                // Put it back: it is for the next expectation.
                let mut again = line.into_bytes();
                again.extend_from_slice(b"\r\n");
                again.extend_from_slice(&self.buf);
                self.buf = again;
            }
        });
        let pending = String::from_utf8_lossy(&self.buf).into_owned();
        for line in pending.split("\r\n") {
            self.check_forbidden(line)?;
        }
        self.forbidden.clear();
        Ok(())
    }

    pub(super) fn check_forbidden(&self, line: &str) -> Result<(), String> {
        match self.forbidden.iter().find(|(_, re)| re.is_match(line)) {
            Some((at, re)) => Err(format!(
                "server sent {line:?}, forbidden since line {at} ({re})"
            )),
            None => Ok(()),
        }
    }
}

/// Opens a connection to `target`: its implicit-TLS listener when `implicit`.
pub(super) async fn connect(target: &Target, implicit: bool) -> Result<Io, String> {
    let addr = match (implicit, target.implicit) {
        (true, Some(a)) => a,
        (true, None) => return Err("no implicit-TLS listener to connect to".to_string()),
        (false, _) => target.plain,
    };
    let tcp = TcpStream::connect(addr)
        .await
        .map_err(|e| format!("connect to {addr}: {e}"))?;
    let mut io = Io::Plain(tcp);
    if implicit {
        let config = target
            .tls
            .clone()
            .ok_or_else(|| "no TLS client settings".to_string())?;
        io.upgrade(config).await?;
    }
    Ok(io)
}

impl Conn {
    pub(super) fn new(stream: Io) -> Conn {
        Conn {
            stream,
            buf: Vec::new(),
            raw: Vec::new(),
            forbidden: Vec::new(),
            eof: false,
        }
    }
}
