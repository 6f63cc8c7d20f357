//! COPY, MOVE, EXPUNGE and the external agent's delete, plus blob garbage collection.
//!
//! A copy shares the source's blob (raw bytes and MIME analysis are stored once); a blob
//! is deleted with the last message that references it. Copies are written set-based
//! (`INSERT ... SELECT` numbering the new UIDs with `ROW_NUMBER()`), so copying a whole
//! mailbox is a few statements, not one per message.

use super::changes::WriteTx;
use super::db::{Arg, Dialect};
use super::uids::{chunks, UidChunk};
use super::{ChangeKind, MailboxId, Origin, Result, Store};

/// Largest `IN` list of blob ids; shorter batches are padded to one of these lengths.
const BLOB_BATCHES: [usize; 3] = [1, 16, 256];

impl Store {
    /// Copies messages (flags and internal date kept); returns (source uid, new uid) pairs
    /// and the destination UIDVALIDITY.
    pub async fn copy(
        &self,
        from: MailboxId,
        uids: &[u32],
        to: MailboxId,
        origin: Origin,
    ) -> Result<(u32, Vec<(u32, u32)>)> {
        let mut w = self.write().await?;
        let copied = self.copy_in(&mut w, from, uids, to, origin).await?;
        w.finish(self.feed()).await?;
        Ok(copied)
    }

    /// `copy` then removal from the source, in one transaction.
    pub async fn move_messages(
        &self,
        from: MailboxId,
        uids: &[u32],
        to: MailboxId,
        origin: Origin,
    ) -> Result<(u32, Vec<(u32, u32)>)> {
        let mut w = self.write().await?;
        let copied = self.copy_in(&mut w, from, uids, to, origin).await?;
        let sources: Vec<u32> = copied.1.iter().map(|(s, _)| *s).collect();
        // The blobs now belong to the copies: no garbage collection needed.
        let removed = delete_where(&mut w, from, "", Some(&chunks(&sources))).await?;
        log_expunged(&mut w, from, origin, &removed);
        w.finish(self.feed()).await?;
        Ok(copied)
    }

    /// Removes messages flagged \Deleted (only among `only` when given: UID EXPUNGE);
    /// returns their UIDs ascending.
    pub async fn expunge(
        &self,
        mailbox: MailboxId,
        only: Option<&[u32]>,
        origin: Origin,
    ) -> Result<Vec<u32>> {
        let only = only.map(chunks);
        self.remove_where(mailbox, " AND (flags & 8) <> 0", only.as_deref(), origin)
            .await
    }

    /// Removes the given messages whatever their flags (the external agent's delete);
    /// returns the UIDs that existed, ascending.
    pub async fn remove(
        &self,
        mailbox: MailboxId,
        uids: &[u32],
        origin: Origin,
    ) -> Result<Vec<u32>> {
        self.remove_where(mailbox, "", Some(&chunks(uids)), origin)
            .await
    }

    async fn remove_where(
        &self,
        mailbox: MailboxId,
        condition: &str,
        only: Option<&[UidChunk]>,
        origin: Origin,
    ) -> Result<Vec<u32>> {
        let mut w = self.write().await?;
        self.lock_mailbox(&mut w, mailbox).await?;
        let removed = delete_where(&mut w, mailbox, condition, only).await?;
        let blobs: Vec<i64> = removed.iter().map(|(_, b)| *b).collect();
        collect_blobs(&mut w, blobs).await?;
        log_expunged(&mut w, mailbox, origin, &removed);
        w.finish(self.feed()).await?;
        Ok(removed.into_iter().map(|(uid, _)| uid).collect())
    }

    /// Deletes every message of a mailbox (no change rows: the caller logs `MailboxGone`).
    pub(crate) async fn delete_all_messages(
        &self,
        w: &mut WriteTx,
        mailbox: MailboxId,
    ) -> Result<()> {
        let removed = delete_where(w, mailbox, "", None).await?;
        collect_blobs(w, removed.into_iter().map(|(_, b)| b).collect()).await
    }

