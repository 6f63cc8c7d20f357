//! The sealed NTLM secret of each user (AUTHENTICATE NTLM, MS-STANXIMAP E0003). Storage
//! keeps the sealed bytes and never sees the key; `crate::ntlm::secret` seals and opens them.

use super::db::Arg;
use super::{Result, Store, UserId};

impl Store {
    /// Sets (or replaces) a user's sealed NTLM secret.
    pub async fn set_ntlm_secret(&self, user: UserId, sealed: &[u8]) -> Result<()> {
        let mut w = self.write().await?;
        w.conn()
            .execute(
                "DELETE FROM ntlm_secrets WHERE user_id = $1",
                &[Arg::Int(user)],
            )
            .await?;
        w.conn()
            .execute(
                "INSERT INTO ntlm_secrets (user_id, sealed) VALUES ($1, $2)",
                &[Arg::Int(user), Arg::Bytes(sealed)],
            )
            .await?;
        w.finish(self.feed()).await?;
        Ok(())
    }

    /// A user's sealed NTLM secret, None when they have none (users created before NTLM
    /// support, until their password is set again).
    pub async fn ntlm_secret(&self, user: UserId) -> Result<Option<Vec<u8>>> {
        let mut pooled = self.inner.db.acquire().await?;
        let row = pooled
            .conn()
            .fetch_optional(
                "SELECT sealed FROM ntlm_secrets WHERE user_id = $1",
                &[Arg::Int(user)],
            )
            .await?;
        row.map(|r| r.bytes(0)).transpose()
    }
}
