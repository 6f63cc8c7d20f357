//! The bearer token: configured, or generated into the data directory as `admin.token`
//! (readable by its owner only) on first run, so `imap-mimic inject` on the same machine
//! finds it there.

use std::io::Write;
use std::path::{Path, PathBuf};

pub const FILE: &str = "admin.token";

pub fn path_in(data: &Path) -> PathBuf {
    data.join(FILE)
}

/// Reads the token file; None when there is none.
pub fn read(data: &Path) -> std::io::Result<Option<String>> {
    match std::fs::read_to_string(path_in(data)) {
        Ok(text) => Ok(Some(text.trim().to_string())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// The token in `data`, generated (32 random bytes, hex) when missing.
pub fn load_or_create(data: &Path) -> std::io::Result<String> {
    if let Some(token) = read(data)?.filter(|t| !t.is_empty()) {
        return Ok(token);
    }
    std::fs::create_dir_all(data)?;
    let token: String = (0..32)
        .map(|_| format!("{:02x}", rand::random::<u8>()))
        .collect();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path_in(data))?;
    file.write_all(token.as_bytes())?;
    file.write_all(b"\n")?;
    Ok(token)
}

/// Compares in time independent of where the strings differ.
pub fn matches(given: &[u8], expected: &[u8]) -> bool {
    given.len() == expected.len()
        && given
            .iter()
            .zip(expected)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}
