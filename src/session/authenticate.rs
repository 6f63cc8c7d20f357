//! AUTHENTICATE (RFC 3501 §6.2.2): starts a SASL exchange and feeds it the client's lines.
//! Continuations are bare `+` where the profile says (Exchange), a `*` line cancels.

use super::capability::name as mechanism_name;
use super::sasl::{Mechanism, Ntlm, Plain, Step};
use super::texts::Refusal;
use super::{After, Mode, Reply, Session};
use crate::profile::model::Mechanism as Mech;
use crate::secret::Secret;
use crate::wire::{Continue, Response, Tag};
use base64::Engine;

impl Session {
    pub(super) async fn authenticate(
        &mut self,
        tag: Tag,
        mechanism: &str,
        initial: Option<Secret>,
    ) -> Reply {
        let facts = self.env.facts(false);
        let offered = self.profile().auth.offered(facts);
        let Some(mech) = offered
            .into_iter()
            .find(|m| mechanism_name(*m) == mechanism)
        else {
            return Reply::new(vec![self.refusal(Some(tag), Refusal::MechanismUnsupported)]);
        };
        if initial.is_some() && !self.profile().capabilities.enabled("SASL-IR") {
            return Reply::new(vec![self.refusal(Some(tag), Refusal::BadArguments)]);
        }
        let mut machine: Box<dyn Mechanism> = match mech {
            Mech::PLAIN => Box::new(Plain),
            Mech::NTLM => Box::new(Ntlm::default()),
            // GSSAPI is advertised but, with no Kerberos realm, fails as Exchange does for a
            // non-domain client (PROFILES.md).
            Mech::GSSAPI => return self.failed_auth(tag, Refusal::AuthenticateFailed),
        };
        let step = match initial {
            Some(ir) => machine.step(ir.expose()),
            None => machine.start(),
        };
        self.sasl_step(tag, machine, step).await
    }

    /// One client line during an exchange.
    pub(super) async fn sasl_response(
        &mut self,
        tag: Tag,
        mut machine: Box<dyn Mechanism>,
        line: &[u8],
    ) -> Reply {
        let line = line
            .strip_suffix(b"\r\n")
            .or_else(|| line.strip_suffix(b"\n"))
            .unwrap_or(line);
        if line == b"*" {
            return self.failed_auth(tag, Refusal::AuthenticateCancelled);
        }
        let step = match base64::engine::general_purpose::STANDARD.decode(line) {
            Ok(bytes) => machine.step(&bytes),
            Err(_) => Step::Fail,
        };
        self.sasl_step(tag, machine, step).await
    }

    async fn sasl_step(&mut self, tag: Tag, machine: Box<dyn Mechanism>, step: Step) -> Reply {
        match step {
            Step::Challenge(bytes) => {
                let prompt =
                    if bytes.is_empty() && self.profile().texts.texts().bare_auth_continuation {
                        Continue::Bare
                    } else {
                        Continue::Base64(bytes)
                    };
                self.mode = Mode::Authenticating {
                    tag,
                    mechanism: machine,
                };
                Reply {
                    responses: vec![Response::Continue(prompt)],
                    after: After::Continue,
                }
            }
            Step::Verify { user, password } => {
                self.credentials(
                    tag,
                    "AUTHENTICATE",
                    &user,
                    password,
                    Refusal::AuthenticateFailed,
                )
                .await
            }
            Step::VerifyNtlm(proof) => self.ntlm_credentials(tag, proof).await,
            Step::Fail => self.failed_auth(tag, Refusal::AuthenticateFailed),
        }
    }
}
