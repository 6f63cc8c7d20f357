//! Replay: plays the client side of a transcript like `run` does, on the same connections,
//! variables and patterns, but instead of stopping at the first wrong line it collects
//! every difference in the server's lines, as unified-diff hunks. `imap-mimic replay`
//! prints them and exits 1 when there is any.
//!
//! The server lines between two client lines are compared as a block: the replayer reads
//! until the block's last expected line would be due (the tagged response or `+` it ends
//! with, or as many lines as expected), then matches expected and received lines in order
//! (a longest common subsequence), so one extra or missing line is one `+` or `-` line.

use super::record::redact::Command;
use super::run::{connect, pattern, substitute, Conn, Failure, Target};
use super::{diff, Step, StepKind, Transcript};
use base64::Engine;
use regex::Regex;
use std::collections::HashMap;
use std::time::Duration;
use tokio::time::Instant;

/// How to replay.
#[derive(Clone, Debug)]
pub struct Options {
    /// How long to wait for a server line that is due.
    pub wait: Duration,
    /// The password `${password}` (and `${plain}`) stand for.
    pub password: String,
}

/// One block of server lines that differs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// Transcript line of the first expected line of the block.
    pub line: usize,
    pub conn: usize,
    /// 1-based number of the first line received in the block, on its connection.
    pub received_line: usize,
    /// `(' ' | '-' | '+', text)`, in order.
    pub lines: Vec<(char, String)>,
}

/// What a replay found.
#[derive(Debug, Default)]
pub struct Report {
    pub differences: Vec<Difference>,
    /// Every byte each connection received, by connection number.
    pub received: Vec<(usize, Vec<u8>)>,
}

impl Report {
    /// The differences as a unified diff of server lines.
    pub fn unified(&self, file: &str, target: &str) -> String {
        if self.differences.is_empty() {
            return String::new();
        }
        let mut out = format!("--- {file} (recorded)\n+++ {target} (replayed)\n");
        for d in &self.differences {
            let old = d.lines.iter().filter(|(c, _)| *c != '+').count();
            let new = d.lines.iter().filter(|(c, _)| *c != '-').count();
            out.push_str(&format!(
                "@@ -{},{old} +{},{new} @@ connection {}\n",
                d.line, d.received_line, d.conn
            ));
            for (c, text) in &d.lines {
                out.push_str(&format!("{c}{text}\n"));
            }
        }
        out
    }
}

/// Replays `t` against `target`, collecting differences. Errors are what stops a replay:
/// a connection that cannot be made, a redacted secret that cannot be sent.
pub async fn replay(t: &Transcript, target: &Target, opts: &Options) -> Result<Report, Failure> {
    let mut r = Replayer {
        target: target.clone(),
        implicit: t.implicit_tls,
        opts: opts.clone(),
        conns: HashMap::new(),
        vars: secrets(t, &opts.password),
        recorded: t.values.iter().cloned().collect(),
        last_tag: HashMap::new(),
        received: HashMap::new(),
        commands: HashMap::new(),
        report: Report::default(),
    };
    let fail = |line, message| Failure {
        file: t.name.clone(),
        line,
        message,
    };
    let mut i = 0;
    while i < t.steps.len() {
        let step = &t.steps[i];
        let block = expect_block(&t.steps[i..]);
        if block.is_empty() {
            r.step(step).await.map_err(|m| fail(step.line, m))?;
            i += 1;
        } else {
            r.block(block).await.map_err(|m| fail(step.line, m))?;
            i += block.len();
        }
    }
    r.finish().await;
    Ok(r.report)
}

/// The `S:` / `S~` steps starting here, on one connection.
fn expect_block(steps: &[Step]) -> &[Step] {
    let is_expect = |s: &Step| matches!(s.kind, StepKind::Expect(_) | StepKind::ExpectRegex(_));
    let Some(first) = steps.first().filter(|s| is_expect(s)) else {
        return &[];
    };
    let n = steps
        .iter()
        .take_while(|s| is_expect(s) && s.conn == first.conn)
        .count();
    &steps[..n]
}

/// The values of the placeholders recording leaves for secrets.
fn secrets(t: &Transcript, password: &str) -> HashMap<String, String> {
    let user = t.users.first().map(|(u, _)| u.as_str()).unwrap_or_default();
    let wrong = format!("{password}-wrong");
    let mut vars = HashMap::new();
    for (prefix, password) in [("", password), ("wrong_", wrong.as_str())] {
        let plain = format!("\0{user}\0{password}");
        let b64 = base64::engine::general_purpose::STANDARD.encode(plain);
        vars.insert(format!("{prefix}password"), astring(password));
        vars.insert(format!("{prefix}password_raw"), password.to_string());
        vars.insert(format!("{prefix}password_size"), password.len().to_string());
        vars.insert(format!("{prefix}plain"), b64);
    }
    vars
}

