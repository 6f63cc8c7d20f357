//! Setting a user's credentials in every form the server verifies: the argon2id hash for
//! LOGIN and AUTHENTICATE PLAIN, and the sealed NT hash for AUTHENTICATE NTLM. The CLI, the
//! admin API and tests all go through here so the two never drift apart.

use crate::ntlm::nt_hash;
use crate::ntlm::secret::SealingKey;
use crate::password::{self, Cost};
use crate::secret::Secret;
use crate::storage::{Store, StoreError, User};

/// Creates a user with a password.
pub async fn create_user(
    store: &Store,
    ntlm: Option<&SealingKey>,
    name: &str,
    password: &Secret,
    cost: Cost,
) -> Result<User, StoreError> {
    let user = store
        .create_user(name, &password::hash(password, cost))
        .await?;
    set_ntlm(store, ntlm, &user, password).await?;
    Ok(user)
}

/// Changes a user's password; `NotFound` for an unknown user.
pub async fn set_password(
    store: &Store,
    ntlm: Option<&SealingKey>,
    name: &str,
    password: &Secret,
    cost: Cost,
) -> Result<(), StoreError> {
    let user = store
        .user_by_name(name)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("user {name}")))?;
    store
        .set_password(name, &password::hash(password, cost))
        .await?;
    set_ntlm(store, ntlm, &user, password).await
}

async fn set_ntlm(
    store: &Store,
    ntlm: Option<&SealingKey>,
    user: &User,
    password: &Secret,
) -> Result<(), StoreError> {
    match ntlm {
        Some(key) => {
            let sealed = key.seal(&user.name, &nt_hash(password.expose()));
            store.set_ntlm_secret(user.id, &sealed).await
        }
        None => Ok(()),
    }
}
