//! Maildir and Maildir++: messages in `cur/` and `new/`, flags in the `:2,` info of the
//! file name (D draft, F flagged, R replied, S seen, T trashed), subfolders as `.Sub.Folder`
//! directories, which become the mailbox `Sub/Folder`. The file's modification time is
//! its delivery time, hence the internal date.

use super::{Item, Read};
use crate::storage::FlagSet;
use std::path::Path;

pub fn read(root: &Path) -> Read {
    let mut read = Read::default();
    folder(&mut read, root, "");
    let mut subs: Vec<_> = match std::fs::read_dir(root) {
        Ok(entries) => entries.filter_map(Result::ok).map(|e| e.path()).collect(),
        Err(e) => {
            read.problem(root, 0, format!("cannot list the Maildir: {e}"));
            return read;
        }
    };
    subs.sort();
    for sub in subs {
        let Some(name) = sub.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if let Some(dotted) = name
            .strip_prefix('.')
            .filter(|n| !n.is_empty() && sub.is_dir())
        {
            folder(&mut read, &sub, &dotted.replace('.', "/"));
        }
    }
    read
}

/// Reads `cur/` and `new/` of one folder.
fn folder(read: &mut Read, dir: &Path, name: &str) {
    for part in ["cur", "new"] {
        let path = dir.join(part);
        let Ok(entries) = std::fs::read_dir(&path) else {
            continue;
        };
        let mut files: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        files.sort();
        for file in files {
            match std::fs::read(&file) {
                Ok(raw) => read.push(Item {
                    folder: name.to_string(),
                    date: super::mtime(&file).or_else(|| super::header_date(&raw)),
                    flags: file
                        .file_name()
                        .map_or_else(FlagSet::default, |n| flags(&n.to_string_lossy())),
                    file,
                    line: 1,
                    raw,
                }),
                Err(e) => read.problem(&file, 0, format!("cannot read: {e}")),
            }
        }
    }
}

/// The flags of a Maildir file name's `:2,` info.
pub fn flags(name: &str) -> FlagSet {
    let mut set = FlagSet::default();
    let Some((_, info)) = name.rsplit_once(":2,") else {
        return set;
    };
    for c in info.chars() {
        set.system |= match c {
            'D' => FlagSet::DRAFT,
            'F' => FlagSet::FLAGGED,
            'R' => FlagSet::ANSWERED,
            'S' => FlagSet::SEEN,
            'T' => FlagSet::DELETED,
            _ => 0,
        };
    }
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_flags() {
        let f = flags("1700000000.M1P2.host:2,FRS");
        assert_eq!(
            f.system,
            FlagSet::FLAGGED | FlagSet::ANSWERED | FlagSet::SEEN
        );
        assert_eq!(flags("1700000000.M1P2.host").system, 0);
    }
}
