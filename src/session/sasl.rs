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
    /// Check an NTLMv2 response against the user's NT hash.
    VerifyNtlm(NtlmProof),
    /// The exchange failed (malformed response).
    Fail,
}

pub trait Mechanism: Send + Sync + std::fmt::Debug {
    /// The first move, before any client response (an empty challenge for PLAIN).
    fn start(&mut self) -> Step;
    /// Feeds one client response (already base64-decoded).
    fn step(&mut self, response: &[u8]) -> Step;
}

/// What an NTLM AUTHENTICATE message must prove, for the session to check against storage.
#[derive(Debug, PartialEq, Eq)]
pub struct NtlmProof {
    pub user: String,
    pub domain: String,
    pub challenge: [u8; 8],
    pub nt_response: Vec<u8>,
}

/// NTLM (MS-NLMP): NEGOTIATE -> CHALLENGE -> AUTHENTICATE. Exchange names itself in the
/// challenge; the name only matters to clients that display it.
#[derive(Debug, Default)]
pub struct Ntlm {
    challenge: Option<[u8; 8]>,
}

impl Mechanism for Ntlm {
    fn start(&mut self) -> Step {
        Step::Challenge(Vec::new())
    }

    fn step(&mut self, response: &[u8]) -> Step {
        match self.challenge {
            None => {
                if crate::ntlm::parse_negotiate(response).is_err() {
                    return Step::Fail;
                }
                let challenge: [u8; 8] = rand::random();
                self.challenge = Some(challenge);
                Step::Challenge(crate::ntlm::challenge_message(
                    challenge,
                    "IMAPMIMIC",
                    filetime_now(),
                ))
            }
            Some(challenge) => match crate::ntlm::parse_authenticate(response) {
                Ok(a) if !a.user.is_empty() => Step::VerifyNtlm(NtlmProof {
                    user: a.user,
                    domain: a.domain,
                    challenge,
                    nt_response: a.nt_response,
                }),
                _ => Step::Fail,
            },
        }
    }
}

/// Now as a Windows FILETIME (100 ns units since 1601).
fn filetime_now() -> u64 {
    const EPOCH_DIFF_SECS: u64 = 11_644_473_600;
    let since_unix = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    (since_unix.as_secs() + EPOCH_DIFF_SECS) * 10_000_000
        + u64::from(since_unix.subsec_nanos() / 100)
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
