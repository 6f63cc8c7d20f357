//! Checking what the outside hands in, shared by the admin API and the importer: a
//! message must look like RFC 5322 (a header block of fields), lines end in CRLF as IMAP
//! requires (RFC 3501 §2.2), and flags are RFC 3501 flags.

use crate::storage::FlagSet;

/// Rewrites bare LF (and bare CR) line ends as CRLF.
pub fn crlf(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len() + raw.len() / 32);
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'\r' if raw.get(i + 1) == Some(&b'\n') => {
                out.extend_from_slice(b"\r\n");
                i += 1;
            }
            b'\r' | b'\n' => out.extend_from_slice(b"\r\n"),
            b => out.push(b),
        }
        i += 1;
    }
    out
}

/// Why `raw` (CRLF line ends) is not an RFC 5322 message: it must start with a header
/// field (`name: value`, §2.2), and every line of the header block must be a field or a
/// folded continuation. Returns the 1-based line of the problem with the reason.
pub fn check_rfc5322(raw: &[u8]) -> Result<(), (usize, String)> {
    if raw.is_empty() {
        return Err((1, "the message is empty".into()));
    }
    for (i, line) in raw.split(|&b| b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            return if i == 0 {
                Err((1, "the message has no header fields".into()))
            } else {
                Ok(())
            };
        }
        let folded = line[0] == b' ' || line[0] == b'\t';
        if folded && i == 0 {
            return Err((1, "the message starts with a folded line".into()));
        }
        if !folded && !is_field(line) {
            let shown = String::from_utf8_lossy(&line[..line.len().min(40)]).into_owned();
            return Err((i + 1, format!("not a header field: {shown:?}")));
        }
    }
    Ok(())
}

/// `field-name ":"` with field-name printable US-ASCII except ":" (RFC 5322 §3.6.8).
fn is_field(line: &[u8]) -> bool {
    match line.iter().position(|&b| b == b':') {
        Some(0) | None => false,
        Some(n) => line[..n].iter().all(|&b| (33..=126).contains(&b)),
    }
}

/// Parses RFC 3501 flags (`\Seen`, a keyword atom); `\Recent` cannot be set (§2.3.2).
pub fn flags(names: &[String]) -> Result<FlagSet, String> {
    let mut set = FlagSet::default();
    for name in names {
        let bit = match name.to_ascii_lowercase().as_str() {
            "\\seen" => FlagSet::SEEN,
            "\\answered" => FlagSet::ANSWERED,
            "\\flagged" => FlagSet::FLAGGED,
            "\\deleted" => FlagSet::DELETED,
            "\\draft" => FlagSet::DRAFT,
            _ if name.starts_with('\\') => return Err(format!("unknown system flag {name:?}")),
            _ if is_atom(name) => {
                set.keywords.push(name.clone());
                continue;
            }
            _ => return Err(format!("{name:?} is not a flag keyword (an IMAP atom)")),
        };
        set.system |= bit;
    }
    Ok(set)
}

/// `atom` of RFC 3501 §9: printable ASCII except atom-specials.
fn is_atom(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| (33..=126).contains(&b) && !b"(){%*\"\\]".contains(&b))
}

/// The flag names of a set, system flags first.
pub fn names(set: &FlagSet) -> Vec<String> {
    let system = [
        (FlagSet::ANSWERED, "\\Answered"),
        (FlagSet::FLAGGED, "\\Flagged"),
        (FlagSet::DELETED, "\\Deleted"),
        (FlagSet::SEEN, "\\Seen"),
        (FlagSet::DRAFT, "\\Draft"),
    ];
    let mut out: Vec<String> = system
        .iter()
        .filter(|(bit, _)| set.has(*bit))
        .map(|(_, n)| n.to_string())
        .collect();
    out.extend(set.keywords.iter().cloned());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_ends_become_crlf() {
        assert_eq!(crlf(b"a\nb\r\nc\r"), b"a\r\nb\r\nc\r\n");
    }

    #[test]
    fn rfc5322_checks_the_header_block() {
        assert!(check_rfc5322(b"Subject: x\r\n folded\r\n\r\nbody: not a header").is_ok());
        assert_eq!(check_rfc5322(b"hello\r\n").unwrap_err().0, 1);
        assert_eq!(check_rfc5322(b"A: b\r\nno colon\r\n\r\n").unwrap_err().0, 2);
        assert!(check_rfc5322(b"\r\nbody").is_err());
    }

    #[test]
    fn flags_parse() {
        let f = flags(&["\\SEEN".into(), "$Label1".into()]).unwrap();
        assert_eq!(f.system, FlagSet::SEEN);
        assert_eq!(names(&f), vec!["\\Seen", "$Label1"]);
        assert!(flags(&["\\Recent".into()]).is_err());
        assert!(flags(&["a b".into()]).is_err());
    }
}
