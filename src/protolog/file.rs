//! Log files: `IMAP4<period>-<n>.LOG` in the configured directory, a new file per day or
//! hour (`-LogFileRollOverSettings`), and a new `-<n>` when the next line would pass
//! `-LogPerFileSizeQuota`. Each file starts with Exchange-style `#` header lines.

use super::Line;
use crate::profile::model::RollOver;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The `#Fields:` header, as Exchange 2013 and later write it.
pub const FIELDS: &str =
    "dateTime,sessionId,seqNumber,sIp,cIp,user,duration,rqsize,rpsize,command,parameters,context";

/// Per directory: the period and file number last written, so a full file is not probed
/// again for every line. One lock for all: lines of concurrent sessions never interleave.
static CURRENT: Mutex<Option<HashMap<PathBuf, (String, u32)>>> = Mutex::new(None);

/// The file name for `period` and number `n`.
pub fn file_name(period: &str, n: u32) -> String {
    format!("IMAP4{period}-{n}.LOG")
}

fn period(roll: RollOver, at: &chrono::DateTime<chrono::Utc>) -> String {
    match roll {
        RollOver::Daily => at.format("%Y%m%d").to_string(),
        RollOver::Hourly => at.format("%Y%m%d%H").to_string(),
    }
}

/// Appends `line` to the file it belongs to, creating the directory and header as needed.
pub fn append(dir: &Path, roll: RollOver, quota: u64, line: &Line) -> std::io::Result<()> {
    let text = line.csv();
    let period = period(roll, &line.at);
    let mut guard = CURRENT.lock().unwrap_or_else(|p| p.into_inner());
    let current = guard.get_or_insert_with(HashMap::new);
    let start = match current.get(dir) {
        Some((p, n)) if *p == period => *n,
        _ => 1,
    };
    std::fs::create_dir_all(dir)?;
    let mut n = start;
    loop {
        let path = dir.join(file_name(&period, n));
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        if quota > 0 && size > 0 && size + text.len() as u64 > quota {
            n += 1;
            continue;
        }
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)?;
        if size == 0 {
            f.write_all(header(&line.at).as_bytes())?;
        }
        f.write_all(text.as_bytes())?;
        current.insert(dir.to_path_buf(), (period, n));
        return Ok(());
    }
}

fn header(at: &chrono::DateTime<chrono::Utc>) -> String {
    format!(
        "#Software: imap-mimic\r\n#Version: {}\r\n#Log-type: IMAP4 Protocol Log\r\n#Date: {}\r\n#Fields: {FIELDS}\r\n",
        env!("CARGO_PKG_VERSION"),
        at.format("%Y-%m-%dT%H:%M:%S%.3fZ"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(at: &str) -> Line {
        Line {
            at: chrono::DateTime::parse_from_rfc3339(at).unwrap().to_utc(),
            session_id: 1,
            seq: 0,
            server: None,
            client: None,
            user: String::new(),
            duration_ms: 0,
            rqsize: 0,
            rpsize: 0,
            command: "noop".into(),
            parameters: String::new(),
            context: "R=ok".into(),
        }
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut n: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    }

    #[test]
    fn files_roll_by_day_or_hour() {
        let daily = tempfile::tempdir().unwrap();
        let hourly = tempfile::tempdir().unwrap();
        for at in [
            "2026-11-25T23:59:59Z",
            "2026-11-26T00:00:01Z",
            "2026-11-26T01:00:00Z",
        ] {
            append(daily.path(), RollOver::Daily, 0, &line(at)).unwrap();
            append(hourly.path(), RollOver::Hourly, 0, &line(at)).unwrap();
        }
        assert_eq!(
            names(daily.path()),
            ["IMAP420261125-1.LOG", "IMAP420261126-1.LOG"]
        );
        assert_eq!(
            names(hourly.path()),
            [
                "IMAP42026112523-1.LOG",
                "IMAP42026112600-1.LOG",
                "IMAP42026112601-1.LOG"
            ]
        );
        let text = std::fs::read_to_string(daily.path().join("IMAP420261126-1.LOG")).unwrap();
        assert_eq!(text.matches("#Fields: ").count(), 1);
        assert_eq!(text.matches(",noop,,R=ok\r\n").count(), 2);
    }
}
