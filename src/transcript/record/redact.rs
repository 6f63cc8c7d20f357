//! Passwords out of recorded client lines: assembles each client command across its lines
//! and literals, then rewrites LOGIN's password and AUTHENTICATE's data as placeholders the
//! replayer fills in (`${password}`, `${password_size}` / `${password_raw}`, `${plain}`,
//! `${redacted}`).

use base64::Engine;

/// The client command being assembled: its lines (index into the transcript body, text)
/// and, inside a literal, how many bytes of it are still to come.
#[derive(Default)]
pub struct Command {
    lines: Vec<(usize, String)>,
    literal: Option<u64>,
}

/// A complete command's lines.
pub struct Done {
    pub lines: Vec<(usize, String)>,
}

impl Command {
    /// No command is in progress: the next line starts one.
    pub fn is_idle(&self) -> bool {
        self.lines.is_empty()
    }

    /// Adds a line (without CRLF); the whole command once its last line is in.
    pub fn push(&mut self, index: usize, line: String) -> Option<Done> {
        let bytes = line.as_bytes().to_vec();
        self.lines.push((index, line));
        let mut rest: &[u8] = &bytes;
        if let Some(left) = self.literal.take() {
            let len = bytes.len() as u64 + 2;
            if len <= left {
                self.literal = Some(left - len);
                return None;
            }
            rest = bytes.get(left as usize..).unwrap_or_default();
        }
        match literal_at_end(rest) {
            Some((n, _)) => {
                self.literal = Some(n);
                None
            }
            None => Some(Done {
                lines: std::mem::take(&mut self.lines),
            }),
        }
    }
}

impl Done {
    pub fn first_line(&self) -> String {
        self.lines
            .first()
            .map(|(_, l)| l.clone())
            .unwrap_or_default()
    }

    /// The tag, when the first line has one and a command word after it.
    pub fn tag(&self) -> Option<String> {
        let first = self.first_line();
        let mut words = first.split(' ');
        let tag = words.next().filter(|t| !t.is_empty())?;
        words.next().filter(|w| !w.is_empty())?;
        Some(tag.to_string())
    }
}

/// `{n}` or `{n+}` at the end of a line: its size and the byte offset of `{`.
fn literal_at_end(line: &[u8]) -> Option<(u64, usize)> {
    let body = line.strip_suffix(b"}")?;
    let body = body.strip_suffix(b"+").unwrap_or(body);
    let open = body.iter().rposition(|&b| b == b'{')?;
    let digits = &body[open + 1..];
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = std::str::from_utf8(digits).ok()?.parse().ok()?;
    Some((n, open))
}

/// AUTHENTICATE in progress: its client lines are SASL data until the tagged response.
pub struct Sasl {
    pub tag: String,
    mechanism: String,
}

impl Sasl {
    /// A SASL response line as recorded, and the user it names (PLAIN).
    pub fn response(&self, line: &str) -> (String, Option<String>) {
        if line == "*" || line.is_empty() {
            return (line.to_string(), None);
        }
        if self.mechanism == "PLAIN" {
            return ("${plain}".to_string(), plain_user(line));
        }
        ("${redacted}".to_string(), None)
    }
}

/// The authentication identity in base64 PLAIN data (`authzid NUL authcid NUL passwd`).
fn plain_user(b64: &str) -> Option<String> {
    let raw = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .ok()?;
    let user = raw.split(|&b| b == 0).nth(1)?;
    Some(String::from_utf8_lossy(user).into_owned())
}

/// What redaction changes: rewritten lines, the user named, and a SASL exchange started.
#[derive(Default)]
pub struct Redaction {
    pub lines: Vec<(usize, String)>,
    pub user: Option<String>,
    pub sasl: Option<Sasl>,
}

pub fn redact(done: &Done) -> Redaction {
    let first = done.first_line();
    let mut words = first.splitn(3, ' ');
    let tag = words.next().unwrap_or_default().to_string();
    let command = words.next().unwrap_or_default().to_ascii_uppercase();
    match command.as_str() {
        "LOGIN" => login(done).unwrap_or_else(|| redact_all(done, &tag)),
        "AUTHENTICATE" => authenticate(done, tag, words.next().unwrap_or_default()),
        _ => Redaction::default(),
    }
}

/// LOGIN arguments that cannot be read: everything after the command word goes.
fn redact_all(done: &Done, tag: &str) -> Redaction {
    let mut lines = Vec::new();
    for (i, (index, _)) in done.lines.iter().enumerate() {
        let text = if i == 0 {
            format!("{tag} LOGIN ${{redacted}}")
        } else {
            "${redacted}".to_string()
        };
        lines.push((*index, text));
    }
    Redaction {
        lines,
        ..Redaction::default()
    }
}

fn authenticate(done: &Done, tag: String, args: &str) -> Redaction {
    let (mechanism, initial) = match args.split_once(' ') {
        Some((m, ir)) => (m.to_ascii_uppercase(), Some(ir)),
        None => (args.to_ascii_uppercase(), None),
    };
    let sasl = Sasl {
        tag: tag.clone(),
        mechanism: mechanism.clone(),
    };
    let mut r = Redaction::default();
    if let (Some(ir), Some((index, _))) = (initial, done.lines.first()) {
        let (text, user) = sasl.response(ir);
        r.lines
            .push((*index, format!("{tag} AUTHENTICATE {mechanism} {text}")));
        r.user = user;
    }
    r.sasl = Some(sasl);
    r
}

