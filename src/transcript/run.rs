//! Plays the client side of a transcript against a server over TCP and checks every line
//! the server sends, in order, byte for byte (or by regex where the transcript says).

pub(super) use super::conn::{connect, Conn, Io};
use super::{Step, StepKind, Transcript};
use regex::Regex;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// Where and why a run failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct Failure {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// What a successful run saw: every byte each connection received.
#[derive(Debug, Default)]
pub struct Played {
    pub received: Vec<(usize, Vec<u8>)>,
}

/// Where a transcript's connections go, and how TLS is verified.
#[derive(Clone)]
pub struct Target {
    /// The plaintext (STARTTLS) listener.
    pub plain: SocketAddr,
    /// The implicit-TLS listener, for `connect: implicit`.
    pub implicit: Option<SocketAddr>,
    /// Client TLS settings for `tls:` and implicit TLS.
    pub tls: Option<Arc<rustls::ClientConfig>>,
}

/// Runs `t` against `target`; each expected line must arrive within `wait`.
pub async fn run(t: &Transcript, target: &Target, wait: Duration) -> Result<Played, Failure> {
    let mut player = Player {
        target: target.clone(),
        implicit: t.implicit_tls,
        wait,
        conns: HashMap::new(),
        vars: HashMap::new(),
    };
    for step in &t.steps {
        player.step(step).await.map_err(|message| Failure {
            file: t.name.clone(),
            line: step.line,
            message,
        })?;
    }
    let last = t.steps.last().map_or(0, |s| s.line);
    player.finish().await.map_err(|message| Failure {
        file: t.name.clone(),
        line: last,
        message,
    })
}

struct Player {
    target: Target,
    implicit: bool,
    wait: Duration,
    conns: HashMap<usize, Conn>,
    vars: HashMap<String, String>,
}

impl Player {
    async fn conn(&mut self, n: usize) -> Result<&mut Conn, String> {
        if !self.conns.contains_key(&n) {
            let stream = self.connect().await?;
            let conn = Conn {
                stream,
                buf: Vec::new(),
                raw: Vec::new(),
                forbidden: Vec::new(),
                eof: false,
            };
            self.conns.insert(n, conn);
        }
        self.conns
            .get_mut(&n)
            .ok_or_else(|| "no connection".to_string())
    }

    async fn connect(&self) -> Result<Io, String> {
        connect(&self.target, self.implicit).await
    }

    fn tls_config(&self) -> Result<Arc<rustls::ClientConfig>, String> {
        self.target
            .tls
            .clone()
            .ok_or_else(|| "no TLS client settings".to_string())
    }

    async fn step(&mut self, step: &Step) -> Result<(), String> {
        let deadline = Instant::now() + self.wait;
        match &step.kind {
            StepKind::Sleep(d) => tokio::time::sleep(*d).await,
            StepKind::Send(text) => {
                let line = substitute(text, &self.vars)?;
                let conn = self.conn(step.conn).await?;
                conn.settle_forbidden().await?;
                let bytes = [line.as_bytes(), b"\r\n"].concat();
                conn.stream
                    .write_all(&bytes)
                    .await
                    .map_err(|e| format!("write: {e}"))?;
            }
            StepKind::Expect(expected) => {
                let (re, names) = pattern(expected, &self.vars)?;
                let got = self.expect_line(step.conn, deadline).await?;
                let caps = re
                    .captures(&got)
                    .ok_or_else(|| format!("expected {expected:?}\n     got {got:?}"))?;
                self.capture(&names, &caps)?;
            }
            StepKind::ExpectRegex(re) => {
                let re = Regex::new(re).map_err(|e| format!("bad regex: {e}"))?;
                let got = self.expect_line(step.conn, deadline).await?;
                if !re.is_match(&got) {
                    return Err(format!("expected a line matching {re}\n     got {got:?}"));
                }
            }
            StepKind::Forbid(re) => {
                let re = Regex::new(re).map_err(|e| format!("bad regex: {e}"))?;
                self.conn(step.conn).await?.forbidden.push((step.line, re));
            }
            StepKind::StartTls => {
                let config = self.tls_config()?;
                let conn = self.conn(step.conn).await?;
                if !conn.buf.is_empty() {
                    let left = String::from_utf8_lossy(&conn.buf).into_owned();
                    return Err(format!("unread bytes before the TLS handshake: {left:?}"));
                }
                conn.stream.upgrade(config).await?;
            }
            StepKind::ExpectClosed => {
                let conn = self.conn(step.conn).await?;
                if let Some(line) = conn.line(deadline).await? {
                    return Err(format!("expected the server to close; got {line:?}"));
                }
            }
        }
        Ok(())
    }

