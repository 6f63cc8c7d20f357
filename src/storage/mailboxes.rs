//! Mailboxes: CREATE, DELETE, RENAME, the `\Noselect` placeholder state, STATUS counts.
//!
//! UIDVALIDITY comes from one database-wide counter that only grows (`max(now, last + 1)`),
//! so a deleted and recreated mailbox never gets a value it had before (RFC 3501 §2.3.1.1).
//! Mailbox ids are never reused either (AUTOINCREMENT / BIGSERIAL), so a session holding the
//! id of a deleted mailbox can never see another mailbox's changes.

use super::changes::WriteTx;
use super::db::{Arg, Row};
use super::{ChangeKind, Counts, Mailbox, MailboxId, Origin, Result, Store, StoreError, UserId};

const COLUMNS: &str = "id, user_id, name, uidvalidity, uidnext, selectable";

pub(crate) fn decode_mailbox(row: &Row) -> Result<Mailbox> {
    Ok(Mailbox {
        id: row.i64(0)?,
        user_id: row.i64(1)?,
        name: row.text(2)?,
        uidvalidity: row.u32(3)?,
        uidnext: row.u32(4)?,
        selectable: row.i64(5)? != 0,
    })
}

impl Store {
    /// Locks the mailbox row for the rest of the transaction (a no-op write: a row lock on
    /// PostgreSQL, and on SQLite the first statement is a write) and returns it.
    pub(crate) async fn lock_mailbox(&self, w: &mut WriteTx, id: MailboxId) -> Result<Mailbox> {
        let sql =
            format!("UPDATE mailboxes SET uidnext = uidnext WHERE id = $1 RETURNING {COLUMNS}");
        match w.conn().fetch_optional(&sql, &[Arg::Int(id)]).await? {
            Some(row) => decode_mailbox(&row),
            None => Err(StoreError::NotFound(format!("mailbox {id}"))),
        }
    }

    pub async fn list_mailboxes(&self, user: UserId) -> Result<Vec<Mailbox>> {
        let mut pooled = self.inner.db.acquire().await?;
        let sql = format!("SELECT {COLUMNS} FROM mailboxes WHERE user_id = $1 ORDER BY name");
        let rows = pooled.conn().fetch_all(&sql, &[Arg::Int(user)]).await?;
        rows.iter().map(decode_mailbox).collect()
    }

    pub async fn mailbox(&self, id: MailboxId) -> Result<Option<Mailbox>> {
        let mut pooled = self.inner.db.acquire().await?;
        let sql = format!("SELECT {COLUMNS} FROM mailboxes WHERE id = $1");
        let row = pooled.conn().fetch_optional(&sql, &[Arg::Int(id)]).await?;
        row.as_ref().map(decode_mailbox).transpose()
    }

    /// Creates one mailbox with a fresh UIDVALIDITY (never reused for that user) and
    /// UIDNEXT 1. `AlreadyExists` when the exact name exists; `NotFound` when the user
    /// does not.
    pub async fn create_mailbox(
        &self,
        user: UserId,
        name: &str,
        selectable: bool,
    ) -> Result<Mailbox> {
        let mut w = self.write().await?;
        let uidvalidity = next_uidvalidity(&mut w, None).await?;
        let sql = format!(
            "INSERT INTO mailboxes (user_id, name, uidvalidity, uidnext, recent_floor, selectable) \
             SELECT id, $2, $3, 1, 1, $4 FROM users WHERE id = $1 RETURNING {COLUMNS}"
        );
        let args = [
            Arg::Int(user),
            Arg::Text(name),
            Arg::Int(uidvalidity.into()),
            Arg::Int(selectable.into()),
        ];
        let row = w
            .conn()
            .fetch_optional(&sql, &args)
            .await
            .map_err(|e| named(e, name))?;
        let mailbox = match row {
            Some(row) => decode_mailbox(&row)?,
            None => return Err(StoreError::NotFound(format!("user {user}"))),
        };
        w.finish(self.feed()).await?;
        Ok(mailbox)
    }

    /// Makes a `\Noselect` placeholder selectable again (CREATE of an existing parent) or
    /// the reverse (DELETE of a parent under `rfc3501`, which also removes its messages).
    pub async fn set_selectable(
        &self,
        id: MailboxId,
        selectable: bool,
        origin: Origin,
    ) -> Result<()> {
        let mut w = self.write().await?;
        let mailbox = self.lock_mailbox(&mut w, id).await?;
        if !selectable {
            self.delete_all_messages(&mut w, id).await?;
            if mailbox.selectable {
                w.log(id, origin, ChangeKind::MailboxGone);
            }
        }
        w.conn()
            .execute(
                "UPDATE mailboxes SET selectable = $1 WHERE id = $2",
                &[Arg::Int(selectable.into()), Arg::Int(id)],
            )
            .await?;
        w.finish(self.feed()).await
    }

