//! `replay --serve`: plays the server side of a transcript to whatever client connects,
//! so a client under test gets a recorded server's responses back, in order. Each client
//! line is checked against the recorded one (secrets and captured values match anything
//! of their shape); mismatches are collected and reported, and the session goes on.
//!
//! Clients choose their own tags: a client line whose tag differs from the recorded one is
//! compared without it, and the recorded responses go back with the client's tag.
//!
//! Connections are taken in order: the first client to connect is connection 1, the next
//! connection 2 (`C2:`), and so on. `S~` lines cannot be served (there is no line to send).

use super::run::{pattern, Failure};
use super::{Step, StepKind, Transcript};
use crate::server::stream::Stream;
use std::collections::HashMap;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::time::{timeout_at, Instant};

/// A client line that was not the recorded one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    pub line: usize,
    pub conn: usize,
    pub expected: String,
    /// None when the client closed the connection instead.
    pub got: Option<String>,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let got = self.got.as_deref().unwrap_or("(connection closed)");
        write!(
            f,
            "line {} (connection {}): expected the client to send\n  {}\nbut it sent\n  {}",
            self.line, self.conn, self.expected, got
        )
    }
}

/// How to serve.
pub struct ServeOptions {
    /// TLS for `tls:` steps and `connect: implicit`.
    pub tls: Option<tokio_rustls::TlsAcceptor>,
    /// How long to wait for a client (to connect, or to send its next line).
    pub wait: Duration,
}

/// Serves `t` on `listener` once, returning the client lines that differed.
pub async fn serve(
    t: &Transcript,
    listener: &TcpListener,
    opts: &ServeOptions,
) -> Result<Vec<Mismatch>, Failure> {
    let mut s = Server {
        listener,
        opts,
        implicit: t.implicit_tls,
        conns: HashMap::new(),
        vars: t.values.iter().cloned().collect(),
        tags: HashMap::new(),
        mismatches: Vec::new(),
    };
    for step in &t.steps {
        s.step(step).await.map_err(|message| Failure {
            file: t.name.clone(),
            line: step.line,
            message,
        })?;
    }
    for conn in s.conns.values_mut() {
        let _ = conn.stream.shutdown().await;
    }
    Ok(s.mismatches)
}

struct ServedConn {
    stream: Stream,
    buf: Vec<u8>,
    closed: bool,
    reported_closed: bool,
}

struct Server<'a> {
    listener: &'a TcpListener,
    opts: &'a ServeOptions,
    implicit: bool,
    conns: HashMap<usize, ServedConn>,
    vars: HashMap<String, String>,
    /// Recorded tag -> the tag the client used instead.
    tags: HashMap<String, String>,
    mismatches: Vec<Mismatch>,
}

