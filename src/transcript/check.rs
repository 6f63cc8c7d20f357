//! Checks a parsed transcript's client literals: each `{n}` / `{n+}` must be followed by
//! `C:` lines on its connection holding exactly n bytes (lines plus their CRLFs), ending
//! where the command can go on (at a line's end, or before a space or `)`).

use super::{ParseError, StepKind, Transcript};
use std::collections::HashMap;

/// A literal still being read on one connection.
struct Open {
    line: usize,
    size: u64,
    left: u64,
    /// Nothing of it read yet: a server line now is the server refusing it.
    untouched: bool,
}

pub fn literals(t: &Transcript) -> Result<(), ParseError> {
    let err = |line, message| ParseError {
        file: t.name.clone(),
        line,
        message,
    };
    let mut open: HashMap<usize, Open> = HashMap::new();
    for step in &t.steps {
        match &step.kind {
            StepKind::Send(text) => {
                let rest = match open.remove(&step.conn) {
                    None => text.as_str(),
                    Some(o) => match consume(o, text) {
                        Consumed::More(o) => {
                            open.insert(step.conn, o);
                            continue;
                        }
                        Consumed::Rest(rest) => rest,
                        Consumed::Wrong(o, why) => return Err(err(step.line, wrong(&o, why))),
                    },
                };
                if let Some(size) = announced(rest) {
                    let o = Open {
                        line: step.line,
                        size,
                        left: size,
                        untouched: true,
                    };
                    open.insert(step.conn, o);
                }
            }
            StepKind::Expect(text) | StepKind::ExpectRegex(text)
                if !is_continuation(text) && open.get(&step.conn).is_some_and(|o| o.untouched) =>
            {
                open.remove(&step.conn);
            }
            _ => {}
        }
    }
    match open.into_values().min_by_key(|o| o.line) {
        Some(o) if o.left == 0 => Err(err(
            o.line,
            "truncated: the command with the literal announced here never ends".to_string(),
        )),
        Some(o) => Err(err(
            o.line,
            format!(
                "truncated: the literal of {} bytes announced here is missing {} bytes at the \
                 end of the file",
                o.size, o.left
            ),
        )),
        None => Ok(()),
    }
}

fn is_continuation(text: &str) -> bool {
    text.starts_with('+') || text.starts_with("^\\+")
}

fn wrong(o: &Open, why: &str) -> String {
    format!(
        "the client literal of {} bytes announced at line {} {why}",
        o.size, o.line
    )
}

enum Consumed<'a> {
    More(Open),
    Rest(&'a str),
    Wrong(Open, &'static str),
}

/// Takes one `C:` line (plus CRLF) into an open literal.
fn consume(mut o: Open, text: &str) -> Consumed<'_> {
    // The replayer's password goes in whole, whatever its size.
    if o.size == u64::MAX {
        return Consumed::Rest("");
    }
    let len = text.len() as u64 + 2;
    if len <= o.left {
        o.left -= len;
        o.untouched = false;
        return Consumed::More(o);
    }
    if o.left == len - 1 {
        return Consumed::Wrong(o, "ends between this line's CR and LF");
    }
    let rest = text.get(o.left as usize..).unwrap_or_default();
    if rest.is_empty() || rest.starts_with(' ') || rest.starts_with(')') {
        Consumed::Rest(rest)
    } else {
        Consumed::Wrong(
            o,
            "ends inside this line (the bytes after it cannot follow a literal)",
        )
    }
}

/// The size of a literal announced at the end of a client line; `{${password_size}}` is
/// whatever the next line holds.
fn announced(line: &str) -> Option<u64> {
    let placeholder = |name: &str| {
        line.ends_with(&format!("{{${{{name}}}}}")) || line.ends_with(&format!("{{${{{name}}}+}}"))
    };
    if placeholder("password_size") || placeholder("wrong_password_size") {
        return Some(u64::MAX);
    }
    let body = line.strip_suffix('}')?;
    let body = body.strip_suffix('+').unwrap_or(body);
    let (_, digits) = body.rsplit_once('{')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::super::Transcript;

    fn parse(body: &str) -> Result<Transcript, String> {
        Transcript::parse("x.txt", &format!("profile: p\n{body}")).map_err(|e| e.to_string())
    }

    #[test]
    fn literal_sizes() {
        assert!(parse("C: a LOGIN {5}\nS: + go\nC: alice {6}\nS: + go\nC: secret\n").is_ok());
        assert!(parse("C: a APPEND INBOX {7}\nC: Hi: x\nC: \n").is_ok());
        assert!(parse("C: a LOGIN {${password_size}}\nC: ${password_raw}\n").is_ok());
        // Refused before any byte was sent.
        assert!(parse("C: a APPEND INBOX {99}\nS: a NO [TOOBIG] no\nC: b NOOP\n").is_ok());
        assert_eq!(
            parse("C: a LOGIN alice {7}\nS: + go\nC: secret\n").unwrap_err(),
            "x.txt:4: the client literal of 7 bytes announced at line 2 ends between this \
             line's CR and LF"
        );
        assert_eq!(
            parse("C: a LOGIN alice {4}\nC: secret\n").unwrap_err(),
            "x.txt:3: the client literal of 4 bytes announced at line 2 ends inside this line \
             (the bytes after it cannot follow a literal)"
        );
        assert_eq!(
            parse("C: a APPEND INBOX {50}\nS: + go\nC: Subject: x\n").unwrap_err(),
            "x.txt:2: truncated: the literal of 50 bytes announced here is missing 38 bytes at \
             the end of the file"
        );
    }
}
