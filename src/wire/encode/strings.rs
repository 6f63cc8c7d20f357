//! The encoder's primitives (RFC 3501 §9): strings (quoted when every byte is a 7-bit
//! TEXT-CHAR, else a literal), astrings, mailbox names under the profile's quoting rule
//! (MS-STANXIMAP V0009 / V0030 / V0033), numbers, flags, sequence sets and dates. Both the
//! response and the command encoder write through these.

use super::MailboxQuoting;
use crate::wire::chars;
use crate::wire::types::{Flag, ImapDate, ImapDateTime, SeqNum, SequenceSet};

/// `quoted`: the caller has checked `chars::is_quotable`.
pub(super) fn quoted(bytes: &[u8], out: &mut Vec<u8>) {
    out.push(b'"');
    for &b in bytes {
        if b == b'"' || b == b'\\' {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b'"');
}

/// A synchronizing `literal`: `{n}` CRLF and the bytes.
pub(super) fn literal(bytes: &[u8], out: &mut Vec<u8>) {
    out.extend_from_slice(format!("{{{}}}\r\n", bytes.len()).as_bytes());
    out.extend_from_slice(bytes);
}

/// `string`: quoted when it can be, else a literal.
pub(super) fn string(bytes: &[u8], out: &mut Vec<u8>) {
    if chars::is_quotable(bytes) {
        quoted(bytes, out);
    } else {
        literal(bytes, out);
    }
}

/// `nstring`: NIL for None.
pub(super) fn nstring(bytes: Option<&[u8]>, out: &mut Vec<u8>) {
    match bytes {
        None => out.extend_from_slice(b"NIL"),
        Some(bytes) => string(bytes, out),
    }
}

/// `astring`: an atom (`1*ASTRING-CHAR`) when it can be, else a string.
pub(super) fn astring(bytes: &[u8], out: &mut Vec<u8>) {
    if chars::is_astring_atom(bytes) {
        out.extend_from_slice(bytes);
    } else {
        string(bytes, out);
    }
}

/// A mailbox name in LIST / LSUB / STATUS under the profile's rule.
pub(super) fn mailbox(name: &[u8], quoting: &MailboxQuoting, out: &mut Vec<u8>) {
    match quoting {
        MailboxQuoting::LiteralWhenContains(set) if name.iter().any(|b| set.contains(b)) => {
            literal(name, out)
        }
        _ => astring(name, out),
    }
}

pub(super) fn number(n: u32, out: &mut Vec<u8>) {
    out.extend_from_slice(n.to_string().as_bytes());
}

/// Writes `items` separated by single spaces.
pub(super) fn join<T>(items: &[T], out: &mut Vec<u8>, mut each: impl FnMut(&T, &mut Vec<u8>)) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        each(item, out);
    }
}

/// `flag`: system flags with their backslash, keywords as atoms.
pub(super) fn flag(flag: &Flag, out: &mut Vec<u8>) {
    let text: &str = match flag {
        Flag::Seen => "\\Seen",
        Flag::Answered => "\\Answered",
        Flag::Flagged => "\\Flagged",
        Flag::Deleted => "\\Deleted",
        Flag::Draft => "\\Draft",
        Flag::Recent => "\\Recent",
        Flag::Keyword(k) => k,
        Flag::Extension(e) => {
            out.push(b'\\');
            e
        }
    };
    out.extend_from_slice(text.as_bytes());
}

/// `flag-list = "(" [flag *(SP flag)] ")"`.
pub(super) fn flag_list(flags: &[Flag], out: &mut Vec<u8>) {
    out.push(b'(');
    join(flags, out, flag);
    out.push(b')');
}