/// Where an astring sits in the command's lines.
enum Arg {
    /// Atom or quoted string: line number (in `done.lines`), byte range, value.
    Inline(usize, std::ops::Range<usize>, String),
    /// Literal: the `{n}` line and offset of `{`, whether `+`, the content's line and size.
    Literal(usize, usize, bool, usize, usize, String),
}

fn login(done: &Done) -> Option<Redaction> {
    let lines: Vec<&str> = done.lines.iter().map(|(_, l)| l.as_str()).collect();
    let mut pos = (0, lines[0].find(' ')? + 1);
    pos.1 += lines[0][pos.1..].find(' ')? + 1;
    let (user, next) = astring(&lines, pos)?;
    let next = (next.0, next.1 + 1);
    let (password, _) = astring(&lines, next)?;
    let mut edits: Vec<(usize, String)> = Vec::new();
    match password {
        Arg::Inline(li, range, _) => {
            let l = lines[li];
            edits.push((
                li,
                format!("{}${{password}}{}", &l[..range.start], &l[range.end..]),
            ));
        }
        Arg::Literal(li, open, plus, ci, size, _) => {
            let plus = if plus { "+" } else { "" };
            edits.push((
                li,
                format!("{}{{${{password_size}}{plus}}}", &lines[li][..open]),
            ));
            let content = lines[ci];
            edits.push((ci, format!("${{password_raw}}{}", content.get(size..)?)));
        }
    }
    let user = match user {
        Arg::Inline(_, _, v) | Arg::Literal(_, _, _, _, _, v) => v,
    };
    Some(Redaction {
        lines: edits
            .into_iter()
            .map(|(li, text)| (done.lines[li].0, text))
            .collect(),
        user: Some(user),
        sasl: None,
    })
}

/// Reads an astring at `(line, offset)`; the argument and the position just after it.
fn astring(lines: &[&str], (li, off): (usize, usize)) -> Option<(Arg, (usize, usize))> {
    let line = lines.get(li)?;
    let rest = line.get(off..)?;
    if let Some(quoted) = rest.strip_prefix('"') {
        let mut value = String::new();
        let mut chars = quoted.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => value.push(chars.next()?.1),
                '"' => return Some((Arg::Inline(li, off..off + i + 2, value), (li, off + i + 2))),
                c => value.push(c),
            }
        }
        return None;
    }
    if let Some((size, open)) = literal_at_end(rest.as_bytes()).filter(|_| rest.starts_with('{')) {
        let size = usize::try_from(size).ok()?;
        let content = lines.get(li + 1)?;
        let value = content.get(..size)?.to_string();
        let plus = rest.ends_with("+}");
        let arg = Arg::Literal(li, off + open, plus, li + 1, size, value);
        return Some((arg, (li + 1, size)));
    }
    let end = rest.find(' ').unwrap_or(rest.len());
    let value = rest[..end].to_string();
    Some((Arg::Inline(li, off..off + end, value), (li, off + end)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(lines: &[&str]) -> (Vec<String>, Option<String>) {
        let mut c = Command::default();
        let mut body: Vec<String> = Vec::new();
        let mut user = None;
        for l in lines {
            body.push(l.to_string());
            if let Some(done) = c.push(body.len() - 1, l.to_string()) {
                let r = redact(&done);
                for (i, t) in r.lines {
                    body[i] = t;
                }
                user = user.or(r.user);
            }
        }
        (body, user)
    }

    #[test]
    fn login_passwords_in_every_form() {
        let (b, _) = run(&["a LOGIN alice {6}", "secret"]);
        assert_eq!(
            b,
            vec!["a LOGIN alice {${password_size}}", "${password_raw}"]
        );
        let (b, u) = run(&["a LOGIN alice secret"]);
        assert_eq!(
            (b, u.as_deref()),
            (vec!["a LOGIN alice ${password}".to_string()], Some("alice"))
        );
        let (b, u) = run(&["a LOGIN \"al ice\" \"se \\\"cret\""]);
        assert_eq!(b, vec!["a LOGIN \"al ice\" ${password}"]);
        assert_eq!(u.as_deref(), Some("al ice"));
        let (b, _) = run(&["a LOGIN \"alice\" {6}", "secret"]);
        assert_eq!(
            b,
            vec!["a LOGIN \"alice\" {${password_size}}", "${password_raw}"]
        );
        let (b, u) = run(&["a LOGIN {5+}", "alice {6+}", "secret"]);
        assert_eq!(
            b,
            vec![
                "a LOGIN {5+}",
                "alice {${password_size}+}",
                "${password_raw}"
            ]
        );
        assert_eq!(u.as_deref(), Some("alice"));
    }

    #[test]
    fn authenticate_data_and_literals_spanning_lines() {
        let (b, u) = run(&["a AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldA=="]);
        assert_eq!(b, vec!["a AUTHENTICATE PLAIN ${plain}"]);
        assert_eq!(u.as_deref(), Some("alice"));
        // An APPEND literal of two lines (12 bytes with CRLFs) ends the command after it.
        let mut c = Command::default();
        assert!(c.push(0, "a APPEND INBOX {12}".into()).is_none());
        assert!(c.push(1, "Hi: x".into()).is_none());
        assert!(c.push(2, "".into()).is_none());
        assert!(c.push(3, "abc".into()).is_some());
    }
}
