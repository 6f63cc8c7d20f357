//! Users (the admin API and `imap-mimic user` manage them; LOGIN reads them) and their
//! subscriptions (LSUB, SUBSCRIBE, UNSUBSCRIBE: names, whether or not the mailbox exists).
//!
//! Passwords arrive already hashed (argon2id PHC strings); nothing here sees a password.

use super::db::{Arg, Row};
use super::{Origin, Result, Store, StoreError, User, UserId};

fn decode_user(row: &Row) -> Result<User> {
    Ok(User {
        id: row.i64(0)?,
        name: row.text(1)?,
        password_hash: row.text(2)?,
    })
}

impl Store {
    /// `AlreadyExists` when the name is taken.
    pub async fn create_user(&self, name: &str, password_hash: &str) -> Result<User> {
        let mut w = self.write().await?;
        let row = w
            .conn()
            .fetch_one(
                "INSERT INTO users (name, password_hash) VALUES ($1, $2) \
                 RETURNING id, name, password_hash",
                &[Arg::Text(name), Arg::Text(password_hash)],
            )
            .await
            .map_err(|e| match e {
                StoreError::AlreadyExists(_) => StoreError::AlreadyExists(name.to_string()),
                other => other,
            })?;
        let user = decode_user(&row)?;
        w.finish(self.feed()).await?;
        Ok(user)
    }

    pub async fn user_by_name(&self, name: &str) -> Result<Option<User>> {
        let mut pooled = self.inner.db.acquire().await?;
        let row = pooled
            .conn()
            .fetch_optional(
                "SELECT id, name, password_hash FROM users WHERE name = $1",
                &[Arg::Text(name)],
            )
            .await?;
        row.as_ref().map(decode_user).transpose()
    }

    pub async fn list_users(&self) -> Result<Vec<User>> {
        let mut pooled = self.inner.db.acquire().await?;
        let rows = pooled
            .conn()
            .fetch_all(
                "SELECT id, name, password_hash FROM users ORDER BY name",
                &[],
            )
            .await?;
        rows.iter().map(decode_user).collect()
    }

    /// Deletes the user and everything they own: mailboxes (selected sessions see
    /// `MailboxGone`, as from the external agent), messages, subscriptions. `NotFound` when
    /// there is no such user.
    pub async fn delete_user(&self, name: &str) -> Result<()> {
        let mut w = self.write().await?;
        let id = w
            .conn()
            .fetch_optional("SELECT id FROM users WHERE name = $1", &[Arg::Text(name)])
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("user {name}")))?
            .i64(0)?;
        let rows = w
            .conn()
            .fetch_all(
                "SELECT id FROM mailboxes WHERE user_id = $1 ORDER BY id",
                &[Arg::Int(id)],
            )
            .await?;
        for row in rows {
            let mailbox = self.lock_mailbox(&mut w, row.i64(0)?).await?;
            self.delete_mailbox_in(&mut w, mailbox.id, Origin::External)
                .await?;
        }
        for sql in [
            "DELETE FROM subscriptions WHERE user_id = $1",
            "DELETE FROM users WHERE id = $1",
        ] {
            w.conn().execute(sql, &[Arg::Int(id)]).await?;
        }
        w.finish(self.feed()).await
    }

    /// `NotFound` when there is no such user.
    pub async fn set_password(&self, name: &str, password_hash: &str) -> Result<()> {
        let mut w = self.write().await?;
        let n = w
            .conn()
            .execute(
                "UPDATE users SET password_hash = $1 WHERE name = $2",
                &[Arg::Text(password_hash), Arg::Text(name)],
            )
            .await?;
        if n == 0 {
            return Err(StoreError::NotFound(format!("user {name}")));
        }
        w.finish(self.feed()).await
    }

    /// Subscribing twice is not an error.
    pub async fn subscribe(&self, user: UserId, name: &str) -> Result<()> {
        let mut w = self.write().await?;
        w.conn()
            .execute(
                "INSERT INTO subscriptions (user_id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                &[Arg::Int(user), Arg::Text(name)],
            )
            .await?;
        w.finish(self.feed()).await
    }

    /// `NotFound` when the name was not subscribed (a profile decides whether that is NO).
    pub async fn unsubscribe(&self, user: UserId, name: &str) -> Result<()> {
        let mut w = self.write().await?;
        let n = w
            .conn()
            .execute(
                "DELETE FROM subscriptions WHERE user_id = $1 AND name = $2",
                &[Arg::Int(user), Arg::Text(name)],
            )
            .await?;
        if n == 0 {
            return Err(StoreError::NotFound(format!("subscription {name}")));
        }
        w.finish(self.feed()).await
    }

    pub async fn subscriptions(&self, user: UserId) -> Result<Vec<String>> {
        let mut pooled = self.inner.db.acquire().await?;
        let rows = pooled
            .conn()
            .fetch_all(
                "SELECT name FROM subscriptions WHERE user_id = $1 ORDER BY name",
                &[Arg::Int(user)],
            )
            .await?;
        rows.iter().map(|r| r.text(0)).collect()
    }
}