/// `sequence-set`, e.g. `1:3,5,7:*`.
pub(super) fn sequence_set(set: &SequenceSet, out: &mut Vec<u8>) {
    let num = |n: SeqNum, out: &mut Vec<u8>| match n {
        SeqNum::Value(v) => number(v, out),
        SeqNum::Star => out.push(b'*'),
    };
    for (i, range) in set.0.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        num(range.start, out);
        if range.start != range.end {
            out.push(b':');
            num(range.end, out);
        }
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `date-text` (SEARCH): `1-Feb-1994`.
pub(super) fn date(d: &ImapDate, out: &mut Vec<u8>) {
    let month = MONTHS
        .get(d.month.wrapping_sub(1) as usize)
        .unwrap_or(&"Jan");
    out.extend_from_slice(format!("{}-{month}-{:04}", d.day, d.year).as_bytes());
}

/// `date-time` with `date-day-fixed` (space-padded day), in the zone it was stored with:
/// `"17-Jul-1996 02:44:25 -0700"`. An instant chrono cannot represent is written as the
/// epoch rather than garbage.
pub(super) fn date_time(dt: &ImapDateTime, out: &mut Vec<u8>) {
    use chrono::{Datelike, Timelike};
    let local = dt
        .timestamp
        .checked_add(i64::from(dt.offset_minutes) * 60)
        .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
        .filter(|t| (0..=9999).contains(&t.year()) && dt.offset_minutes.abs() < 24 * 60);
    let (local, offset) = match local {
        Some(t) => (t.naive_utc(), dt.offset_minutes),
        None => (chrono::NaiveDateTime::default(), 0),
    };
    let month = MONTHS[local.month0() as usize];
    let sign = if offset < 0 { '-' } else { '+' };
    let (oh, om) = (offset.abs() / 60, offset.abs() % 60);
    let text = format!(
        "\"{:2}-{month}-{:04} {:02}:{:02}:{:02} {sign}{oh:02}{om:02}\"",
        local.day(),
        local.year(),
        local.hour(),
        local.minute(),
        local.second()
    );
    out.extend_from_slice(text.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(f: impl FnOnce(&mut Vec<u8>)) -> String {
        let mut out = Vec::new();
        f(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    #[test]
    fn strings() {
        assert_eq!(w(|o| string(b"a \"b\" \\c", o)), r#""a \"b\" \\c""#);
        assert_eq!(w(|o| string(b"", o)), r#""""#);
        assert_eq!(w(|o| string(b"a\r\nb", o)), "{4}\r\na\r\nb");
        assert_eq!(w(|o| string("\u{e9}".as_bytes(), o)), "{2}\r\n\u{e9}");
        assert_eq!(w(|o| nstring(None, o)), "NIL");
        assert_eq!(w(|o| nstring(Some(b"NIL"), o)), "\"NIL\"");
        assert_eq!(w(|o| astring(b"a]b", o)), "a]b");
        assert_eq!(w(|o| astring(b"a%", o)), "\"a%\"");
    }

    #[test]
    fn dates() {
        let dt = ImapDateTime {
            timestamp: 837_596_665,
            offset_minutes: -420,
        };
        assert_eq!(w(|o| date_time(&dt, o)), "\"17-Jul-1996 02:44:25 -0700\"");
        let dt = ImapDateTime {
            timestamp: 836_707_465,
            offset_minutes: 0,
        };
        assert_eq!(w(|o| date_time(&dt, o)), "\" 7-Jul-1996 02:44:25 +0000\"");
        let dt = ImapDateTime {
            timestamp: 0,
            offset_minutes: 330,
        };
        assert_eq!(w(|o| date_time(&dt, o)), "\" 1-Jan-1970 05:30:00 +0530\"");
        let dt = ImapDateTime {
            timestamp: i64::MAX,
            offset_minutes: 60,
        };
        assert_eq!(w(|o| date_time(&dt, o)), "\" 1-Jan-1970 00:00:00 +0000\"");
        let d = ImapDate {
            year: 1994,
            month: 2,
            day: 1,
        };
        assert_eq!(w(|o| date(&d, o)), "1-Feb-1994");
    }
}
