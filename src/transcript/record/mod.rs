//! Recording: turns the two byte streams of one IMAP connection into a transcript in the
//! test format (`C:` / `S:` lines), shared by `serve --record` (a tap in the connection
//! loop) and the recording proxy (`imap-mimic record`).
//!
//! What it writes, besides the lines:
//! - `# at 1.234s` comments (time since connect) where the direction turns to the client;
//!   the runner ignores them.
//! - Passwords redacted: LOGIN's password becomes `${password}` (or `{${password_size}}` and
//!   `${password_raw}` when sent as a literal), AUTHENTICATE PLAIN data `${plain}`, any
//!   other mechanism's data `${redacted}`. The replayer fills them in with its own password.
//!   A login the server refused gets `${wrong_password...}` / `${wrong_plain}` instead, which
//!   the replayer fills with a password that is not the user's. `user: NAME` headers (no
//!   password) name the users that logged in.
//! - Values that change between runs captured, not literal: UIDVALIDITY as
//!   `${uidvalidity}`, UIDs (APPENDUID, FETCH UID) as `${uidN}` (also in the client's UID
//!   sets), INTERNALDATE as `${dateN}`; `value:` headers keep what was recorded (what
//!   `replay --serve` sends).
//! - `incomplete: why` when the session was cut short (a proxy's upstream vanished).

pub(super) mod redact;
mod vars;

use std::time::Instant;

/// One connection being recorded.
pub struct Recorder {
    started: Instant,
    comments: Vec<String>,
    profile: String,
    implicit_tls: bool,
    users: Vec<String>,
    body: Vec<String>,
    client_buf: Vec<u8>,
    server_buf: Vec<u8>,
    last_was_client: bool,
    command: redact::Command,
    sasl: Option<redact::Sasl>,
    /// Tags of commands sent whose tagged response has not arrived.
    outstanding: Vec<(String, String)>,
    vars: vars::Vars,
    starttls_accepted: bool,
    /// The login in progress whose lines hold placeholders for secrets.
    secret: PendingLogin,
}

/// Lines of a LOGIN or AUTHENTICATE that hold secrets, until its tagged response.
#[derive(Default)]
struct PendingLogin {
    tag: Option<String>,
    lines: Vec<usize>,
    user: Option<String>,
}

impl Recorder {
    /// `profile` goes in the `profile:` header; `comments` at the top of the file.
    pub fn new(profile: &str, implicit_tls: bool, comments: Vec<String>) -> Recorder {
        Recorder {
            started: Instant::now(),
            comments,
            profile: profile.to_string(),
            implicit_tls,
            users: Vec::new(),
            body: Vec::new(),
            client_buf: Vec::new(),
            server_buf: Vec::new(),
            last_was_client: false,
            command: redact::Command::default(),
            sasl: None,
            outstanding: Vec::new(),
            vars: vars::Vars::default(),
            starttls_accepted: false,
            secret: PendingLogin::default(),
        }
    }

    /// Bytes the client sent.
    pub fn client(&mut self, bytes: &[u8]) {
        self.client_buf.extend_from_slice(bytes);
        while let Some(line) = take_line(&mut self.client_buf) {
            self.client_line(line);
        }
    }

    /// Bytes the server sent.
    pub fn server(&mut self, bytes: &[u8]) {
        self.server_buf.extend_from_slice(bytes);
        while let Some(line) = take_line(&mut self.server_buf) {
            self.server_line(&line);
        }
    }

    /// The TLS handshake after STARTTLS happened here.
    pub fn tls(&mut self) {
        self.body.push("tls:".to_string());
    }

    /// The server closed the connection.
    pub fn closed(&mut self) {
        self.body.push("closed:".to_string());
    }

    /// The server just accepted STARTTLS: what follows is a TLS handshake. Reading it
    /// clears it.
    pub fn take_starttls(&mut self) -> bool {
        std::mem::take(&mut self.starttls_accepted)
    }

    /// The command in progress, if a client command has no tagged response yet.
    pub fn outstanding(&self) -> Option<&str> {
        self.outstanding.last().map(|(_, line)| line.as_str())
    }

    fn client_line(&mut self, line: String) {
        if !self.last_was_client {
            let at = self.started.elapsed().as_secs_f64();
            self.body.push(format!("# at {at:.3}s"));
            self.last_was_client = true;
        }
        if let Some(sasl) = &self.sasl {
            let (text, user) = sasl.response(&line);
            self.secret.lines.push(self.body.len());
            self.secret.user = self.secret.user.take().or(user);
            self.body.push(format!("C: {text}"));
            return;
        }
        let index = self.body.len();
        let line = self.vars.client_uids(&line);
        self.body.push(format!("C: {line}"));
        if let Some(done) = self.command.push(index, line) {
            self.command_complete(done);
        }
    }

    /// A whole client command (its lines are in `body`): redact and note its tag.
    fn command_complete(&mut self, done: redact::Done) {
        let redaction = redact::redact(&done);
        if !redaction.lines.is_empty() || redaction.sasl.is_some() {
            self.secret = PendingLogin {
                tag: done.tag(),
                lines: redaction.lines.iter().map(|(i, _)| *i).collect(),
                user: redaction.user,
            };
        }
        for (index, text) in redaction.lines {
            self.body[index] = format!("C: {text}");
        }
        self.sasl = redaction.sasl;
        if let Some(tag) = done.tag() {
            self.outstanding.push((tag, done.first_line()));
        }
    }

