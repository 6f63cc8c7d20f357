//! APPEND (and the UID allocation COPY shares).
//!
//! UIDs are allocated by bumping `uidnext` in the same transaction that stores the message,
//! so UIDNEXT and the message commit together and a UID is never handed out twice, whatever
//! the number of connections, processes or instances (the row update serialises them).
//!
//! On SQLite the whole APPEND is one multi-statement round trip to the driver's worker
//! thread (between BEGIN and COMMIT): thread handoffs, not SQLite, dominate the cost of a
//! small transaction there, and APPEND must sustain thousands per second. sqlx binds `$n`
//! to the n-th argument in every statement of the batch. PostgreSQL runs the same steps one
//! statement at a time (its protocol allows one statement per parameterised query).

use super::changes::{WriteTx, KIND_APPENDED};
use super::db::{to_u32, Arg, Dialect};
use super::flags::{encode_keywords, normalize};
use super::{ChangeKind, MailboxId, NewMessage, Origin, Result, Store, StoreError};

/// APPEND on SQLite in one batch: (uidvalidity, uid) from the first statement, the change
/// row's seq from the last. `last_insert_rowid()` is the blob just inserted (messages is
/// WITHOUT ROWID, so inserting there leaves it alone).
const SQLITE_APPEND: &str = "\
    UPDATE mailboxes SET uidnext = uidnext + 1 WHERE id = $1 AND selectable = 1 \
      RETURNING uidvalidity, uidnext - 1; \
    INSERT INTO blobs (header, text, envelope, body) VALUES ($2, $3, $4, $5); \
    INSERT INTO messages (mailbox_id, uid, blob_id, flags, keywords, internal_date, \
      date_offset, size, size_known, stored_size) \
      SELECT $1, uidnext - 1, last_insert_rowid(), $6, $7, $8, $9, $10, $11, $12 \
      FROM mailboxes WHERE id = $1; \
    INSERT INTO changes (mailbox_id, origin, kind, uid) \
      SELECT $1, $13, $14, uidnext - 1 FROM mailboxes WHERE id = $1 RETURNING seq";

impl Store {
    /// Reserves `n` UIDs in a selectable mailbox; returns (uidvalidity, first UID).
    pub(crate) async fn allocate_uids(
        &self,
        w: &mut WriteTx,
        mailbox: MailboxId,
        n: u32,
    ) -> Result<(u32, u32)> {
        let row = w
            .conn()
            .fetch_optional(
                "UPDATE mailboxes SET uidnext = uidnext + $2 WHERE id = $1 AND selectable = 1 \
                 RETURNING uidvalidity, uidnext",
                &[Arg::Int(mailbox), Arg::Int(n.into())],
            )
            .await?
            .ok_or_else(|| not_selectable(mailbox))?;
        let next = row.i64(1)?;
        Ok((row.u32(0)?, first_uid(mailbox, next, n)?))
    }

    /// Stores a message with the next UID; returns (uidvalidity, uid).
    pub async fn append(
        &self,
        mailbox: MailboxId,
        message: NewMessage<'_>,
        origin: Origin,
    ) -> Result<(u32, u32)> {
        let columns = Columns::of(&message)?;
        let args = columns.args(mailbox, &message);
        let mut w = self.write().await?;
        let appended = match w.conn().dialect() {
            Dialect::Sqlite => append_batch(&mut w, &args, origin).await?,
            Dialect::Postgres => self.append_stepwise(&mut w, &args, origin).await?,
        };
        w.finish(self.feed()).await?;
        Ok(appended)
    }

