//! Password hashing: argon2id PHC strings. Verification runs on the blocking pool because
//! a hash costs tens of milliseconds of CPU by design.

use crate::secret::Secret;
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};

/// How expensive a new hash is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cost {
    /// argon2's recommended defaults (19 MiB, 2 passes): for real users.
    Default,
    /// Cheap, for tests and benchmarks that create many users.
    Low,
}

/// Hashes a password into a PHC string (salt and parameters included).
pub fn hash(password: &Secret, cost: Cost) -> String {
    let params = match cost {
        Cost::Default => Params::default(),
        Cost::Low => Params::new(256, 1, 1, None).unwrap_or_default(),
    };
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    let salt = SaltString::generate(&mut OsRng);
    match argon.hash_password(password.expose(), &salt) {
        Ok(h) => h.to_string(),
        // Hashing only fails on parameter errors, which the constants above rule out.
        Err(e) => unreachable!("argon2 parameters are valid: {e}"),
    }
}

/// True when `password` matches the stored PHC string; a malformed hash never matches.
pub fn verify(stored: &str, password: &Secret) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.expose(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// `verify` on tokio's blocking pool.
pub async fn verify_async(stored: String, password: Secret) -> bool {
    tokio::task::spawn_blocking(move || verify(&stored, &password))
        .await
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_then_verify() {
        let pw = Secret::new("correct horse");
        let h = hash(&pw, Cost::Low);
        assert!(h.starts_with("$argon2id$"));
        assert!(verify(&h, &pw));
        assert!(!verify(&h, &Secret::new("wrong")));
        assert!(!verify("not a hash", &pw));
    }
}
