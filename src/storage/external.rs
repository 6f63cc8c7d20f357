//! What the external agent ("another protocol", MS-STANXIMAP V0013) and the importer do to
//! a mailbox beyond what IMAP commands do: revise a message (the old UID goes away and the
//! revised message comes back under a new UID, §2.1.2, §2.1.3), renumber a mailbox under a
//! new UIDVALIDITY, and store a message unless its content was imported before.
//!
//! Each operation is one write transaction, logged to the change feed like any other, so
//! connected sessions see it through the feed exactly as they see IMAP changes.

use super::append::Columns;
use super::changes::WriteTx;
use super::db::Arg;
use super::flags::decode_flags;
use super::mailboxes::next_uidvalidity;
use super::transfer::collect_blobs;
use super::{ChangeKind, FlagSet, Mailbox, MailboxId, NewMessage, Origin, Result, Store};
use super::{StoreError, UserId};

impl Store {
    /// The mailbox of `user` named exactly `name`.
    pub async fn mailbox_named(&self, user: UserId, name: &str) -> Result<Option<Mailbox>> {
        let all = self.list_mailboxes(user).await?;
        Ok(all.into_iter().find(|m| m.name == name))
    }

    /// The user's INBOX, created when missing (RFC 3501 §5.1: INBOX always exists).
    pub async fn ensure_inbox(&self, user: UserId) -> Result<Mailbox> {
        if let Some(inbox) = self.mailbox_named(user, "INBOX").await? {
            return Ok(inbox);
        }
        match self.create_mailbox(user, "INBOX", true).await {
            Ok(inbox) => Ok(inbox),
            // Created concurrently (a login): read the winner's.
            Err(StoreError::AlreadyExists(_)) => self
                .mailbox_named(user, "INBOX")
                .await?
                .ok_or_else(|| StoreError::NotFound("INBOX".into())),
            Err(e) => Err(e),
        }
    }

    /// Creates a mailbox and each missing superior (`a` and `a/b` for `a/b/c`), as IMAP
    /// CREATE does (RFC 3501 §6.3.3, MS-STANXIMAP V0026); a `\Noselect` placeholder of
    /// that name becomes selectable. `AlreadyExists` when a selectable one exists.
    pub async fn create_mailbox_path(&self, user: UserId, name: &str) -> Result<Mailbox> {
        let all = self.list_mailboxes(user).await?;
        if let Some(m) = all.iter().find(|m| m.name == name) {
            if m.selectable {
                return Err(StoreError::AlreadyExists(name.to_string()));
            }
            self.set_selectable(m.id, true, Origin::External).await?;
            return Ok(Mailbox {
                selectable: true,
                ..m.clone()
            });
        }
        let levels: Vec<&str> = name.split('/').collect();
        for depth in 1..levels.len() {
            let superior = levels[..depth].join("/");
            if !all.iter().any(|m| m.name == superior) {
                match self.create_mailbox(user, &superior, true).await {
                    Ok(_) | Err(StoreError::AlreadyExists(_)) => {}
                    Err(e) => return Err(e),
                }
            }
        }
        self.create_mailbox(user, name, true).await
    }

    /// Stores `message` unless a message with content `hash` was imported into the mailbox
    /// before; the hash is recorded in the same transaction, so an interrupted import
    /// never leaves a message without its hash or the reverse. Returns the new UID, or
    /// None for a duplicate.
    pub async fn import_message(
        &self,
        mailbox: MailboxId,
        message: NewMessage<'_>,
        hash: &str,
    ) -> Result<Option<u32>> {
        let mut w = self.write().await?;
        let fresh = w
            .conn()
            .fetch_optional(
                "INSERT INTO import_hashes (mailbox_id, hash) VALUES ($1, $2) \
                 ON CONFLICT DO NOTHING RETURNING mailbox_id",
                &[Arg::Int(mailbox), Arg::Text(hash)],
            )
            .await?;
        if fresh.is_none() {
            // Dropping `w` rolls back.
            return Ok(None);
        }
        let uid = self
            .insert_message(&mut w, mailbox, &message, Origin::External)
            .await?;
        w.finish(self.feed()).await?;
        Ok(Some(uid))
    }