    async fn copy_in(
        &self,
        w: &mut WriteTx,
        from: MailboxId,
        uids: &[u32],
        to: MailboxId,
        origin: Origin,
    ) -> Result<(u32, Vec<(u32, u32)>)> {
        // Lock in id order so opposite concurrent copies cannot deadlock.
        let mut ids = vec![from, to];
        ids.sort_unstable();
        ids.dedup();
        let mut uidvalidity = 0;
        for id in ids {
            let locked = self.lock_mailbox(w, id).await?;
            if id == to {
                uidvalidity = locked.uidvalidity;
            }
        }
        let chunked = chunks(uids);
        let mut found: Vec<Vec<u32>> = Vec::with_capacity(chunked.len());
        for chunk in &chunked {
            let sql = format!(
                "SELECT uid FROM messages WHERE mailbox_id = $1 AND {} ORDER BY uid",
                chunk.condition("uid", 2)
            );
            let mut args = vec![Arg::Int(from)];
            args.extend(chunk.args());
            let rows = w.conn().fetch_all(&sql, &args).await?;
            found.push(rows.iter().map(|r| r.u32(0)).collect::<Result<_>>()?);
        }
        let n = found.iter().map(Vec::len).sum::<usize>();
        let Ok(n) = u32::try_from(n) else {
            return Err(super::StoreError::Database("too many messages".into()));
        };
        if n == 0 {
            return Ok((uidvalidity, Vec::new()));
        }
        let (uidvalidity, first) = self.allocate_uids(w, to, n).await?;
        let mut next = first;
        let mut pairs = Vec::with_capacity(n as usize);
        for (chunk, sources) in chunked.iter().zip(&found) {
            if sources.is_empty() {
                continue;
            }
            insert_copies(w, from, chunk, to, next).await?;
            for &s in sources {
                pairs.push((s, next));
                next += 1;
            }
        }
        w.log_range(to, origin, false, first, next - 1);
        Ok((uidvalidity, pairs))
    }
}

/// Copies the messages of `chunk` into `to`, numbering them from `first` in UID order.
async fn insert_copies(
    w: &mut WriteTx,
    from: MailboxId,
    chunk: &UidChunk,
    to: MailboxId,
    first: u32,
) -> Result<()> {
    let sql = format!(
        "INSERT INTO messages (mailbox_id, uid, blob_id, flags, keywords, internal_date, \
         date_offset, size, size_known, stored_size) \
         SELECT $1, $2 + ROW_NUMBER() OVER (ORDER BY uid) - 1, blob_id, flags, keywords, \
         internal_date, date_offset, size, size_known, stored_size \
         FROM messages WHERE mailbox_id = $3 AND {} ORDER BY uid",
        chunk.condition("uid", 4)
    );
    let mut args = vec![Arg::Int(to), Arg::Int(first.into()), Arg::Int(from)];
    args.extend(chunk.args());
    w.conn().execute(&sql, &args).await?;
    Ok(())
}

/// Deletes messages of `mailbox` matching `condition` (SQL starting with ` AND`), within
/// `only` when given; returns (uid, blob id) ascending by UID.
async fn delete_where(
    w: &mut WriteTx,
    mailbox: MailboxId,
    condition: &str,
    only: Option<&[UidChunk]>,
) -> Result<Vec<(u32, i64)>> {
    let whole = [None];
    let parts: Vec<Option<&UidChunk>> = match only {
        Some(chunks) => chunks.iter().map(Some).collect(),
        None => whole.to_vec(),
    };
    let mut removed = Vec::new();
    for part in parts {
        let mut args = vec![Arg::Int(mailbox)];
        let mut sql = format!("DELETE FROM messages WHERE mailbox_id = $1{condition}");
        if let Some(chunk) = part {
            sql.push_str(" AND ");
            sql.push_str(&chunk.condition("uid", 2));
            args.extend(chunk.args());
        }
        sql.push_str(" RETURNING uid, blob_id");
        for row in w.conn().fetch_all(&sql, &args).await? {
            removed.push((row.u32(0)?, row.i64(1)?));
        }
    }
    removed.sort_unstable();
    Ok(removed)
}

fn log_expunged(w: &mut WriteTx, mailbox: MailboxId, origin: Origin, removed: &[(u32, i64)]) {
    for &(uid, _) in removed {
        w.log(mailbox, origin, ChangeKind::Expunged { uid });
    }
}

/// Deletes those of `blobs` that no message references any more. On PostgreSQL the blob
/// rows are locked first (in id order), so two transactions dropping the last two
/// references at once cannot both see the other's reference and leak the blob.
pub(crate) async fn collect_blobs(w: &mut WriteTx, mut blobs: Vec<i64>) -> Result<()> {
    blobs.sort_unstable();
    blobs.dedup();
    let postgres = w.conn().dialect() == Dialect::Postgres;
    let max = BLOB_BATCHES[BLOB_BATCHES.len() - 1];
    for batch in blobs.chunks(max) {
        let n = BLOB_BATCHES
            .into_iter()
            .find(|&s| s >= batch.len())
            .unwrap_or(max);
        let last = batch.last().copied().unwrap_or(0);
        let args: Vec<Arg> = batch
            .iter()
            .copied()
            .chain(std::iter::repeat_n(last, n - batch.len()))
            .map(Arg::Int)
            .collect();
        let list: Vec<String> = (1..=n).map(|i| format!("${i}")).collect();
        let list = list.join(", ");
        if postgres {
            let lock = format!("SELECT id FROM blobs WHERE id IN ({list}) ORDER BY id FOR UPDATE");
            w.conn().fetch_all(&lock, &args).await?;
        }
        let sql = format!(
            "DELETE FROM blobs WHERE id IN ({list}) \
             AND NOT EXISTS (SELECT 1 FROM messages WHERE messages.blob_id = blobs.id)"
        );
        w.conn().execute(&sql, &args).await?;
    }
    Ok(())
}