impl Server<'_> {
    async fn conn(&mut self, n: usize) -> Result<&mut ServedConn, String> {
        if !self.conns.contains_key(&n) {
            let deadline = Instant::now() + self.opts.wait;
            let (tcp, _) = timeout_at(deadline, self.listener.accept())
                .await
                .map_err(|_| format!("no client connected (connection {n})"))?
                .map_err(|e| format!("accept: {e}"))?;
            let mut stream = Stream::Plain(tcp);
            if self.implicit {
                stream = self.tls(stream).await?;
            }
            let conn = ServedConn {
                stream,
                buf: Vec::new(),
                closed: false,
                reported_closed: false,
            };
            self.conns.insert(n, conn);
        }
        self.conns.get_mut(&n).ok_or_else(|| "no connection".into())
    }

    async fn tls(&self, stream: Stream) -> Result<Stream, String> {
        let acceptor = self
            .opts
            .tls
            .clone()
            .ok_or("no TLS certificate to serve with")?;
        let Stream::Plain(tcp) = stream else {
            return Err("TLS is already on".into());
        };
        let tls = acceptor
            .accept(tcp)
            .await
            .map_err(|e| format!("TLS handshake with the client: {e}"))?;
        Ok(Stream::Tls(Box::new(tls)))
    }

    async fn step(&mut self, step: &Step) -> Result<(), String> {
        match &step.kind {
            StepKind::Expect(text) => {
                let line = retag(&fill(text, &self.vars), &self.tags);
                let conn = self.conn(step.conn).await?;
                if !conn.closed {
                    let bytes = [line.as_bytes(), b"\r\n"].concat();
                    conn.closed = conn.stream.write_all(&bytes).await.is_err();
                }
            }
            StepKind::ExpectRegex(_) => {
                return Err(
                    "an `S~` line has no text to send; `replay --serve` needs `S:` lines".into(),
                )
            }
            StepKind::Send(text) => self.receive(step, text).await?,
            StepKind::StartTls => {
                let conn = self.conn(step.conn).await?;
                let stream = std::mem::replace(&mut conn.stream, Stream::Closed);
                conn.buf.clear();
                let tls = self.tls(stream).await?;
                self.conn(step.conn).await?.stream = tls;
            }
            StepKind::ExpectClosed => {
                let conn = self.conn(step.conn).await?;
                let _ = conn.stream.shutdown().await;
                conn.closed = true;
            }
            StepKind::Sleep(d) => tokio::time::sleep(*d).await,
            StepKind::Forbid(_) => {}
        }
        Ok(())
    }

    /// Reads the client's next line and compares it with the recorded one.
    async fn receive(&mut self, step: &Step, text: &str) -> Result<(), String> {
        let deadline = Instant::now() + self.opts.wait;
        let conn = self.conn(step.conn).await?;
        if conn.closed && conn.reported_closed {
            return Ok(());
        }
        let got = if conn.closed {
            None
        } else {
            read_line(conn, deadline).await
        };
        // A closed connection is reported once, at the first line it did not send.
        conn.reported_closed = got.is_none();
        let vars = self.vars.clone();
        let text = &self.adopt_tag(text, got.as_deref());
        let (re, names) = pattern(text, &vars)?;
        match got.as_deref().and_then(|g| re.captures(g)) {
            Some(caps) => {
                for (i, name) in names.iter().enumerate() {
                    let value = caps.get(i + 1).map_or("", |m| m.as_str());
                    self.vars.insert(name.clone(), value.to_string());
                }
            }
            None => self.mismatches.push(Mismatch {
                line: step.line,
                conn: step.conn,
                expected: text.to_string(),
                got,
            }),
        }
        Ok(())
    }
}

impl Server<'_> {
    /// The recorded line with the client's tag when only the tag differs from it; the
    /// recorded tag then maps to the client's in the responses.
    fn adopt_tag(&mut self, text: &str, got: Option<&str>) -> String {
        let (Some((tag, rest)), Some((their, _))) =
            (text.split_once(' '), got.and_then(|g| g.split_once(' ')))
        else {
            return text.to_string();
        };
        if tag == their || tag == "*" || tag == "+" || !is_command_line(rest) {
            return text.to_string();
        }
        self.tags.insert(tag.to_string(), their.to_string());
        format!("{their} {rest}")
    }
}

/// Does the text after a tag start with a command word (letters)?
fn is_command_line(rest: &str) -> bool {
    let word = rest.split(' ').next().unwrap_or_default();
    !word.is_empty() && word.bytes().all(|b| b.is_ascii_alphabetic())
}

/// A server line whose tag the client chose differently, with the client's tag.
fn retag(line: &str, tags: &HashMap<String, String>) -> String {
    match line.split_once(' ') {
        Some((tag, rest)) if tags.contains_key(tag) => format!("{} {rest}", tags[tag]),
        _ => line.to_string(),
    }
}

/// A server line with recorded values in place of `${vars}` (unknown ones stay as written).
fn fill(text: &str, vars: &HashMap<String, String>) -> String {
    let mut out = text.to_string();
    for (name, value) in vars {
        out = out.replace(&format!("${{{name}}}"), value);
    }
    out
}

async fn read_line(conn: &mut ServedConn, deadline: Instant) -> Option<String> {
    loop {
        if let Some(i) = conn.buf.windows(2).position(|w| w == b"\r\n") {
            let line: Vec<u8> = conn.buf.drain(..i + 2).take(i).collect();
            return Some(String::from_utf8_lossy(&line).into_owned());
        }
        let mut chunk = [0u8; 16384];
        match timeout_at(deadline, conn.stream.read(&mut chunk)).await {
            Ok(Ok(n)) if n > 0 => conn.buf.extend_from_slice(&chunk[..n]),
            _ => {
                conn.closed = true;
                return None;
            }
        }
    }
}