    async fn expect_line(&mut self, n: usize, deadline: Instant) -> Result<String, String> {
        let conn = self.conn(n).await?;
        let line = conn
            .line(deadline)
            .await?
            .ok_or("the server closed the connection")?;
        conn.check_forbidden(&line)?;
        Ok(line)
    }

    fn capture(&mut self, names: &[String], caps: &regex::Captures<'_>) -> Result<(), String> {
        for (i, name) in names.iter().enumerate() {
            let value = caps.get(i + 1).map_or("", |m| m.as_str()).to_string();
            match self.vars.get(name) {
                Some(v) if *v != value => return Err(format!("${name} was {v:?}, now {value:?}")),
                _ => {
                    self.vars.insert(name.clone(), value);
                }
            }
        }
        Ok(())
    }

    /// Nothing unexpected may be left: no unread complete line on any open connection.
    async fn finish(self) -> Result<Played, String> {
        let mut played = Played::default();
        let mut conns: Vec<(usize, Conn)> = self.conns.into_iter().collect();
        conns.sort_by_key(|(n, _)| *n);
        for (n, mut conn) in conns {
            let grace = Instant::now() + Duration::from_millis(30);
            if !conn.eof {
                if let Ok(Some(line)) = conn.line(grace).await {
                    return Err(format!(
                        "connection {n}: unexpected line {line:?} after the last step"
                    ));
                }
            }
            played.received.push((n, conn.raw));
        }
        Ok(played)
    }
}

/// Replaces `${name}` with captured values in a client line.
pub(super) fn substitute(text: &str, vars: &HashMap<String, String>) -> Result<String, String> {
    let mut out = String::new();
    for piece in pieces(text) {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Var(v) => out.push_str(
                vars.get(v)
                    .ok_or_else(|| format!("${v} was never captured"))?,
            ),
        }
    }
    Ok(out)
}

/// A whole-line regex for an expected line: text literal, known `${vars}` as their values,
/// unknown ones as captures of one token.
pub(super) fn pattern(
    text: &str,
    vars: &HashMap<String, String>,
) -> Result<(Regex, Vec<String>), String> {
    let mut re = String::from("^");
    let mut names = Vec::new();
    for piece in pieces(text) {
        match piece {
            Piece::Text(t) => re.push_str(&regex::escape(t)),
            Piece::Var(v) => match vars.get(v) {
                Some(value) => re.push_str(&regex::escape(value)),
                // A date is a quoted string with spaces.
                None if v.starts_with("date") => {
                    re.push_str(r#"([^"]*)"#);
                    names.push(v.to_string());
                }
                None => {
                    re.push_str(r"([^\s\])]+)");
                    names.push(v.to_string());
                }
            },
        }
    }
    re.push('$');
    Ok((Regex::new(&re).map_err(|e| e.to_string())?, names))
}

enum Piece<'a> {
    Text(&'a str),
    Var(&'a str),
}

fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("${") {
        let after = &rest[i + 2..];
        match after.find('}') {
            Some(end) if is_name(&after[..end]) => {
                out.push(Piece::Text(&rest[..i]));
                out.push(Piece::Var(&after[..end]));
                rest = &after[end + 1..];
            }
            _ => {
                out.push(Piece::Text(&rest[..i + 2]));
                rest = after;
            }
        }
    }
    out.push(Piece::Text(rest));
    out
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_capture_and_substitute() {
        let mut vars = HashMap::new();
        let (re, names) = pattern("* OK [UIDVALIDITY ${uv}] x $MDNSent ${", &vars).unwrap();
        assert_eq!(names, vec!["uv".to_string()]);
        let caps = re.captures("* OK [UIDVALIDITY 42] x $MDNSent ${").unwrap();
        assert_eq!(&caps[1], "42");
        vars.insert("uv".to_string(), "42".to_string());
        assert_eq!(
            substitute("a UID FETCH ${uv} $X", &vars).unwrap(),
            "a UID FETCH 42 $X"
        );
        let (re, _) = pattern("[a.b] ${uv}", &vars).unwrap();
        assert!(re.is_match("[a.b] 42"));
        assert!(!re.is_match("[aXb] 42"));
        assert!(substitute("${nope}", &vars).is_err());
    }
}
