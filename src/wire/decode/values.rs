//! Typed argument values shared by several commands: sequence sets, flags, mailbox names,
//! LIST patterns, SEARCH dates and APPEND date-times (RFC 3501 §9).

use super::lexer::{fail, Cursor, Fail, PResult};
use crate::wire::chars;
use crate::wire::types::{
    Flag, ImapDate, ImapDateTime, MailboxName, SeqNum, SeqRange, SequenceSet,
};

/// `sequence-set = (seq-number / seq-range) *("," ...)`. Linear in the input: a loop, not
/// recursion, so 100,000 ranges cost nothing special.
pub(super) fn sequence_set(c: &mut Cursor<'_>) -> PResult<SequenceSet> {
    let mut ranges = Vec::new();
    loop {
        let start = seq_number(c)?;
        let end = if c.eat(b':') { seq_number(c)? } else { start };
        ranges.push(SeqRange { start, end });
        if !c.eat(b',') {
            return Ok(SequenceSet(ranges));
        }
    }
}

/// `seq-number = nz-number / "*"`.
fn seq_number(c: &mut Cursor<'_>) -> PResult<SeqNum> {
    if c.eat(b'*') {
        return Ok(SeqNum::Star);
    }
    c.nz_number("a sequence number").map(SeqNum::Value)
}

/// `flag = "\Answered" / "\Flagged" / "\Deleted" / "\Seen" / "\Draft" / flag-keyword /
/// flag-extension`. System flag names are case-insensitive; `\Recent` is read as
/// `Flag::Recent` so the handler can refuse it.
pub(super) fn flag(c: &mut Cursor<'_>) -> PResult<Flag> {
    if !c.eat(b'\\') {
        return Ok(Flag::Keyword(c.atom_string("a flag")?));
    }
    let name = c.atom_string("a flag name after '\\'")?;
    Ok(match name.to_ascii_uppercase().as_str() {
        "SEEN" => Flag::Seen,
        "ANSWERED" => Flag::Answered,
        "FLAGGED" => Flag::Flagged,
        "DELETED" => Flag::Deleted,
        "DRAFT" => Flag::Draft,
        "RECENT" => Flag::Recent,
        _ => Flag::Extension(name),
    })
}

/// `flag-list = "(" [flag *(SP flag)] ")"`.
pub(super) fn flag_list(c: &mut Cursor<'_>) -> PResult<Vec<Flag>> {
    c.expect(b'(', "'(' to open the flag list")?;
    let mut flags = Vec::new();
    if c.eat(b')') {
        return Ok(flags);
    }
    loop {
        flags.push(flag(c)?);
        if c.eat(b')') {
            return Ok(flags);
        }
        c.sp()?;
    }
}

/// `mailbox = "INBOX" / astring`; the name is kept as sent (modified UTF-7, any case).
pub(super) fn mailbox(c: &mut Cursor<'_>) -> PResult<MailboxName> {
    c.astring("a mailbox name").map(MailboxName)
}

