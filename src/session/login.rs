//! LOGIN, and the credential check LOGIN and AUTHENTICATE share: password verification,
//! the per-user connection limit, and the failure counter of MS-STANXIMAP V0061.

use super::sasl::NtlmProof;
use super::state::State;
use super::texts::Refusal;
use super::{status, After, Reply, Session};
use crate::password;
use crate::secret::Secret;
use crate::storage::User;
use crate::wire::{StatusKind, Tag};

impl Session {
    pub(super) async fn login(&mut self, tag: Tag, username: &[u8], password: Secret) -> Reply {
        let facts = self.env.facts(false);
        if !self.profile().auth.login_allowed(facts) {
            return Reply::new(vec![self.refusal(Some(tag), Refusal::LoginDisabled)]);
        }
        let name = String::from_utf8_lossy(username).into_owned();
        self.credentials(tag, "LOGIN", &name, password, Refusal::LoginFailed)
            .await
    }

    /// Checks a user name and password; on success the session becomes authenticated.
    /// `failed` is the refusal for wrong credentials (LOGIN's or AUTHENTICATE's text).
    pub(super) async fn credentials(
        &mut self,
        tag: Tag,
        command: &str,
        name: &str,
        password: Secret,
        failed: Refusal,
    ) -> Reply {
        let checked = self.check_password(name, password).await;
        self.conclude(tag, command, checked, failed).await
    }

    /// AUTHENTICATE NTLM's last step: the NTLMv2 proof against the user's sealed NT hash.
    pub(super) async fn ntlm_credentials(&mut self, tag: Tag, proof: NtlmProof) -> Reply {
        let checked = self.check_ntlm(&proof).await;
        self.conclude(tag, "AUTHENTICATE", checked, Refusal::AuthenticateFailed)
            .await
    }

    /// After a credential check: the per-user limit, INBOX, the authenticated state.
    async fn conclude(
        &mut self,
        tag: Tag,
        command: &str,
        checked: Result<Option<User>, Refusal>,
        failed: Refusal,
    ) -> Reply {
        let user = match checked {
            Ok(Some(user)) => user,
            Ok(None) => return self.failed_auth(tag, failed),
            Err(refusal) => return Reply::new(vec![self.refusal(Some(tag), refusal)]),
        };
        let limits = &self.env.profile.limits;
        let Some(permit) = self.env.tracker.login(user.id, limits) else {
            tracing::info!(user = %user.name, "refused: max_connections_per_user reached");
            return self.failed_auth(tag, failed);
        };
        if let Err(e) = ensure_inbox(&self.env.store, &user).await {
            tracing::warn!(error = %e, "cannot create INBOX");
            return Reply::new(vec![self.refusal(Some(tag), Refusal::StorageUnavailable)]);
        }
        self.user_permit = Some(permit);
        tracing::info!(user = %user.name, command, "authenticated");
        // Capabilities in the OK are those of the authenticated state (V0023, V0024).
        self.state = State::Authenticated(user);
        let code = self.capability_code();
        let text = self.profile().texts.completed(command);
        Reply::new(vec![status(Some(tag), StatusKind::Ok, code, text)])
    }

    /// None unless the user exists, has an NT hash sealed with this server's key, and the
    /// proof verifies.
    async fn check_ntlm(&self, proof: &NtlmProof) -> Result<Option<User>, Refusal> {
        let store = &self.env.store;
        let unavailable = |_| Refusal::StorageUnavailable;
        let Some(user) = store.user_by_name(&proof.user).await.map_err(unavailable)? else {
            return Ok(None);
        };
        let sealed = store.ntlm_secret(user.id).await.map_err(unavailable)?;
        let hash = match (sealed, &self.env.ntlm_key) {
            (Some(sealed), Some(key)) => key.open(&user.name, &sealed),
            _ => None,
        };
        let ok = hash.is_some_and(|h| {
            crate::ntlm::verify_v2(
                &h,
                &proof.user,
                &proof.domain,
                &proof.challenge,
                &proof.nt_response,
            )
        });
        Ok(ok.then_some(user))
    }

    /// None for an unknown user or a wrong password (indistinguishable to the client;
    /// `anonymous` is just an unknown user, V0018, V0019).
    async fn check_password(&self, name: &str, password: Secret) -> Result<Option<User>, Refusal> {
        let user = self
            .env
            .store
            .user_by_name(name)
            .await
            .map_err(|_| Refusal::StorageUnavailable)?;
        let Some(user) = user else {
            // Spend the same effort as a real check, so timing does not reveal names.
            let _ = password::verify_async(DUMMY_HASH.to_string(), password).await;
            return Ok(None);
        };
        let ok = password::verify_async(user.password_hash.clone(), password).await;
        Ok(ok.then_some(user))
    }

    /// Counts a failed attempt; the one that reaches the limit also ends the session (V0061).
    pub(super) fn failed_auth(&mut self, tag: Tag, refusal: Refusal) -> Reply {
        self.auth_failures += 1;
        let mut responses = vec![self.refusal(Some(tag), refusal)];
        if self.profile().auth.too_many_failures(self.auth_failures) {
            let text = self.profile().texts.texts().too_many_auth_failures.clone();
            responses.push(status(None, StatusKind::Bye, None, text));
            self.state = State::Logout;
            return Reply {
                responses,
                after: After::Close,
            };
        }
        Reply::new(responses)
    }
}

/// INBOX always exists (RFC 3501 §5.1): created the first time a user logs in.
async fn ensure_inbox(
    store: &crate::storage::Store,
    user: &User,
) -> Result<(), crate::storage::StoreError> {
    let all = store.list_mailboxes(user.id).await?;
    if all.iter().any(|m| m.name == "INBOX") {
        return Ok(());
    }
    match store.create_mailbox(user.id, "INBOX", true).await {
        // Another session of the same user won the race.
        Ok(_) | Err(crate::storage::StoreError::AlreadyExists(_)) => Ok(()),
        Err(e) => Err(e),
    }
}

/// A valid argon2id hash of a random password, verified against for unknown users.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$mKqkA1SiA7O5vdHQSnTz6rMDsGV3AFJqOw+sN/hGZ4s";