    /// A login answered: its user is one to create, or (refused) its secrets become the
    /// replayer's wrong password, so the replay is refused too.
    fn settle_secret(&mut self, ok: bool) {
        let secret = std::mem::take(&mut self.secret);
        if ok {
            self.add_user(secret.user);
            return;
        }
        for i in secret.lines {
            self.body[i] = self.body[i]
                .replace("${password", "${wrong_password")
                .replace("${plain}", "${wrong_plain}");
        }
    }

    fn add_user(&mut self, user: Option<String>) {
        if let Some(u) = user {
            if !u.is_empty() && !self.users.contains(&u) {
                self.users.push(u);
            }
        }
    }

    fn server_line(&mut self, line: &str) {
        self.last_was_client = false;
        let tag = line.split(' ').next().unwrap_or_default();
        if let Some((_, command)) = self.outstanding.iter().find(|(t, _)| t == tag) {
            let word = command.split(' ').nth(1).unwrap_or_default();
            let ok = line.split(' ').nth(1) == Some("OK");
            self.starttls_accepted |= ok && word.eq_ignore_ascii_case("STARTTLS");
            self.outstanding.retain(|(t, _)| t != tag);
            if self.sasl.as_ref().is_some_and(|s| s.tag == tag) {
                self.sasl = None;
            }
            if self.secret.tag.as_deref() == Some(tag) {
                self.settle_secret(ok);
            }
        }
        let line = self.vars.server(line);
        self.body.push(format!("S: {line}"));
    }

    /// The transcript text; `incomplete` marks a session cut short (and why).
    pub fn finish(mut self, incomplete: Option<&str>) -> String {
        // A login never answered: its user may still be needed.
        let pending = self.secret.user.take();
        self.add_user(pending);
        let mut out = String::new();
        for c in &self.comments {
            out.push_str(&format!("# {c}\n"));
        }
        out.push_str(&format!("profile: {}\n", self.profile));
        for u in &self.users {
            out.push_str(&format!("user: {u}\n"));
        }
        if self.implicit_tls {
            out.push_str("connect: implicit\n");
        }
        for (name, value) in self.vars.values() {
            out.push_str(&format!("value: {name} {value}\n"));
        }
        if let Some(why) = incomplete {
            out.push_str(&format!("incomplete: {}\n", one_line(why)));
        }
        for leftover in [&self.client_buf, &self.server_buf] {
            if !leftover.is_empty() {
                let text = String::from_utf8_lossy(leftover);
                self.body.push(format!("# unterminated bytes: {:?}", text));
            }
        }
        for line in &self.body {
            out.push_str(line);
            out.push('\n');
        }
        out
    }
}

fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}

/// The next CRLF-terminated line, without its CRLF. A bare CR or LF inside (possible in a
/// literal) cannot be written in a transcript line: it becomes a space, which keeps every
/// literal's size.
fn take_line(buf: &mut Vec<u8>) -> Option<String> {
    let i = buf.windows(2).position(|w| w == b"\r\n")?;
    let line: Vec<u8> = buf.drain(..i + 2).take(i).collect();
    Some(String::from_utf8_lossy(&line).replace(['\r', '\n'], " "))
}

/// Writes a finished transcript into `dir` atomically (a `.part` file renamed), so a
/// reader never sees half a file. Returns the path.
pub fn write_file(
    dir: &std::path::Path,
    stem: &str,
    text: &str,
) -> std::io::Result<std::path::PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!("{stem}.txt"));
    let part = dir.join(format!("{stem}.txt.part"));
    std::fs::write(&part, text)?;
    std::fs::rename(&part, &path)?;
    Ok(path)
}

/// A file name stem for a session: UTC time and a unique id.
pub fn stem(id: i64) -> String {
    format!("{}-{id:016x}", chrono::Utc::now().format("%Y%m%dT%H%M%S"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_both_sides_in_order() {
        let mut r = Recorder::new("rfc3501", false, vec!["hello".into()]);
        r.server(b"* OK ready\r\n");
        r.client(b"a1 APPEND INBOX {5}\r\n");
        r.server(b"+ go\r\n");
        // A bare LF in a literal cannot be a transcript line of its own.
        r.client(b"ab\ncd\r\n");
        r.server(b"a1 OK [APPENDUID 9 4] done\r\na2");
        r.closed();
        let text = r.finish(None);
        let body: Vec<&str> = text.lines().filter(|l| !l.starts_with("# at")).collect();
        assert_eq!(
            body,
            [
                "# hello",
                "profile: rfc3501",
                "value: uidvalidity 9",
                "value: uid4 4",
                "S: * OK ready",
                "C: a1 APPEND INBOX {5}",
                "S: + go",
                "C: ab cd",
                "S: a1 OK [APPENDUID ${uidvalidity} ${uid4}] done",
                "closed:",
                "# unterminated bytes: \"a2\"",
            ]
        );
        assert!(crate::transcript::Transcript::parse("t", &text).is_ok());
    }
}