    /// Deletes the mailbox and its messages; selected sessions see `MailboxGone`.
    pub async fn delete_mailbox(&self, id: MailboxId, origin: Origin) -> Result<()> {
        let mut w = self.write().await?;
        self.lock_mailbox(&mut w, id).await?;
        self.delete_mailbox_in(&mut w, id, origin).await?;
        w.finish(self.feed()).await
    }

    pub(crate) async fn delete_mailbox_in(
        &self,
        w: &mut WriteTx,
        id: MailboxId,
        origin: Origin,
    ) -> Result<()> {
        self.delete_all_messages(w, id).await?;
        w.conn()
            .execute("DELETE FROM mailboxes WHERE id = $1", &[Arg::Int(id)])
            .await?;
        w.log(id, origin, ChangeKind::MailboxGone);
        Ok(())
    }

    /// Renames several mailboxes in one transaction (a mailbox and its inferiors), keeping
    /// their messages and UIDVALIDITY. `AlreadyExists` if a target name exists. Selected
    /// sessions of each renamed mailbox see `MailboxGone`.
    pub async fn rename_mailboxes(
        &self,
        renames: &[(MailboxId, String)],
        origin: Origin,
    ) -> Result<()> {
        let mut w = self.write().await?;
        let mut ids: Vec<MailboxId> = renames.iter().map(|(id, _)| *id).collect();
        ids.sort_unstable();
        ids.dedup();
        // Lock in id order so two concurrent batches cannot deadlock.
        for &id in &ids {
            self.lock_mailbox(&mut w, id).await?;
        }
        // Two phases, so a batch may move a name onto one that the same batch vacates
        // (a/b -> a, a -> a/b). U+0001 cannot occur in a mailbox name from a client.
        for &id in &ids {
            let parked = format!("\u{1}rename {id}");
            w.conn()
                .execute(
                    "UPDATE mailboxes SET name = $1 WHERE id = $2",
                    &[Arg::Text(&parked), Arg::Int(id)],
                )
                .await?;
        }
        for (id, name) in renames {
            w.conn()
                .execute(
                    "UPDATE mailboxes SET name = $1 WHERE id = $2",
                    &[Arg::Text(name), Arg::Int(*id)],
                )
                .await
                .map_err(|e| named(e, name))?;
            w.log(*id, origin, ChangeKind::MailboxGone);
        }
        w.finish(self.feed()).await
    }

    /// Counts for STATUS and SELECT; `NotFound` for a missing mailbox.
    pub async fn counts(&self, id: MailboxId) -> Result<Counts> {
        let mut pooled = self.inner.db.acquire().await?;
        let row = pooled
            .conn()
            .fetch_optional(
                "SELECT b.id, \
                   (SELECT COUNT(*) FROM messages m WHERE m.mailbox_id = b.id), \
                   (SELECT COUNT(*) FROM messages m \
                     WHERE m.mailbox_id = b.id AND m.uid >= b.recent_floor), \
                   (SELECT COUNT(*) FROM messages m \
                     WHERE m.mailbox_id = b.id AND (m.flags & 1) = 0) \
                 FROM mailboxes b WHERE b.id = $1",
                &[Arg::Int(id)],
            )
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("mailbox {id}")))?;
        Ok(Counts {
            messages: row.u32(1)?,
            recent: row.u32(2)?,
            unseen: row.u32(3)?,
        })
    }
}

/// Puts the name the caller tried into an `AlreadyExists` from a unique violation.
fn named(e: StoreError, name: &str) -> StoreError {
    match e {
        StoreError::AlreadyExists(_) => StoreError::AlreadyExists(name.to_string()),
        other => other,
    }
}

/// The UIDVALIDITY of a new or renumbered mailbox: `value` when one is set from outside,
/// else the next value of the database-wide counter (at least the current time). The
/// counter never falls behind a value handed out, so no value is handed out twice.
pub(super) async fn next_uidvalidity(w: &mut WriteTx, value: Option<u32>) -> Result<u32> {
    let floor = match value {
        Some(v) => i64::from(v),
        None => chrono::Utc::now().timestamp(),
    };
    let counter = w
        .conn()
        .fetch_one(
            "UPDATE counters SET value = CASE WHEN value + 1 > $1 THEN value + 1 ELSE $1 END \
             WHERE name = 'uidvalidity' RETURNING value",
            &[Arg::Int(floor)],
        )
        .await?
        .u32(0)
        .map_err(|_| StoreError::Database("UIDVALIDITY values exhausted".into()))?;
    Ok(value.unwrap_or(counter))
}
