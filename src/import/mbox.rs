//! mbox (mboxrd / mboxo): messages start at `From ` lines ("From_" lines: sender and an
//! asctime date, which becomes the internal date). `>From ` quoting is undone. A From_
//! line without a sender and a readable date is broken: its message is reported at that
//! line and skipped, and reading resumes at the next From_ line.

use super::{Item, Read};
use crate::storage::FlagSet;
use crate::wire::types::ImapDateTime;
use std::path::Path;

pub fn read(path: &Path) -> std::io::Result<Read> {
    let bytes = std::fs::read(path)?;
    Ok(parse(path, &bytes))
}

/// A message being collected: the line of its From_ line, that line's date (or why it is
/// broken), and its lines so far.
struct Pending<'a> {
    line: usize,
    date: Result<ImapDateTime, String>,
    body: Vec<&'a [u8]>,
}

/// Splits `bytes` into messages.
pub fn parse(path: &Path, bytes: &[u8]) -> Read {
    let mut read = Read::default();
    if !bytes.starts_with(b"From ") {
        read.problem(
            path,
            1,
            "not an mbox file: it does not start with a \"From \" line",
        );
        return read;
    }
    let mut current: Option<Pending> = None;
    let mut previous_blank = true;
    for (i, line) in lines(bytes).enumerate() {
        let bare = line.strip_suffix(b"\n").unwrap_or(line);
        let bare = bare.strip_suffix(b"\r").unwrap_or(bare);
        if previous_blank && bare.starts_with(b"From ") {
            finish(&mut read, path, current.take());
            current = Some(Pending {
                line: i + 1,
                date: from_line_date(bare),
                body: Vec::new(),
            });
        } else if let Some(pending) = current.as_mut() {
            pending.body.push(line);
        }
        previous_blank = bare.is_empty();
    }
    finish(&mut read, path, current);
    read
}

/// Lines with their line ends.
fn lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    bytes.split_inclusive(|&b| b == b'\n')
}

fn finish(read: &mut Read, path: &Path, message: Option<Pending>) {
    let Some(Pending {
        line,
        date,
        mut body,
    }) = message
    else {
        return;
    };
    let date = match date {
        Ok(d) => d,
        Err(why) => return read.problem(path, line, why),
    };
    // The blank line before the next From_ line belongs to the mbox, not the message.
    if body.last().is_some_and(|l| l.trim_ascii().is_empty()) {
        body.pop();
    }
    let mut raw = Vec::new();
    for l in body {
        raw.extend_from_slice(unquote(l));
    }
    read.push(Item {
        folder: String::new(),
        file: path.to_path_buf(),
        line: line + 1,
        raw,
        flags: FlagSet::default(),
        date: Some(date),
    });
}

/// `>From ` (and `>>From `, mboxrd) loses one `>`.
fn unquote(line: &[u8]) -> &[u8] {
    let quotes = line.iter().take_while(|&&b| b == b'>').count();
    if quotes > 0 && line[quotes..].starts_with(b"From ") {
        &line[1..]
    } else {
        line
    }
}

/// The date of `From sender Thu Nov 26 00:42:00 2026` (asctime, UTC; a numeric zone may
/// follow the year or the time).
fn from_line_date(line: &[u8]) -> Result<ImapDateTime, String> {
    let text = String::from_utf8_lossy(line);
    let mut words = text.split_whitespace().skip(1);
    let sender = words.next();
    let rest: Vec<&str> = words.collect();
    if sender.is_none() || rest.is_empty() {
        return Err("broken \"From \" line: no sender and date".into());
    }
    let (zone, rest): (Vec<&str>, Vec<&str>) = rest
        .into_iter()
        .partition(|w| (w.starts_with('+') || w.starts_with('-')) && w.len() == 5);
    let joined = rest.join(" ");
    let naive = chrono::NaiveDateTime::parse_from_str(&joined, "%a %b %e %H:%M:%S %Y")
        .map_err(|_| format!("broken \"From \" line: {joined:?} is not an asctime date"))?;
    let offset = zone.first().map_or(0, |z| zone_minutes(z));
    Ok(ImapDateTime {
        timestamp: naive.and_utc().timestamp() - i64::from(offset) * 60,
        offset_minutes: offset,
    })
}

fn zone_minutes(zone: &str) -> i32 {
    let sign = if zone.starts_with('-') { -1 } else { 1 };
    let hours: i32 = zone.get(1..3).and_then(|h| h.parse().ok()).unwrap_or(0);
    let minutes: i32 = zone.get(3..5).and_then(|m| m.parse().ok()).unwrap_or(0);
    sign * (hours * 60 + minutes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_unquotes() {
        let mbox = b"From a@b Thu Nov 26 00:42:00 2026\nSubject: one\n\n>From here\n\nFrom c@d Fri Nov 27 10:00:00 2026 +0200\nSubject: two\n\nx\n";
        let read = parse(Path::new("m"), mbox);
        assert_eq!(read.problems, vec![]);
        assert_eq!(read.items.len(), 2);
        assert_eq!(read.items[0].raw, b"Subject: one\r\n\r\nFrom here\r\n");
        assert_eq!(read.items[0].date.unwrap().timestamp, 1795653720);
        assert_eq!(read.items[1].date.unwrap().offset_minutes, 120);
        assert_eq!(read.items[1].line, 7);
    }

    #[test]
    fn a_broken_from_line_is_reported_and_skipped() {
        let mbox = b"From a@b Thu Nov 26 00:42:00 2026\nSubject: ok\n\nx\n\nFrom nonsense\nSubject: bad\n\nFrom a@b Thu Nov 26 00:42:00 2026\nSubject: ok2\n\ny\n";
        let read = parse(Path::new("m"), mbox);
        assert_eq!(read.items.len(), 2);
        assert_eq!(read.problems.len(), 1);
        assert_eq!(read.problems[0].line, 6);
    }
}
