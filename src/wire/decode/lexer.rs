//! The decoder's cursor and the primitive rules of RFC 3501 §9 (SP, CRLF, number, atom,
//! quoted, literal, string, astring, nstring). Every command parser in `decode/` is built
//! from these; none of them panics or indexes past the end of the framed command.

use crate::wire::chars;

/// Why the arguments did not parse, in plain words (becomes `DecodeError::detail`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Fail(pub(super) String);

pub(super) type PResult<T> = Result<T, Fail>;

pub(super) fn fail<T>(detail: impl Into<String>) -> PResult<T> {
    Err(Fail(detail.into()))
}

/// A position in one framed command.
pub(super) struct Cursor<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    pub(super) fn new(buf: &'a [u8]) -> Cursor<'a> {
        Cursor { buf, pos: 0 }
    }

    pub(super) fn peek(&self) -> Option<u8> {
        self.buf.get(self.pos).copied()
    }

    pub(super) fn peek_at(&self, ahead: usize) -> Option<u8> {
        self.buf.get(self.pos + ahead).copied()
    }

    pub(super) fn rest(&self) -> &'a [u8] {
        self.buf.get(self.pos..).unwrap_or_default()
    }

    pub(super) fn at_end(&self) -> bool {
        self.pos >= self.buf.len()
    }

    /// Consumes `b` when it is next.
    pub(super) fn eat(&mut self, b: u8) -> bool {
        let hit = self.peek() == Some(b);
        if hit {
            self.pos += 1;
        }
        hit
    }

    pub(super) fn expect(&mut self, b: u8, what: &str) -> PResult<()> {
        if self.eat(b) {
            Ok(())
        } else {
            fail(format!("expected {what} {}", self.found()))
        }
    }

    /// Describes the next byte for error details.
    pub(super) fn found(&self) -> String {
        match self.peek() {
            None => "but the command ended".into(),
            Some(b'\r') => "but the line ended".into(),
            Some(b' ') => "but found an extra space".into(),
            Some(b'\t') => "but found a TAB".into(),
            Some(b) if b.is_ascii_graphic() => format!("but found '{}'", char::from(b)),
            Some(b) => format!("but found byte {b:#04x}"),
        }
    }

    /// Exactly one SP (RFC 3501 §9: arguments are separated by a single space).
    pub(super) fn sp(&mut self) -> PResult<()> {
        self.expect(b' ', "a space")
    }

    pub(super) fn crlf(&mut self) -> PResult<()> {
        if self.rest().starts_with(b"\r\n") {
            self.pos += 2;
            Ok(())
        } else {
            fail(format!("expected the end of the line {}", self.found()))
        }
    }

    pub(super) fn take_while(&mut self, pred: impl Fn(u8) -> bool) -> &'a [u8] {
        let start = self.pos.min(self.buf.len());
        let len = self.buf[start..].iter().take_while(|&&b| pred(b)).count();
        self.pos = start + len;
        &self.buf[start..start + len]
    }

    /// Consumes up to `n` bytes.
    pub(super) fn take(&mut self, n: usize) -> &'a [u8] {
        let start = self.pos.min(self.buf.len());
        let end = (start + n).min(self.buf.len());
        self.pos = end;
        &self.buf[start..end]
    }

    /// Consumes `word` (ASCII, compared case-insensitively, as ABNF strings are) when it is
    /// next and is not followed by another atom character.
    pub(super) fn eat_word(&mut self, word: &str) -> bool {
        let rest = self.rest();
        let hit = rest.len() >= word.len()
            && rest[..word.len()].eq_ignore_ascii_case(word.as_bytes())
            && !rest
                .get(word.len())
                .is_some_and(|&b| chars::is_atom_char(b));
        if hit {
            self.pos += word.len();
        }
        hit
    }

    /// `atom = 1*ATOM-CHAR`.
    pub(super) fn atom(&mut self, what: &str) -> PResult<&'a [u8]> {
        let atom = self.take_while(chars::is_atom_char);
        if atom.is_empty() {
            return fail(format!("expected {what} {}", self.found()));
        }
        Ok(atom)
    }

    /// An atom that must be UTF-8 (it always is: atoms are 7-bit).
    pub(super) fn atom_string(&mut self, what: &str) -> PResult<String> {
        let atom = self.atom(what)?;
        Ok(String::from_utf8_lossy(atom).into_owned())
    }

    /// `number = 1*DIGIT` as a u32.
    pub(super) fn number(&mut self, what: &str) -> PResult<u32> {
        let digits = self.take_while(|b| b.is_ascii_digit());
        if digits.is_empty() {
            return fail(format!("expected {what} {}", self.found()));
        }
        digits.iter().try_fold(0u32, |acc, &d| {
            acc.checked_mul(10)
                .and_then(|v| v.checked_add(u32::from(d - b'0')))
                .ok_or_else(|| Fail(format!("{what} does not fit in 32 bits")))
        })
    }

    /// `nz-number = digit-nz *DIGIT`.
    pub(super) fn nz_number(&mut self, what: &str) -> PResult<u32> {
        if self.peek() == Some(b'0') {
            return fail(format!("{what} must not be zero or start with 0"));
        }
        self.number(what)
    }

    /// `quoted = DQUOTE *QUOTED-CHAR DQUOTE`; 7-bit TEXT-CHARs, `\` escapes only `\` and `"`.
    pub(super) fn quoted(&mut self) -> PResult<Vec<u8>> {
        self.expect(b'"', "'\"'")?;
        let mut out = Vec::new();
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => match self.peek_at(1) {
                    Some(e @ (b'\\' | b'"')) => {
                        out.push(e);
                        self.pos += 2;
                    }
                    _ => return fail("a quoted string may only escape '\\' and '\"'"),
                },
                Some(b) if chars::is_text_char(b) => {
                    out.push(b);
                    self.pos += 1;
                }
                Some(b) if b >= 0x80 => {
                    return fail("8-bit byte in a quoted string (use a literal)");
                }
                Some(0) => return fail("NUL byte in a quoted string"),
                Some(b'\r' | b'\n') => return fail("the line ended inside a quoted string"),
                _ => return fail("unterminated quoted string"),
            }
        }
    }

    /// `literal = "{" number ["+"] "}" CRLF *CHAR8` (RFC 3501, RFC 7888 for `+`). The bytes
    /// follow inline because the framing layer already collected them.
    pub(super) fn literal(&mut self) -> PResult<&'a [u8]> {
        self.expect(b'{', "'{'")?;
        let len = self.number("a literal length")? as usize;
        self.eat(b'+');
        self.expect(b'}', "'}' after the literal length")?;
        self.crlf()?;
        let rest = self.rest();
        if rest.len() < len {
            return fail("the literal is shorter than its announced length");
        }
        let data = &rest[..len];
        if data.contains(&0) {
            return fail("NUL byte in a literal (CHAR8 excludes it)");
        }
        self.pos += len;
        Ok(data)
    }

    /// `string = quoted / literal`.
    pub(super) fn string(&mut self, what: &str) -> PResult<Vec<u8>> {
        match self.peek() {
            Some(b'"') => self.quoted(),
            Some(b'{') => Ok(self.literal()?.to_vec()),
            _ => fail(format!("expected {what} as a string {}", self.found())),
        }
    }

    /// `astring = 1*ASTRING-CHAR / string`.
    pub(super) fn astring(&mut self, what: &str) -> PResult<Vec<u8>> {
        match self.peek() {
            Some(b'"' | b'{') => self.string(what),
            _ => {
                let atom = self.take_while(chars::is_astring_char);
                if atom.is_empty() {
                    return fail(format!("expected {what} {}", self.found()));
                }
                Ok(atom.to_vec())
            }
        }
    }

    /// `nstring = string / nil`.
    pub(super) fn nstring(&mut self, what: &str) -> PResult<Option<Vec<u8>>> {
        if self.eat_word("NIL") {
            return Ok(None);
        }
        self.string(what).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cur(s: &[u8]) -> Cursor<'_> {
        Cursor::new(s)
    }

    #[test]
    fn numbers() {
        assert_eq!(cur(b"4294967295").number("n"), Ok(u32::MAX));
        assert!(cur(b"4294967296").number("n").is_err());
        assert!(cur(b"x").number("n").is_err());
        assert!(cur(b"0").nz_number("n").is_err());
        assert!(cur(b"01").nz_number("n").is_err());
        assert_eq!(cur(b"10").nz_number("n"), Ok(10));
    }

    #[test]
    fn strings() {
        assert_eq!(cur(br#""a\"b\\c""#).quoted(), Ok(br#"a"b\c"#.to_vec()));
        assert!(cur(br#""a\b""#).quoted().is_err());
        assert!(cur(b"\"a\r\n\"").quoted().is_err());
        assert!(cur(b"\"\xc3\xa9\"").quoted().is_err());
        assert_eq!(cur(b"\"abc").quoted(), fail("unterminated quoted string"));
        assert_eq!(
            cur(b"\"a\0\"").quoted(),
            fail("NUL byte in a quoted string")
        );
        assert_eq!(
            cur(b"\"a\r\n").quoted(),
            fail("the line ended inside a quoted string")
        );
        assert_eq!(cur(b"{3}\r\nabcX").literal(), Ok(&b"abc"[..]));
        assert_eq!(cur(b"{3+}\r\na\"\xffX").literal(), Ok(&b"a\"\xff"[..]));
        assert!(cur(b"{4}\r\nabc").literal().is_err());
        assert!(cur(b"{1}\r\n\0").literal().is_err());
        assert!(cur(b"{1}abc").literal().is_err());
        assert_eq!(cur(b"a]b c").astring("x"), Ok(b"a]b".to_vec()));
        assert!(cur(b"%").astring("x").is_err());
        assert_eq!(cur(b"NIL ").nstring("x"), Ok(None));
        assert_eq!(cur(b"\"NIL\"").nstring("x"), Ok(Some(b"NIL".to_vec())));
        assert!(cur(b"NILS").nstring("x").is_err());
    }

    #[test]
    fn words() {
        let mut c = cur(b"flags.silent x");
        assert!(!c.eat_word("FLAGS"));
        assert!(c.eat_word("FLAGS.SILENT"));
        assert!(c.sp().is_ok());
        assert!(c.sp().is_err());
    }
}