    /// APPEND one statement at a time, the change row queued for `finish` (PostgreSQL, and
    /// outside deliveries on either backend).
    pub(super) async fn append_stepwise(
        &self,
        w: &mut WriteTx,
        args: &[Arg<'_>; 12],
        origin: Origin,
    ) -> Result<(u32, u32)> {
        let Arg::Int(mailbox) = args[0] else {
            return Err(StoreError::Database("append: bad arguments".into()));
        };
        let (uidvalidity, uid) = self.allocate_uids(w, mailbox, 1).await?;
        let blob = w
            .conn()
            .fetch_one(
                "INSERT INTO blobs (header, text, envelope, body) VALUES ($1, $2, $3, $4) \
                 RETURNING id",
                &args[1..5],
            )
            .await?
            .i64(0)?;
        let mut message = vec![Arg::Int(mailbox), Arg::Int(uid.into()), Arg::Int(blob)];
        message.extend_from_slice(&args[5..]);
        w.conn()
            .execute(
                "INSERT INTO messages (mailbox_id, uid, blob_id, flags, keywords, \
                 internal_date, date_offset, size, size_known, stored_size) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                &message,
            )
            .await?;
        w.log(mailbox, origin, ChangeKind::Appended { uid });
        Ok((uidvalidity, uid))
    }
}

async fn append_batch(w: &mut WriteTx, args: &[Arg<'_>; 12], origin: Origin) -> Result<(u32, u32)> {
    let mut all = args.to_vec();
    all.push(Arg::OptInt(match origin {
        Origin::Session(id) => Some(id),
        Origin::External => None,
    }));
    all.push(Arg::Int(KIND_APPENDED));
    let rows = w.conn().fetch_all(SQLITE_APPEND, &all).await?;
    let Arg::Int(mailbox) = args[0] else {
        return Err(StoreError::Database("append: bad arguments".into()));
    };
    // Two rows: the mailbox update's and the change row's. Fewer: no selectable mailbox
    // (dropping `w` rolls the partial work back).
    let [updated, change] = rows.as_slice() else {
        return Err(not_selectable(mailbox));
    };
    let uid = first_uid(mailbox, updated.i64(1)? + 1, 1)?;
    w.wrote(change.i64(0)?);
    Ok((updated.u32(0)?, uid))
}

/// The first of `n` UIDs ending just below `next`; the last one must still be a u32
/// (RFC 3501 §2.3.1.1: UIDs are 32-bit).
fn first_uid(mailbox: MailboxId, next: i64, n: u32) -> Result<u32> {
    to_u32(next - i64::from(n))
        .and_then(|first| to_u32(next - 1).map(|_| first))
        .map_err(|_| StoreError::Database(format!("mailbox {mailbox} has no UIDs left")))
}

fn not_selectable(mailbox: MailboxId) -> StoreError {
    StoreError::NotFound(format!("selectable mailbox {mailbox}"))
}

/// The values a message is stored with, encoded once for either append path.
pub(super) struct Columns {
    envelope: String,
    body: String,
    keywords: String,
    size: u32,
}

impl Columns {
    pub(super) fn of(message: &NewMessage<'_>) -> Result<Columns> {
        let json = |e: serde_json::Error| StoreError::Database(format!("cannot encode: {e}"));
        Ok(Columns {
            envelope: serde_json::to_string(message.envelope).map_err(json)?,
            body: serde_json::to_string(message.body).map_err(json)?,
            keywords: encode_keywords(&normalize(&message.flags.keywords)),
            size: u32::try_from(message.raw.len())
                .map_err(|_| StoreError::Database("message larger than 4 GiB".into()))?,
        })
    }

    /// `$1..$12` in the order both append paths use them: the mailbox, the blob's header,
    /// text, envelope and body, then the message row's flags, keywords, date, sizes.
    pub(super) fn args<'a>(
        &'a self,
        mailbox: MailboxId,
        message: &'a NewMessage<'a>,
    ) -> [Arg<'a>; 12] {
        let split = usize::try_from(message.header_len)
            .map_or(message.raw.len(), |n| n.min(message.raw.len()));
        let (header, text) = message.raw.split_at(split);
        let date = message.internal_date;
        [
            Arg::Int(mailbox),
            Arg::Bytes(header),
            Arg::Bytes(text),
            Arg::Text(&self.envelope),
            Arg::Text(&self.body),
            Arg::Int(message.flags.system.into()),
            Arg::Text(&self.keywords),
            Arg::Int(date.timestamp),
            Arg::Int(date.offset_minutes.into()),
            Arg::Int(self.size.into()),
            Arg::Int(message.size_known.into()),
            Arg::OptInt(message.stored_size.map(i64::from)),
        ]
    }
}
