//! Transcripts: IMAP sessions written as `C:` / `S:` lines, the format of the project's own
//! tests and of recorded sessions. This module parses them; `run` plays the client side
//! against a server and checks every server line.
//!
//! ```text
//! # A comment.
//! profile: rfc3501            which profile the server runs (header)
//! user: alice secret          a user to create before the run (header, repeatable)
//! C: a1 LOGIN alice secret    a line the client sends (CRLF added)
//! S: a1 OK LOGIN completed.   the next line the server must send, exactly
//! S~ ^\* \d+ EXISTS$          the next line must match this regex
//! S! FETCH                    until this connection's next C: line, no server line may match
//! C2: b1 NOOP                 connection 2 (opened on first use; 1 is the default)
//! S: * OK [UIDVALIDITY ${uv}] x  `${name}` captures a token the first time, then must equal it
//! sleep: 200                  wait 200 ms
//! closed:                     the server must close the connection now
//! tls:                        run the client TLS handshake now (after STARTTLS's OK)
//! connect: implicit           header: connections go to the implicit-TLS port
//! user: alice                 a user whose password the replayer chooses (`${password}`)
//! value: uidvalidity 1764     header: the value a variable had when recorded
//! incomplete: upstream gone   header: the recording was cut short (and why)
//! ```
//!
//! `${name}` captures one token; names starting with `date` capture up to the next `"`.
//! A client literal (`{n}` / `{n+}` at the end of a `C:` line) must be followed by `C:`
//! lines holding exactly its bytes (each line plus CRLF); a file that ends inside one is
//! truncated. Both are parse errors naming the file and line.

mod check;
mod conn;
mod diff;
pub mod proxy;
pub mod record;
pub mod replay;
pub mod run;
pub mod serve;

use std::time::Duration;

/// One parsed transcript.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transcript {
    pub name: String,
    pub profile: String,
    /// Users and passwords; an empty password is the replayer's (`user: NAME`).
    pub users: Vec<(String, String)>,
    /// Recorded values of variables (`value:` headers), in file order.
    pub values: Vec<(String, String)>,
    /// Why the recording is incomplete, if it is.
    pub incomplete: Option<String>,
    /// Connections start with TLS (the implicit-TLS port).
    pub implicit_tls: bool,
    pub steps: Vec<Step>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// 1-based line in the file.
    pub line: usize,
    /// Connection number, 1 by default.
    pub conn: usize,
    pub kind: StepKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepKind {
    Send(String),
    Expect(String),
    ExpectRegex(String),
    Forbid(String),
    Sleep(Duration),
    ExpectClosed,
    StartTls,
}

/// A problem in a transcript file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct ParseError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl Transcript {
    pub fn parse(name: &str, text: &str) -> Result<Transcript, ParseError> {
        let mut t = Transcript {
            name: name.to_string(),
            profile: String::new(),
            users: Vec::new(),
            values: Vec::new(),
            incomplete: None,
            implicit_tls: false,
            steps: Vec::new(),
        };
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let err = |message: String| ParseError {
                file: name.to_string(),
                line,
                message,
            };
            if raw.trim().is_empty() || raw.starts_with('#') {
                continue;
            }
            match t.header(raw).map_err(err)? {
                Directive::Header => {}
                Directive::Step(conn, kind) => t.steps.push(Step { line, conn, kind }),
                Directive::NotHeader => {
                    let (conn, kind) = step(raw).map_err(err)?;
                    t.steps.push(Step { line, conn, kind });
                }
            }
        }
        if t.profile.is_empty() {
            return Err(ParseError {
                file: name.to_string(),
                line: 1,
                message: "missing `profile:` header".to_string(),
            });
        }
        check::literals(&t)?;
        Ok(t)
    }

    /// Header directives, and `sleep:` / `closed:` / `tls:`, which are steps.
    fn header(&mut self, raw: &str) -> Result<Directive, String> {
        let Some((key, value)) = raw.split_once(':') else {
            return Ok(Directive::NotHeader);
        };
        let value = value.trim();
        // `closed2:`, `tls2:`, `sleep2:` name a connection like `C2:` does.
        let word = key.trim_end_matches(|c: char| c.is_ascii_digit());
        let conn = key[word.len()..].parse().unwrap_or(1);
        let as_step = |kind| Ok(Directive::Step(conn, kind));
        match word {
            "profile" => self.profile = value.to_string(),
            "user" => {
                let (u, p) = value.split_once(' ').unwrap_or((value, ""));
                if u.is_empty() {
                    return Err("`user:` needs a name".to_string());
                }
                self.users.push((u.to_string(), p.to_string()));
            }
            "sleep" => {
                let ms = value
                    .parse()
                    .map_err(|_| format!("`sleep:` needs milliseconds, not {value:?}"))?;
                return as_step(StepKind::Sleep(Duration::from_millis(ms)));
            }
            "value" => {
                let (n, v) = value
                    .split_once(' ')
                    .ok_or("`value:` needs a variable name and a value")?;
                self.values.push((n.to_string(), v.to_string()));
            }
            "incomplete" => self.incomplete = Some(value.to_string()),
            "closed" => return as_step(StepKind::ExpectClosed),
            "tls" => return as_step(StepKind::StartTls),
            "connect" if value == "implicit" => self.implicit_tls = true,
            "connect" => return Err(format!("`connect:` takes `implicit`, not {value:?}")),
            _ => return Ok(Directive::NotHeader),
        }
        Ok(Directive::Header)
    }
}

