//! `imap-mimic import`: reading mail from an mbox file, a Maildir (with its `:2,` flags and
//! Maildir++ subfolders) or a directory of `.eml` files into messages to store, with every
//! broken input reported by file and line instead of stopping the import.
//!
//! Off the command path: the CLI stores what this reads straight into the database,
//! through `Store::import_message`, which skips content already imported into a mailbox.

pub mod eml;
pub mod maildir;
pub mod mbox;

use crate::admin::input;
use crate::storage::FlagSet;
use crate::wire::types::ImapDateTime;
use std::fmt;
use std::path::{Path, PathBuf};

/// One message read from the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// Mailbox below the import's target (`Sub/Folder`), empty for the target itself.
    pub folder: String,
    /// Where it came from, for reports.
    pub file: PathBuf,
    pub line: usize,
    /// CRLF line ends.
    pub raw: Vec<u8>,
    pub flags: FlagSet,
    /// The source's date for the message, when it has one.
    pub date: Option<ImapDateTime>,
}

/// A message or file that was not imported, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    /// 1-based; 0 when the problem is the whole file.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            0 => write!(f, "{}: {}", self.file.display(), self.message),
            n => write!(f, "{}:{n}: {}", self.file.display(), self.message),
        }
    }
}

/// What a source yielded.
#[derive(Debug, Default)]
pub struct Read {
    pub items: Vec<Item>,
    pub problems: Vec<Problem>,
}

impl Read {
    /// Adds a message if it is RFC 5322, else a problem at its line.
    fn push(&mut self, mut item: Item) {
        item.raw = input::crlf(&item.raw);
        match input::check_rfc5322(&item.raw) {
            Ok(()) => self.items.push(item),
            Err((offset, why)) => self.problems.push(Problem {
                file: item.file,
                line: item.line + offset - 1,
                message: format!("not an RFC 5322 message: {why}"),
            }),
        }
    }

    fn problem(&mut self, file: &Path, line: usize, message: impl Into<String>) {
        self.problems.push(Problem {
            file: file.to_path_buf(),
            line,
            message: message.into(),
        });
    }
}

/// Reads `path` by its shape: a file is an mbox; a directory with `cur/` or `new/` is a
/// Maildir; any other directory holds `.eml` files.
pub fn read(path: &Path) -> std::io::Result<Read> {
    let meta = std::fs::metadata(path)?;
    if meta.is_file() {
        return mbox::read(path);
    }
    if path.join("cur").is_dir() || path.join("new").is_dir() {
        return Ok(maildir::read(path));
    }
    eml::read(path)
}

/// The SHA-256 of a message's bytes, hex: what makes a re-import skip it.
pub fn content_hash(raw: &[u8]) -> String {
    ring::digest::digest(&ring::digest::SHA256, raw)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The `Date:` header as an internal date, keeping its zone.
pub fn header_date(raw: &[u8]) -> Option<ImapDateTime> {
    let message = mail_parser::MessageParser::default().parse_headers(raw)?;
    let d = message.date()?;
    let offset = i32::from(d.tz_hour) * 60 + i32::from(d.tz_minute);
    Some(ImapDateTime {
        timestamp: d.to_timestamp(),
        offset_minutes: if d.tz_before_gmt { -offset } else { offset },
    })
}

/// A file's modification time as an internal date (UTC).
pub fn mtime(path: &Path) -> Option<ImapDateTime> {
    let modified = std::fs::metadata(path).ok()?.modified().ok()?;
    let secs = modified
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs();
    Some(ImapDateTime {
        timestamp: i64::try_from(secs).ok()?,
        offset_minutes: 0,
    })
}
