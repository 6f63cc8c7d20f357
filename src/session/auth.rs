//! Authentication policy (`[auth]`): which mechanisms are offered and whether LOGIN is
//! allowed on this connection, as pure decisions the CAPABILITY line and the LOGIN and
//! AUTHENTICATE handlers share, so what is announced is what is enforced.

use crate::profile::model::{Auth, LoginType, Mechanism};

/// Facts about the connection the decisions depend on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConnFacts {
    /// The connection is encrypted (implicit TLS, or after STARTTLS).
    pub tls: bool,
    /// STARTTLS can be offered (a certificate is configured and TLS is not up yet).
    pub starttls_available: bool,
    pub authenticated: bool,
}

#[derive(Clone, Debug)]
pub struct AuthPolicy {
    login_type: LoginType,
    mechanisms: Vec<Mechanism>,
    gssapi_and_ntlm: bool,
    hide_while_refused: bool,
    login_disabled_over_tls: bool,
    max_failures: u32,
}

impl AuthPolicy {
    pub fn compile(auth: &Auth) -> Result<AuthPolicy, String> {
        if !auth.mechanisms.contains(&Mechanism::PLAIN) {
            return Err("[auth] mechanisms must include PLAIN (RFC 3501 §6.2.2)".to_string());
        }
        Ok(AuthPolicy {
            login_type: auth.login_type,
            mechanisms: auth.mechanisms.clone(),
            gssapi_and_ntlm: auth.enable_gssapi_and_ntlm_auth,
            hide_while_refused: auth.hide_mechanisms_while_plaintext_refused,
            login_disabled_over_tls: auth.login_disabled_over_tls,
            max_failures: auth.max_auth_failures,
        })
    }

    /// Plaintext passwords (AUTHENTICATE PLAIN) are accepted here (V0022).
    pub fn plaintext_auth_allowed(&self, facts: ConnFacts) -> bool {
        facts.tls || self.login_type != LoginType::SecureLogin
    }

    /// LOGIN is accepted here (V0025, §2.1.4); when false, LOGINDISABLED is announced.
    pub fn login_allowed(&self, facts: ConnFacts) -> bool {
        if facts.tls {
            !self.login_disabled_over_tls
        } else {
            self.login_type == LoginType::PlainTextLogin
        }
    }

    /// Mechanisms offered here, in the order `AUTH=*` lists them.
    pub fn offered(&self, facts: ConnFacts) -> Vec<Mechanism> {
        let plaintext = self.plaintext_auth_allowed(facts);
        self.mechanisms
            .iter()
            .copied()
            .filter(|m| match m {
                Mechanism::PLAIN => plaintext,
                Mechanism::NTLM | Mechanism::GSSAPI => {
                    self.gssapi_and_ntlm && (plaintext || !self.hide_while_refused)
                }
            })
            .collect()
    }

    /// True when `failures` failed attempts end the session (V0061).
    pub fn too_many_failures(&self, failures: u32) -> bool {
        self.max_failures != 0 && failures >= self.max_failures
    }
}
