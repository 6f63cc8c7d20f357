//! A directory of `.eml` files, one message each (sorted by name), dated by their `Date:`
//! header or else the file's modification time.

use super::{Item, Read};
use crate::storage::FlagSet;
use std::path::Path;

pub fn read(dir: &Path) -> std::io::Result<Read> {
    let mut read = Read::default();
    let mut files: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("eml")))
        .collect();
    files.sort();
    if files.is_empty() {
        read.problem(dir, 0, "no .eml files, and not a Maildir (no cur/ or new/)");
    }
    for file in files {
        match std::fs::read(&file) {
            Ok(raw) => read.push(Item {
                folder: String::new(),
                date: super::header_date(&raw).or_else(|| super::mtime(&file)),
                flags: FlagSet::default(),
                file,
                line: 1,
                raw,
            }),
            Err(e) => read.problem(&file, 0, format!("cannot read: {e}")),
        }
    }
    Ok(read)
}