/// An atom when it can be one, else a quoted string.
fn astring(s: &str) -> String {
    let atom = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_graphic() && !b"(){%*\"\\]".contains(&b));
    if atom {
        s.to_string()
    } else {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

struct Replayer {
    target: Target,
    implicit: bool,
    opts: Options,
    conns: HashMap<usize, Conn>,
    vars: HashMap<String, String>,
    /// `value:` headers: used for a variable the replayed server never sent.
    recorded: HashMap<String, String>,
    /// Per connection, the tag of the last command sent.
    last_tag: HashMap<usize, String>,
    /// Per connection, the client command being sent (literals).
    commands: HashMap<usize, Command>,
    /// Per connection, how many lines were received before the current block.
    received: HashMap<usize, usize>,
    report: Report,
}

impl Replayer {
    async fn conn(&mut self, n: usize) -> Result<&mut Conn, String> {
        if !self.conns.contains_key(&n) {
            let io = connect(&self.target, self.implicit).await?;
            self.conns.insert(n, Conn::new(io));
        }
        self.conns
            .get_mut(&n)
            .ok_or_else(|| "no connection".to_string())
    }

    fn differ(&mut self, step: &Step, lines: Vec<(char, String)>) {
        let received_line = self.received.get(&step.conn).copied().unwrap_or(0) + 1;
        self.report.differences.push(Difference {
            line: step.line,
            conn: step.conn,
            received_line,
            lines,
        });
    }

    async fn step(&mut self, step: &Step) -> Result<(), String> {
        match &step.kind {
            StepKind::Sleep(d) => tokio::time::sleep(*d).await,
            StepKind::Send(text) => self.send(step, text).await?,
            StepKind::Forbid(re) => {
                let re = Regex::new(re).map_err(|e| format!("bad regex: {e}"))?;
                self.conn(step.conn).await?.forbidden.push((step.line, re));
            }
            StepKind::StartTls => {
                let config = self.target.tls.clone().ok_or("no TLS client settings")?;
                let conn = self.conn(step.conn).await?;
                if conn.eof {
                    return Ok(());
                }
                conn.buf.clear();
                conn.stream.upgrade(config).await?;
            }
            StepKind::ExpectClosed => {
                let deadline = Instant::now() + self.opts.wait;
                let conn = self.conn(step.conn).await?;
                let mut extra = Vec::new();
                while let Ok(Some(line)) = conn.line(deadline).await {
                    extra.push(('+', line));
                }
                if !extra.is_empty() || !conn.eof {
                    extra.push(('-', "(the server closes the connection)".to_string()));
                    self.differ(step, extra);
                }
            }
            StepKind::Expect(_) | StepKind::ExpectRegex(_) => {
                self.block(std::slice::from_ref(step)).await?
            }
        }
        Ok(())
    }

    async fn send(&mut self, step: &Step, text: &str) -> Result<(), String> {
        if text.contains("${redacted}") {
            return Err(
                "this line held authentication data that was redacted when it was \
                        recorded; it cannot be replayed"
                    .to_string(),
            );
        }
        let mut vars = self.recorded.clone();
        vars.extend(self.vars.clone());
        let line = substitute(text, &vars)?;
        // A literal's lines are not commands: only a command's first line has a tag.
        let command = self.commands.entry(step.conn).or_default();
        if command.is_idle() {
            let tag = line.split(' ').next().unwrap_or_default();
            self.last_tag.insert(step.conn, tag.to_string());
        }
        let _ = command.push(0, line.clone());
        let conn = self.conn(step.conn).await?;
        if conn.eof {
            return Ok(());
        }
        // An `S!` expires here; what arrived before this line must not match it.
        if let Err(e) = conn.settle_forbidden().await {
            conn.forbidden.clear();
            self.differ(step, vec![('!', e)]);
        }
        let conn = self.conn(step.conn).await?;
        let bytes = [line.as_bytes(), b"\r\n"].concat();
        if conn.stream.write_all(&bytes).await.is_err() {
            conn.eof = true;
        }
        Ok(())
    }

    /// Reads the server lines a block of expectations covers and diffs them.
    async fn block(&mut self, block: &[Step]) -> Result<(), String> {
        let first = &block[0];
        let expected: Vec<Expected> = block
            .iter()
            .map(|s| Expected::new(&s.kind))
            .collect::<Result<_, _>>()?;
        let last_tag = self.last_tag.get(&first.conn).cloned();
        let wait = self.opts.wait;
        let conn = self.conn(first.conn).await?;
        let got = read_block(conn, &expected, last_tag.as_deref(), wait).await;
        let mut forbidden = Vec::new();
        for line in &got {
            if let Err(e) = conn.check_forbidden(line) {
                forbidden.push(('!', e));
            }
        }
        let lines = diff::lines(&expected, &got, &mut self.vars);
        if lines.iter().any(|(c, _)| *c != ' ') || !forbidden.is_empty() {
            let mut lines = lines;
            lines.extend(forbidden);
            self.differ(first, lines);
        }
        *self.received.entry(first.conn).or_default() += got.len();
        Ok(())
    }

    /// Lines left unread on any connection are differences too.
    async fn finish(&mut self) {
        let mut conns: Vec<usize> = self.conns.keys().copied().collect();
        conns.sort();
        for n in conns {
            let Some(conn) = self.conns.get_mut(&n) else {
                continue;
            };
            let grace = Instant::now() + Duration::from_millis(100);
            let mut extra = Vec::new();
            while let Ok(Some(line)) = conn.line(grace).await {
                extra.push(('+', line));
            }
            if !extra.is_empty() {
                let received_line = self.received.get(&n).copied().unwrap_or(0) + 1;
                self.report.differences.push(Difference {
                    line: 0,
                    conn: n,
                    received_line,
                    lines: extra,
                });
            }
            self.report
                .received
                .push((n, std::mem::take(&mut conn.raw)));
        }
    }
}

/// An expected server line: text with `${vars}`, or a regex (`S~`).
pub(super) enum Expected {
    Text(String),
    Regex(Regex, String),
}

impl Expected {
    fn new(kind: &StepKind) -> Result<Expected, String> {
        match kind {
            StepKind::Expect(t) => Ok(Expected::Text(t.clone())),
            StepKind::ExpectRegex(r) => Regex::new(r)
                .map(|re| Expected::Regex(re, r.clone()))
                .map_err(|e| format!("bad regex: {e}")),
            _ => Err("not an expectation".to_string()),
        }
    }

    pub(super) fn text(&self) -> &str {
        match self {
            Expected::Text(t) | Expected::Regex(_, t) => t,
        }
    }

    /// Does `got` match, given the variables captured so far? Captures on success when
    /// `vars` is mutable and `capture` is set.
    pub(super) fn matches(
        &self,
        got: &str,
        vars: &mut HashMap<String, String>,
        capture: bool,
    ) -> bool {
        match self {
            Expected::Regex(re, _) => re.is_match(got),
            Expected::Text(t) => {
                let Ok((re, names)) = pattern(t, vars) else {
                    return false;
                };
                let Some(caps) = re.captures(got) else {
                    return false;
                };
                if capture {
                    for (i, name) in names.iter().enumerate() {
                        let value = caps.get(i + 1).map_or("", |m| m.as_str());
                        vars.insert(name.clone(), value.to_string());
                    }
                }
                true
            }
        }
    }
}

/// Reads until the block is due: its last line's tag (or `+`) seen, a tagged response to
/// the last command, as many lines as expected, the end of the stream, or `wait` passing.
async fn read_block(
    conn: &mut Conn,
    expected: &[Expected],
    last_tag: Option<&str>,
    wait: Duration,
) -> Vec<String> {
    let last = match expected.last() {
        Some(Expected::Text(t)) => t.as_str(),
        _ => "",
    };
    let end_tag = last
        .split(' ')
        .next()
        .filter(|t| !t.is_empty() && *t != "*" && *t != "+");
    let deadline = Instant::now() + wait;
    let mut got: Vec<String> = Vec::new();
    loop {
        let done = match got.last() {
            None => false,
            Some(l) if last.starts_with('+') => l.starts_with('+'),
            Some(l) if end_tag.is_some_and(|t| l.starts_with(&format!("{t} "))) => true,
            Some(l) if last_tag.is_some_and(|t| l.starts_with(&format!("{t} "))) => true,
            Some(_) => end_tag.is_none() && got.len() >= expected.len(),
        };
        if done {
            return got;
        }
        match conn.line(deadline).await {
            Ok(Some(line)) => got.push(line),
            _ => return got,
        }
    }
}
