//! SEARCH arguments (RFC 3501 §6.4.4, §9 `search` and `search-key`).
//!
//! Keys nest through parentheses, NOT and OR, so this is the one recursive parser of the
//! decoder. Two caps keep it safe on hostile input: parenthesis nesting deeper than
//! `MAX_SEARCH_NESTING` and any recursion deeper than `MAX_SEARCH_RECURSION` are syntax
//! errors, never a stack overflow. (The profile's own, lower limit, MS-STANXIMAP V0043, is
//! applied by the handler with `SearchKey::depth`.)

use super::lexer::{fail, Cursor, Fail, PResult};
use super::values::{date, sequence_set};
use crate::wire::command::CommandBody;
use crate::wire::types::SearchKey;

/// Deepest parenthesis nesting the decoder accepts.
pub const MAX_SEARCH_NESTING: usize = 100;
/// Deepest nesting of keys of any kind (parentheses, NOT, OR) the decoder accepts.
pub const MAX_SEARCH_RECURSION: usize = 200;

#[derive(Clone, Copy)]
struct Depth {
    parens: usize,
    total: usize,
}

impl Depth {
    fn deeper(self, paren: bool) -> PResult<Depth> {
        let next = Depth {
            parens: self.parens + usize::from(paren),
            total: self.total + 1,
        };
        if next.parens > MAX_SEARCH_NESTING {
            return fail(format!(
                "search keys nested deeper than {MAX_SEARCH_NESTING} parentheses"
            ));
        }
        if next.total > MAX_SEARCH_RECURSION {
            return fail(format!(
                "search keys nested deeper than {MAX_SEARCH_RECURSION} levels"
            ));
        }
        Ok(next)
    }
}

/// `search = "SEARCH" [SP "CHARSET" SP astring] 1*(SP search-key)`, after `SEARCH SP`.
pub(super) fn search(c: &mut Cursor<'_>, uid: bool) -> PResult<CommandBody> {
    let charset = if c.eat_word("CHARSET") {
        c.sp()?;
        let name = c.astring("a charset name")?;
        c.sp()?;
        let name =
            String::from_utf8(name).map_err(|_| Fail("the charset name is not UTF-8".into()))?;
        Some(name)
    } else {
        None
    };
    let top = Depth {
        parens: 0,
        total: 0,
    };
    let mut keys = vec![key(c, top)?];
    while c.eat(b' ') {
        keys.push(key(c, top)?);
    }
    Ok(CommandBody::Search {
        charset,
        criteria: SearchKey::And(keys),
        uid,
    })
}

/// One `search-key`. Only the nesting forms recurse, and they do it from this small
/// function: the argument parsing of the other keys lives in `leaf`, whose large frame is
/// never on the recursion path, so each level costs little stack.
fn key(c: &mut Cursor<'_>, depth: Depth) -> PResult<SearchKey> {
    match c.peek() {
        Some(b'(') => {
            let inner = depth.deeper(true)?;
            c.take(1);
            let mut keys = vec![key(c, inner)?];
            while c.eat(b' ') {
                keys.push(key(c, inner)?);
            }
            c.expect(b')', "')' to close the search key list")?;
            Ok(SearchKey::And(keys))
        }
        Some(b'0'..=b'9' | b'*') => sequence_set(c).map(SearchKey::SequenceSet),
        _ => {
            let word = c.atom("a search key")?;
            if word.eq_ignore_ascii_case(b"NOT") {
                c.sp()?;
                let inner = key(c, depth.deeper(false)?)?;
                return Ok(SearchKey::Not(Box::new(inner)));
            }
            if word.eq_ignore_ascii_case(b"OR") {
                c.sp()?;
                return or(c, depth.deeper(false)?);
            }
            leaf(c, word)
        }
    }
}

/// `"OR" SP search-key SP search-key`, after `OR SP`.
fn or(c: &mut Cursor<'_>, inner: Depth) -> PResult<SearchKey> {
    let a = key(c, inner)?;
    c.sp()?;
    let b = key(c, inner)?;
    Ok(SearchKey::Or(Box::new(a), Box::new(b)))
}

/// Every key that does not nest.
#[inline(never)]
fn leaf(c: &mut Cursor<'_>, word: &[u8]) -> PResult<SearchKey> {
    let word = word.to_ascii_uppercase();
    match flag_key(&word) {
        Some(k) => Ok(k),
        None => keyed(c, &word),
    }
}

/// The keys without arguments.
fn flag_key(word: &[u8]) -> Option<SearchKey> {
    use SearchKey::*;
    Some(match word {
        b"ALL" => All,
        b"ANSWERED" => Answered,
        b"DELETED" => Deleted,
        b"DRAFT" => Draft,
        b"FLAGGED" => Flagged,
        b"NEW" => New,
        b"OLD" => Old,
        b"RECENT" => Recent,
        b"SEEN" => Seen,
        b"UNANSWERED" => Unanswered,
        b"UNDELETED" => Undeleted,
        b"UNDRAFT" => Undraft,
        b"UNFLAGGED" => Unflagged,
        b"UNSEEN" => Unseen,
        _ => return None,
    })
}

/// The keys followed by `SP` and arguments.
fn keyed(c: &mut Cursor<'_>, word: &[u8]) -> PResult<SearchKey> {
    use SearchKey::*;
    let string = |c: &mut Cursor<'_>| c.astring("a search string");
    let unknown = || {
        Fail(format!(
            "unknown search key {}",
            String::from_utf8_lossy(word)
        ))
    };
    if !KEYED.contains(&word) {
        return Err(unknown());
    }
    c.sp()?;
    Ok(match word {
        b"BCC" => Bcc(string(c)?),
        b"BODY" => Body(string(c)?),
        b"CC" => Cc(string(c)?),
        b"FROM" => From(string(c)?),
        b"SUBJECT" => Subject(string(c)?),
        b"TEXT" => Text(string(c)?),
        b"TO" => To(string(c)?),
        b"BEFORE" => Before(date(c)?),
        b"ON" => On(date(c)?),
        b"SINCE" => Since(date(c)?),
        b"SENTBEFORE" => SentBefore(date(c)?),
        b"SENTON" => SentOn(date(c)?),
        b"SENTSINCE" => SentSince(date(c)?),
        b"KEYWORD" => Keyword(c.atom_string("a keyword")?),
        b"UNKEYWORD" => Unkeyword(c.atom_string("a keyword")?),
        b"LARGER" => Larger(c.number("a size")?),
        b"SMALLER" => Smaller(c.number("a size")?),
        b"UID" => Uid(sequence_set(c)?),
        b"HEADER" => header(c)?,
        _ => return Err(unknown()),
    })
}

/// The keys `keyed` knows, checked before the SP so an unknown word is reported as such.
const KEYED: [&[u8]; 21] = [
    b"BCC",
    b"BODY",
    b"CC",
    b"FROM",
    b"SUBJECT",
    b"TEXT",
    b"TO",
    b"BEFORE",
    b"ON",
    b"SINCE",
    b"SENTBEFORE",
    b"SENTON",
    b"SENTSINCE",
    b"KEYWORD",
    b"UNKEYWORD",
    b"LARGER",
    b"SMALLER",
    b"UID",
    b"HEADER",
    b"NOT",
    b"OR",
];

/// `"HEADER" SP header-fld-name SP astring`.
fn header(c: &mut Cursor<'_>) -> PResult<SearchKey> {
    let name = c.astring("a header field name")?;
    let name =
        String::from_utf8(name).map_err(|_| Fail("the header field name is not UTF-8".into()))?;
    c.sp()?;
    Ok(SearchKey::Header(name, c.astring("a search string")?))
}