    /// Replaces message `uid` by a revised one under a new UID, in one transaction
    /// (MS-STANXIMAP §2.1.2, §2.1.3): sessions see the old one expunged and the new one
    /// arrive. The revision keeps the old flags unless `message.flags` is given. Returns
    /// the new UID; `NotFound` when `uid` does not exist.
    pub async fn revise_message(
        &self,
        mailbox: MailboxId,
        uid: u32,
        message: NewMessage<'_>,
        flags: Option<FlagSet>,
    ) -> Result<u32> {
        let mut w = self.write().await?;
        self.lock_mailbox(&mut w, mailbox).await?;
        let old = w
            .conn()
            .fetch_optional(
                "DELETE FROM messages WHERE mailbox_id = $1 AND uid = $2 \
                 RETURNING blob_id, flags, keywords",
                &[Arg::Int(mailbox), Arg::Int(uid.into())],
            )
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("message UID {uid}")))?;
        collect_blobs(&mut w, vec![old.i64(0)?]).await?;
        w.log(mailbox, Origin::External, ChangeKind::Expunged { uid });
        let flags = match flags {
            Some(f) => f,
            None => decode_flags(old.i64(1)?, &old.text(2)?)?,
        };
        let message = NewMessage { flags, ..message };
        let new = self
            .insert_message(&mut w, mailbox, &message, Origin::External)
            .await?;
        w.finish(self.feed()).await?;
        Ok(new)
    }

    /// Gives the mailbox a new UIDVALIDITY and renumbers its messages 1..n in their order,
    /// as a server does when it rebuilds a mailbox (RFC 3501 §2.3.1.1). `value` must differ
    /// from the current one; without it the next value of the database-wide counter is
    /// taken. Selected sessions see `UidValidity` and leave the mailbox.
    pub async fn set_uidvalidity(&self, mailbox: MailboxId, value: Option<u32>) -> Result<Mailbox> {
        let mut w = self.write().await?;
        let current = self.lock_mailbox(&mut w, mailbox).await?;
        if value == Some(current.uidvalidity) || value == Some(0) {
            return Err(StoreError::Database(format!(
                "UIDVALIDITY must be non-zero and differ from the current {}",
                current.uidvalidity
            )));
        }
        let uidvalidity = next_uidvalidity(&mut w, value).await?;
        let n = renumber(&mut w, mailbox).await?;
        w.conn()
            .execute(
                "UPDATE mailboxes SET uidvalidity = $1, uidnext = $2, recent_floor = $2 \
                 WHERE id = $3",
                &[
                    Arg::Int(uidvalidity.into()),
                    Arg::Int(i64::from(n) + 1),
                    Arg::Int(mailbox),
                ],
            )
            .await?;
        w.log(
            mailbox,
            Origin::External,
            ChangeKind::UidValidity { uidvalidity },
        );
        w.finish(self.feed()).await?;
        Ok(Mailbox {
            uidvalidity,
            uidnext: n + 1,
            ..current
        })
    }

    /// Inserts one message with the next UID and logs it (any dialect, one statement at a
    /// time).
    async fn insert_message(
        &self,
        w: &mut WriteTx,
        mailbox: MailboxId,
        message: &NewMessage<'_>,
        origin: Origin,
    ) -> Result<u32> {
        let columns = Columns::of(message)?;
        let args = columns.args(mailbox, message);
        let (_, uid) = self.append_stepwise(w, &args, origin).await?;
        Ok(uid)
    }
}

/// Renumbers the messages of `mailbox` 1..n in UID order; returns n. Two phases (negated
/// first) so no new UID collides with an old one in the primary key.
async fn renumber(w: &mut WriteTx, mailbox: MailboxId) -> Result<u32> {
    let rows = w
        .conn()
        .fetch_all(
            "SELECT uid FROM messages WHERE mailbox_id = $1 ORDER BY uid",
            &[Arg::Int(mailbox)],
        )
        .await?;
    w.conn()
        .execute(
            "UPDATE messages SET uid = -uid WHERE mailbox_id = $1",
            &[Arg::Int(mailbox)],
        )
        .await?;
    let mut n = 0u32;
    for row in rows {
        n += 1;
        let old = row.i64(0)?;
        w.conn()
            .execute(
                "UPDATE messages SET uid = $1 WHERE mailbox_id = $2 AND uid = $3",
                &[Arg::Int(n.into()), Arg::Int(mailbox), Arg::Int(-old)],
            )
            .await?;
    }
    Ok(n)
}
