//! The CAPABILITY line (`[capabilities]`), rendered for the connection's current state,
//! and the question every extension asks: "am I enabled?".

use super::auth::{AuthPolicy, ConnFacts};
use crate::profile::model::{Capabilities, Mechanism};

#[derive(Clone, Debug)]
pub struct CapabilityPolicy {
    line: Vec<String>,
    after_login_only: Vec<String>,
    codes: bool,
}

impl CapabilityPolicy {
    pub fn compile(caps: &Capabilities) -> Result<CapabilityPolicy, String> {
        if let Some(x) = caps
            .after_login_only
            .iter()
            .find(|x| !caps.line.contains(x))
        {
            return Err(format!(
                "[capabilities] after_login_only lists {x:?}, which is not on `line`"
            ));
        }
        Ok(CapabilityPolicy {
            line: caps.line.clone(),
            after_login_only: caps.after_login_only.clone(),
            codes: caps.codes,
        })
    }

    /// Whether an extension is advertised, hence implemented, under this profile.
    pub fn enabled(&self, name: &str) -> bool {
        self.line.iter().any(|c| c.eq_ignore_ascii_case(name))
    }

    /// Whether `[CAPABILITY ...]` codes are sent (V0020, V0023, V0024, V0052).
    pub fn codes(&self) -> bool {
        self.codes
    }

    /// The capability names for this state, in the profile's order.
    pub fn render(&self, auth: &AuthPolicy, facts: ConnFacts) -> Vec<String> {
        let mut out = Vec::with_capacity(self.line.len() + 2);
        for cap in &self.line {
            match cap.as_str() {
                "AUTH=*" => out.extend(
                    auth.offered(facts)
                        .iter()
                        .map(|m| format!("AUTH={}", name(*m))),
                ),
                "LOGINDISABLED" if facts.authenticated || auth.login_allowed(facts) => {}
                "STARTTLS" if facts.authenticated || facts.tls || !facts.starttls_available => {}
                c if !facts.authenticated && self.after_login_only.iter().any(|x| x == c) => {}
                c => out.push(c.to_string()),
            }
        }
        out
    }
}

/// The SASL name of a mechanism.
pub fn name(m: Mechanism) -> &'static str {
    match m {
        Mechanism::PLAIN => "PLAIN",
        Mechanism::NTLM => "NTLM",
        Mechanism::GSSAPI => "GSSAPI",
    }
}