enum Directive {
    Header,
    Step(usize, StepKind),
    NotHeader,
}

/// `C: x`, `C2: x`, `S: x`, `S~ re`, `S! re`, with an optional connection number.
fn step(raw: &str) -> Result<(usize, StepKind), String> {
    let who = raw.chars().next().ok_or("empty line")?;
    let digits: String = raw[1..].chars().take_while(char::is_ascii_digit).collect();
    let conn = if digits.is_empty() {
        1
    } else {
        digits.parse().map_err(|_| "bad connection number")?
    };
    let rest = &raw[1 + digits.len()..];
    let (mark, body) = rest.split_at(rest.len().min(1));
    let body = body.strip_prefix(' ').unwrap_or(body);
    let kind = match (who, mark) {
        ('C', ":") => StepKind::Send(body.to_string()),
        ('S', ":") => StepKind::Expect(body.to_string()),
        ('S', "~") => StepKind::ExpectRegex(body.to_string()),
        ('S', "!") => StepKind::Forbid(body.to_string()),
        _ => return Err(format!("unknown directive: {raw:?}")),
    };
    Ok((conn, kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_directive() {
        let text = "# hi\nprofile: rfc3501\nuser: alice pw\nC: a NOOP\nS: a OK NOOP completed.\n\
                    C2: b LOGOUT\nS2~ ^\\* BYE\nS! FETCH\nsleep: 20\nclosed:\nS: \ntls2:\n";
        let t = Transcript::parse("t", text).unwrap();
        assert_eq!(t.profile, "rfc3501");
        assert_eq!(t.users, vec![("alice".into(), "pw".into())]);
        let kinds: Vec<_> = t.steps.iter().map(|s| (s.conn, s.kind.clone())).collect();
        assert_eq!(
            kinds,
            vec![
                (1, StepKind::Send("a NOOP".into())),
                (1, StepKind::Expect("a OK NOOP completed.".into())),
                (2, StepKind::Send("b LOGOUT".into())),
                (2, StepKind::ExpectRegex("^\\* BYE".into())),
                (1, StepKind::Forbid("FETCH".into())),
                (1, StepKind::Sleep(Duration::from_millis(20))),
                (1, StepKind::ExpectClosed),
                (1, StepKind::Expect(String::new())),
                (2, StepKind::StartTls),
            ]
        );
        assert_eq!(t.steps[0].line, 4);
    }

    #[test]
    fn rejects_unknown_directives_and_missing_profile() {
        assert!(Transcript::parse("t", "profile: x\nX: y\n").is_err());
        assert!(Transcript::parse("t", "C: a NOOP\n").is_err());
        let e = Transcript::parse("f.txt", "profile: x\nC: a NOOP\nsleep: soon\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "f.txt:3: `sleep:` needs milliseconds, not \"soon\""
        );
    }

    #[test]
    fn recorded_headers() {
        let text = "profile: p\nuser: alice\nvalue: uid7 7\nincomplete: upstream closed\n";
        let t = Transcript::parse("t", text).unwrap();
        assert_eq!(t.users, vec![("alice".into(), String::new())]);
        assert_eq!(t.values, vec![("uid7".into(), "7".into())]);
        assert_eq!(t.incomplete.as_deref(), Some("upstream closed"));
    }
}