/// `list-mailbox = 1*list-char / string` (the LIST / LSUB pattern, wildcards allowed).
pub(super) fn list_mailbox(c: &mut Cursor<'_>) -> PResult<Vec<u8>> {
    if matches!(c.peek(), Some(b'"' | b'{')) {
        return c.string("a mailbox pattern");
    }
    let pattern = c.take_while(chars::is_list_char);
    if pattern.is_empty() {
        return fail(format!("expected a mailbox pattern {}", c.found()));
    }
    Ok(pattern.to_vec())
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `date = date-text / DQUOTE date-text DQUOTE`, `date-text = date-day "-" date-month "-"
/// date-year`, `date-day = 1*2DIGIT` (SEARCH BEFORE / ON / SINCE / SENT*).
pub(super) fn date(c: &mut Cursor<'_>) -> PResult<ImapDate> {
    let quoted = c.eat(b'"');
    let day = digits(c, 1, 2, "the day of a date")?;
    let date = date_rest(c, day)?;
    if quoted {
        c.expect(b'"', "the closing '\"' of the date")?;
    }
    Ok(date)
}

/// `"-" date-month "-" date-year`, checked against the calendar.
fn date_rest(c: &mut Cursor<'_>, day: u32) -> PResult<ImapDate> {
    c.expect(b'-', "'-' after the day")?;
    let month = month(c)?;
    c.expect(b'-', "'-' after the month")?;
    let year = digits(c, 4, 4, "a 4-digit year")?;
    if chrono::NaiveDate::from_ymd_opt(year as i32, month, day).is_none() {
        return fail(format!(
            "{day}-{}-{year} is not a calendar date",
            MONTHS[month as usize - 1]
        ));
    }
    Ok(ImapDate {
        year: year as i32,
        month,
        day,
    })
}

/// `date-month`: three letters, case-insensitive like every ABNF literal.
fn month(c: &mut Cursor<'_>) -> PResult<u32> {
    let rest = c.rest();
    let found = MONTHS
        .iter()
        .position(|m| rest.len() >= 3 && rest[..3].eq_ignore_ascii_case(m.as_bytes()));
    match found {
        Some(i) => {
            c.take(3);
            Ok(i as u32 + 1)
        }
        None => fail("expected a month name (Jan ... Dec)"),
    }
}

/// Between `min` and `max` ASCII digits as a number.
fn digits(c: &mut Cursor<'_>, min: usize, max: usize, what: &str) -> PResult<u32> {
    let run = c
        .rest()
        .iter()
        .take(max)
        .take_while(|b| b.is_ascii_digit())
        .count();
    if run < min {
        return fail(format!("expected {what}"));
    }
    let bytes = c.take(run);
    Ok(bytes
        .iter()
        .fold(0, |acc, &d| acc * 10 + u32::from(d - b'0')))
}

/// `date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE`
/// with `date-day-fixed = (SP DIGIT) / 2DIGIT` (APPEND).
pub(super) fn date_time(c: &mut Cursor<'_>) -> PResult<ImapDateTime> {
    c.expect(b'"', "'\"' to open the date-time")?;
    let day = if c.eat(b' ') {
        digits(c, 1, 1, "the day of the date-time")?
    } else {
        digits(c, 2, 2, "a 2-digit day (or space and digit)")?
    };
    let date = date_rest(c, day)?;
    c.sp()?;
    let (h, m, s) = time(c)?;
    c.sp()?;
    let offset = zone(c)?;
    c.expect(b'"', "'\"' to close the date-time")?;
    let naive = chrono::NaiveDate::from_ymd_opt(date.year, date.month, date.day)
        .and_then(|d| d.and_hms_opt(h, m, s))
        .ok_or_else(|| Fail("the date-time is not a valid time".into()))?;
    Ok(ImapDateTime {
        timestamp: naive.and_utc().timestamp() - i64::from(offset) * 60,
        offset_minutes: offset,
    })
}

/// `time = 2DIGIT ":" 2DIGIT ":" 2DIGIT`.
fn time(c: &mut Cursor<'_>) -> PResult<(u32, u32, u32)> {
    let h = digits(c, 2, 2, "2-digit hours")?;
    c.expect(b':', "':' in the time")?;
    let m = digits(c, 2, 2, "2-digit minutes")?;
    c.expect(b':', "':' in the time")?;
    let s = digits(c, 2, 2, "2-digit seconds")?;
    if h > 23 || m > 59 || s > 59 {
        return fail("the time of day is out of range");
    }
    Ok((h, m, s))
}

/// `zone = ("+" / "-") 4DIGIT`, as minutes east of UTC.
fn zone(c: &mut Cursor<'_>) -> PResult<i32> {
    let sign = if c.eat(b'+') {
        1
    } else if c.eat(b'-') {
        -1
    } else {
        return fail(format!(
            "expected '+' or '-' to start the zone {}",
            c.found()
        ));
    };
    let hhmm = digits(c, 4, 4, "a 4-digit zone")?;
    let (hours, minutes) = (hhmm / 100, hhmm % 100);
    if hours > 23 || minutes > 59 {
        return fail("the zone offset is out of range");
    }
    Ok(sign * (hours * 60 + minutes) as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_sets() {
        let set = sequence_set(&mut Cursor::new(b"1,3:*,*:2")).unwrap();
        assert_eq!(set.0.len(), 3);
        assert_eq!(set.0[1].end, SeqNum::Star);
        assert!(sequence_set(&mut Cursor::new(b"0")).is_err());
        assert!(sequence_set(&mut Cursor::new(b"1,")).is_err());
        assert!(sequence_set(&mut Cursor::new(b"1:")).is_err());
    }

    #[test]
    fn dates() {
        let d = |s: &[u8]| date(&mut Cursor::new(s));
        assert_eq!(
            d(b"1-Feb-1994").unwrap(),
            ImapDate {
                year: 1994,
                month: 2,
                day: 1
            }
        );
        assert_eq!(d(b"\"01-fEB-1994\"").unwrap().day, 1);
        assert!(d(b"30-Feb-1994").is_err());
        assert!(d(b"1-Foo-1994").is_err());
        assert!(d(b"1-Feb-94").is_err());
        assert!(d(b"\"1-Feb-1994").is_err());
    }

    #[test]
    fn date_times() {
        let dt = |s: &[u8]| date_time(&mut Cursor::new(s));
        let v = dt(b"\"17-Jul-1996 02:44:25 -0700\"").unwrap();
        assert_eq!(v.timestamp, 837_596_665);
        assert_eq!(v.offset_minutes, -420);
        assert_eq!(
            dt(b"\" 7-Jul-1996 02:44:25 +0000\"").unwrap().timestamp,
            836_707_465
        );
        assert!(dt(b"\"7-Jul-1996 02:44:25 +0000\"").is_err());
        assert!(dt(b"\"07-Jul-1996 24:00:00 +0000\"").is_err());
        assert!(dt(b"\"07-Jul-1996 02:44:25 +0060\"").is_err());
        assert!(dt(b"\"07-Jul-1996 02:44:25 0000\"").is_err());
    }
}
