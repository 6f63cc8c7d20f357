//! Sealing NT hashes at rest. An NT hash is password-equivalent for NTLM, so the database
//! keeps it encrypted with AES-256-GCM under a key that lives outside the database (a file
//! in the data directory, mode 0600, or `IMAP_MIMIC_NTLM_KEY`), bound to the user name as
//! associated data so a sealed value cannot be moved to another user. A database dump alone
//! reveals nothing usable.

use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use ring::rand::{SecureRandom, SystemRandom};
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read or create the NTLM key file {path}: {message}")]
    File { path: String, message: String },
    #[error("the NTLM key must be 32 bytes (64 hex digits)")]
    Length,
}

/// The sealing key.
pub struct SealingKey(LessSafeKey);

impl std::fmt::Debug for SealingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealingKey(<redacted>)")
    }
}

impl SealingKey {
    pub fn from_bytes(bytes: &[u8]) -> Result<SealingKey, KeyError> {
        let key = UnboundKey::new(&AES_256_GCM, bytes).map_err(|_| KeyError::Length)?;
        Ok(SealingKey(LessSafeKey::new(key)))
    }

    /// The key from `IMAP_MIMIC_NTLM_KEY` (hex), else from `path`, created on first use.
    pub fn load_or_create(path: &Path) -> Result<SealingKey, KeyError> {
        if let Ok(hex) = std::env::var("IMAP_MIMIC_NTLM_KEY") {
            return SealingKey::from_bytes(&from_hex(hex.trim()).ok_or(KeyError::Length)?);
        }
        let err = |e: std::io::Error| KeyError::File {
            path: path.display().to_string(),
            message: e.to_string(),
        };
        if !path.exists() {
            let mut bytes = [0u8; 32];
            SystemRandom::new()
                .fill(&mut bytes)
                .map_err(|_| KeyError::Length)?;
            write_private(path, &bytes).map_err(err)?;
        }
        SealingKey::from_bytes(&std::fs::read(path).map_err(err)?)
    }

    /// nonce || ciphertext+tag.
    pub fn seal(&self, user: &str, nt_hash: &[u8; 16]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        // The system RNG does not fail on supported platforms; a zero nonce would still
        // be unique per (user, write) in practice, but never silently reuse one.
        if SystemRandom::new().fill(&mut nonce).is_err() {
            return Vec::new();
        }
        let mut data = nt_hash.to_vec();
        let sealed = self.0.seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(user.as_bytes()),
            &mut data,
        );
        match sealed {
            Ok(()) => [nonce.as_slice(), &data].concat(),
            Err(_) => Vec::new(),
        }
    }

    /// The NT hash, or None when the value was not sealed for this user with this key.
    pub fn open(&self, user: &str, sealed: &[u8]) -> Option<[u8; 16]> {
        if sealed.len() < NONCE_LEN {
            return None;
        }
        let (nonce, rest) = sealed.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
        let mut data = rest.to_vec();
        let plain = self
            .0
            .open_in_place(nonce, Aad::from(user.as_bytes()), &mut data)
            .ok()?;
        plain.try_into().ok()
    }
}

fn from_hex(s: &str) -> Option<Vec<u8>> {
    (s.len() % 2 == 0)
        .then(|| {
            (0..s.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
                .collect()
        })
        .flatten()
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(bytes)
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_and_open_are_bound_to_key_and_user() {
        let key = SealingKey::from_bytes(&[7; 32]).unwrap();
        let other = SealingKey::from_bytes(&[8; 32]).unwrap();
        let hash = [42u8; 16];
        let sealed = key.seal("alice", &hash);
        assert_eq!(sealed.len(), 12 + 16 + 16);
        assert_eq!(key.open("alice", &sealed), Some(hash));
        assert_eq!(key.open("bob", &sealed), None);
        assert_eq!(other.open("alice", &sealed), None);
        assert_eq!(key.open("alice", &sealed[..10]), None);
        assert!(SealingKey::from_bytes(&[1; 31]).is_err());
        assert_eq!(from_hex("0aff"), Some(vec![10, 255]));
        assert_eq!(from_hex("0g"), None);
    }
}
