//! SASL mechanisms as step machines the AUTHENTICATE handler drives: PLAIN (RFC 4616)
//! now; NTLM and GSSAPI plug in here. No security layer is ever negotiated (MS-STANXIMAP
//! V0021).

use crate::secret::Secret;

/// The next move of an exchange.
#[derive(Debug, PartialEq, Eq)]
pub enum Step {
    /// Send this challenge and wait for the client's response.
    Challenge(Vec<u8>),
    /// Check this user name and password.
    Verify { user: String, password: Secret },
    /// The exchange failed (malformed response).
    Fail,
}

pub trait Mechanism: Send + Sync + std::fmt::Debug {
    /// The first move, before any client response (an empty challenge for PLAIN).
    fn start(&mut self) -> Step;
    /// Feeds one client response (already base64-decoded).
    fn step(&mut self, response: &[u8]) -> Step;
}

/// RFC 4616 PLAIN: `[authzid] NUL authcid NUL passwd`.
#[derive(Debug, Default)]
pub struct Plain;

impl Mechanism for Plain {
    fn start(&mut self) -> Step {
        Step::Challenge(Vec::new())
    }

    fn step(&mut self, response: &[u8]) -> Step {
        let mut parts = response.split(|&b| b == 0);
        let (Some(authz), Some(authc), Some(pass), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Step::Fail;
        };
        // No proxy authorization: the authorization identity, when given, must be the
        // authentication identity.
        if authc.is_empty() || (!authz.is_empty() && authz != authc) {
            return Step::Fail;
        }
        match std::str::from_utf8(authc) {
            Ok(user) => Step::Verify {
                user: user.to_string(),
                password: Secret::new(pass),
            },
            Err(_) => Step::Fail,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_parses_rfc4616_messages() {
        let ok = Step::Verify {
            user: "bob".into(),
            password: Secret::new("pw"),
        };
        assert_eq!(Plain.step(b"\0bob\0pw"), ok);
        assert_eq!(Plain.step(b"bob\0bob\0pw"), ok);
        assert_eq!(Plain.step(b"eve\0bob\0pw"), Step::Fail);
        assert_eq!(Plain.step(b"bob\0pw"), Step::Fail);
        assert_eq!(Plain.step(b"\0\0pw"), Step::Fail);
        assert_eq!(Plain.step(b"\0bob\0pw\0x"), Step::Fail);
    }
}
