//! Content-Type and Content-Disposition values as BODYSTRUCTURE shows them.
//!
//! Used by `tree` (which part is a multipart or a message) and `structure` (the
//! `body-fld-param` and `body-fld-dsp` lists). mail-parser also parses these fields, but it
//! lower-cases names and decodes RFC 2231 values into UTF-8; IMAP servers report the
//! parameters as written (Dovecot; RFC 3501 §7.4.2 leaves decoding to the client), so this
//! small tokenizer reads the raw value of the RFC 2045 §5.1 grammar:
//! `type "/" subtype *(";" attribute "=" value)`, with RFC 822 comments and folding.

/// A parsed `Content-Type` (or, with an empty subtype, `Content-Disposition`) value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct MediaValue {
    pub kind: String,
    pub subtype: String,
    /// Attribute names and values as written; quoted strings unquoted.
    pub params: Vec<(String, Vec<u8>)>,
}

impl MediaValue {
    /// Case-insensitive lookup of a parameter.
    pub fn param(&self, name: &str) -> Option<&[u8]> {
        self.params
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_slice())
    }
}

/// Parses `type/subtype; a=b; ...`. With `with_subtype` false (Content-Disposition) there
/// is no `/subtype` part. Never fails: a malformed parameter is skipped up to the next `;`,
/// which is what Dovecot's rfc822 parser recovers to as well.
pub(crate) fn parse(value: &[u8], with_subtype: bool) -> MediaValue {
    let mut c = Cursor { s: value, i: 0 };
    let mut out = MediaValue {
        kind: c.token_string(),
        ..MediaValue::default()
    };
    if with_subtype && c.eat(b'/') {
        out.subtype = c.token_string();
    }
    while c.skip_to(b';') {
        let name = c.token_string();
        if name.is_empty() || !c.eat(b'=') {
            continue;
        }
        let value = c.value();
        out.params.push((name, value));
    }
    out
}

/// The first token of a field such as Content-Transfer-Encoding (`mechanism`, RFC 2045 §6.1).
pub(crate) fn first_token(value: &[u8]) -> String {
    Cursor { s: value, i: 0 }.token_string()
}

/// Content-Language (RFC 3282): a comma-separated list of language tags.
pub(crate) fn language_list(value: &[u8]) -> Vec<Vec<u8>> {
    let mut c = Cursor { s: value, i: 0 };
    let mut out = Vec::new();
    loop {
        let tag = c.token();
        if !tag.is_empty() {
            out.push(tag.to_vec());
        }
        if !c.skip_to(b',') {
            return out;
        }
    }
}

/// RFC 2045 §5.1 `tspecials`, plus the whitespace and controls that end a token.
fn is_token_byte(b: u8) -> bool {
    b > b' ' && b != 0x7f && !b"()<>@,;:\\\"/[]?=".contains(&b)
}

struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    /// Skips whitespace, line breaks and (nested) RFC 822 comments.
    fn skip_cfws(&mut self) {
        let mut depth = 0usize;
        while let Some(b) = self.peek() {
            match b {
                b'(' => depth += 1,
                b')' if depth > 0 => depth -= 1,
                b'\\' if depth > 0 => self.i += 1,
                b' ' | b'\t' | b'\r' | b'\n' => {}
                _ if depth > 0 => {}
                _ => return,
            }
            self.i += 1;
        }
    }

    fn eat(&mut self, b: u8) -> bool {
        self.skip_cfws();
        if self.peek() == Some(b) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn token(&mut self) -> &'a [u8] {
        self.skip_cfws();
        let start = self.i;
        while self.peek().is_some_and(is_token_byte) {
            self.i += 1;
        }
        &self.s[start..self.i]
    }

    fn token_string(&mut self) -> String {
        String::from_utf8_lossy(self.token()).into_owned()
    }

    /// Moves past the next `sep` outside quoted strings and comments; false at the end.
    fn skip_to(&mut self, sep: u8) -> bool {
        loop {
            self.skip_cfws();
            match self.peek() {
                None => return false,
                Some(b) if b == sep => {
                    self.i += 1;
                    return true;
                }
                Some(b'"') => {
                    self.quoted();
                }
                Some(_) => self.i += 1,
            }
        }
    }

    /// A parameter value: a quoted-string (unquoted, quoted-pairs unescaped) or a token.
    /// An unquoted value with spaces (`name=My File.pdf`, common from broken mailers) is
    /// taken up to the next `;`, trimmed, rather than cut at the first space.
    fn value(&mut self) -> Vec<u8> {
        self.skip_cfws();
        if self.peek() == Some(b'"') {
            return self.quoted();
        }
        let start = self.i;
        let token = self.token();
        let after = self.i;
        self.skip_cfws();
        if matches!(self.peek(), None | Some(b';')) {
            // A token, perhaps followed by a comment: the common, valid case.
            self.i = after;
            return token.to_vec();
        }
        self.i = start;
        while self.peek().is_some_and(|b| b != b';' && b != b'"') {
            self.i += 1;
        }
        super::headers::unfold(&self.s[start..self.i])
    }

    /// Reads a quoted-string starting at `"`; an unterminated one runs to the end.
    fn quoted(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        self.i += 1;
        while let Some(b) = self.peek() {
            self.i += 1;
            match b {
                b'"' => break,
                b'\\' => {
                    if let Some(next) = self.peek() {
                        out.push(next);
                        self.i += 1;
                    }
                }
                // Folding inside a quoted string is removed (RFC 2822 §3.2.5).
                b'\r' | b'\n' => {}
                _ => out.push(b),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(name: &str, value: &str) -> (String, Vec<u8>) {
        (name.to_string(), value.as_bytes().to_vec())
    }

    #[test]
    fn content_type_as_written() {
        let v = parse(
            b" Text/Plain; CharSet=\"UTF-8\" (comment);\r\n\tformat=flowed",
            true,
        );
        assert_eq!((v.kind.as_str(), v.subtype.as_str()), ("Text", "Plain"));
        assert_eq!(v.params, vec![p("CharSet", "UTF-8"), p("format", "flowed")]);
        assert_eq!(v.param("charset"), Some(&b"UTF-8"[..]));
    }

    #[test]
    fn quoted_pairs_rfc2231_and_broken_values() {
        let v = parse(
            br#"attachment; filename="a \"b\".txt"; filename*=utf-8''%E2%82%AC; name=My File.pdf; junk; =x; size=3 (c)"#,
            false,
        );
        assert_eq!(v.kind, "attachment");
        assert_eq!(
            v.params,
            vec![
                p("filename", "a \"b\".txt"),
                p("filename*", "utf-8''%E2%82%AC"),
                p("name", "My File.pdf"),
                p("size", "3"),
            ]
        );
    }

    #[test]
    fn degenerate_values() {
        assert_eq!(parse(b"", true), MediaValue::default());
        assert_eq!(parse(b"text", true).subtype, "");
        assert_eq!(
            parse(b"a/b; x=\"unterminated", true).params,
            vec![p("x", "unterminated")]
        );
        assert_eq!(first_token(b" Base64 (x)\r\n"), "Base64");
        assert_eq!(
            language_list(b" en-US, (c) fr ,,"),
            vec![b"en-US".to_vec(), b"fr".to_vec()]
        );
    }
}
