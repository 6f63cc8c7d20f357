//! Messages in and out: APPEND, the snapshot a SELECT starts from, \Recent claims, FETCH.
//!
//! UIDs are allocated by bumping `uidnext` in the same transaction that stores the message,
//! so UIDNEXT and the message commit together and a UID is never handed out twice, whatever
//! the number of connections, processes or instances (the row update serialises them).

use super::changes::WriteTx;
use super::db::{to_u32, Arg, Row};
use super::flags::{decode_flags, encode_keywords, normalize};
use super::mailboxes::decode_mailbox;
use super::uids::chunks;
use super::{
    ChangeKind, MailboxId, MessageData, NewMessage, Origin, Result, Snapshot, Store, StoreError,
    Want,
};
use crate::wire::types::ImapDateTime;

const META: &str = "m.uid, m.flags, m.keywords, m.internal_date, m.date_offset, m.size, \
                    m.size_known, m.stored_size";

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
            .ok_or_else(|| StoreError::NotFound(format!("selectable mailbox {mailbox}")))?;
        let next = row.i64(1)?;
        // The last UID handed out must still be a u32 (RFC 3501 §2.3.1.1: 32-bit UIDs).
        let first = to_u32(next - i64::from(n))
            .and_then(|f| to_u32(next - 1).map(|_| f))
            .map_err(|_| StoreError::Database(format!("mailbox {mailbox} has no UIDs left")))?;
        Ok((row.u32(0)?, first))
    }

    /// Stores a message with the next UID; returns (uidvalidity, uid).
    pub async fn append(
        &self,
        mailbox: MailboxId,
        message: NewMessage<'_>,
        origin: Origin,
    ) -> Result<(u32, u32)> {
        let json = |e: serde_json::Error| StoreError::Database(format!("cannot encode: {e}"));
        let envelope = serde_json::to_string(message.envelope).map_err(json)?;
        let body = serde_json::to_string(message.body).map_err(json)?;
        let keywords = encode_keywords(&normalize(&message.flags.keywords));
        let size = u32::try_from(message.raw.len())
            .map_err(|_| StoreError::Database("message larger than 4 GiB".into()))?;
        let mut w = self.write().await?;
        let (uidvalidity, uid) = self.allocate_uids(&mut w, mailbox, 1).await?;
        let blob = w
            .conn()
            .fetch_one(
                "INSERT INTO blobs (raw, header_len, envelope, body) VALUES ($1, $2, $3, $4) \
                 RETURNING id",
                &[
                    Arg::Bytes(message.raw),
                    Arg::Int(message.header_len.into()),
                    Arg::Text(&envelope),
                    Arg::Text(&body),
                ],
            )
            .await?
            .i64(0)?;
        let date = message.internal_date;
        let args = [
            Arg::Int(mailbox),
            Arg::Int(uid.into()),
            Arg::Int(blob),
            Arg::Int(message.flags.system.into()),
            Arg::Text(&keywords),
            Arg::Int(date.timestamp),
            Arg::Int(date.offset_minutes.into()),
            Arg::Int(size.into()),
            Arg::Int(message.size_known.into()),
            Arg::OptInt(message.stored_size.map(i64::from)),
        ];
        w.conn()
            .execute(
                "INSERT INTO messages (mailbox_id, uid, blob_id, flags, keywords, internal_date, \
                 date_offset, size, size_known, stored_size) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                &args,
            )
            .await?;
        w.log(mailbox, origin, ChangeKind::Appended { uid });
        w.finish(self.feed()).await?;
        Ok((uidvalidity, uid))
    }

    /// What a selecting session starts from. The feed position is read first, so anything
    /// committed while the rest is read is replayed by the session.
    pub async fn snapshot(&self, mailbox: MailboxId) -> Result<Snapshot> {
        let mut pooled = self.inner.db.acquire().await?;
        let mut conn = pooled.conn();
        let feed_position = conn
            .fetch_one("SELECT COALESCE(MAX(seq), 0) FROM changes", &[])
            .await?
            .i64(0)?;
        let id = [Arg::Int(mailbox)];
        let row = conn
            .fetch_optional(
                "SELECT id, user_id, name, uidvalidity, uidnext, selectable, recent_floor \
                 FROM mailboxes WHERE id = $1",
                &id,
            )
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("mailbox {mailbox}")))?;
        // One aggregated string instead of 100,000 rows through the driver.
        let list = conn
            .fetch_one(
                "SELECT string_agg(CAST(uid AS TEXT), ',' ORDER BY uid) FROM messages \
                 WHERE mailbox_id = $1",
                &id,
            )
            .await?
            .opt_text(0)?;
        let first_unseen_uid = conn
            .fetch_one(
                "SELECT MIN(uid) FROM messages WHERE mailbox_id = $1 AND (flags & 1) = 0",
                &id,
            )
            .await?
            .opt_u32(0)?;
        Ok(Snapshot {
            mailbox: decode_mailbox(&row)?,
            uids: parse_uid_list(list.as_deref().unwrap_or(""))?,
            first_unseen_uid,
            recent_floor: row.u32(6)?,
            feed_position,
        })
    }

    /// Atomically raises the mailbox's recent floor to `up_to` (exclusive) and returns the
    /// old floor: the caller owns \Recent for UIDs in `old..up_to`.
    pub async fn claim_recent(&self, mailbox: MailboxId, up_to: u32) -> Result<u32> {
        let mut w = self.write().await?;
        // A no-op write first: locks the row (PostgreSQL) and reads the floor under it.
        let old = w
            .conn()
            .fetch_optional(
                "UPDATE mailboxes SET recent_floor = recent_floor WHERE id = $1 \
                 RETURNING recent_floor",
                &[Arg::Int(mailbox)],
            )
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("mailbox {mailbox}")))?
            .u32(0)?;
        if up_to > old {
            w.conn()
                .execute(
                    "UPDATE mailboxes SET recent_floor = $1 WHERE id = $2",
                    &[Arg::Int(up_to.into()), Arg::Int(mailbox)],
                )
                .await?;
        }
        w.finish(self.feed()).await?;
        Ok(old)
    }

    /// Reads the given UIDs (ascending; missing ones are skipped) with what `want` asks.
    pub async fn fetch(
        &self,
        mailbox: MailboxId,
        uids: &[u32],
        want: Want,
    ) -> Result<Vec<MessageData>> {
        let mut columns = META.to_string();
        for (asked, column) in [
            (want.envelope, "b.envelope"),
            (want.body, "b.body"),
            (
                want.header,
                "substr(b.raw, 1, CAST(b.header_len AS INTEGER))",
            ),
            (want.raw, "b.raw"),
        ] {
            if asked {
                columns.push_str(", ");
                columns.push_str(column);
            }
        }
        let join = if want.envelope || want.body || want.header || want.raw {
            " JOIN blobs b ON b.id = m.blob_id"
        } else {
            ""
        };
        let mut pooled = self.inner.db.acquire().await?;
        let mut out = Vec::with_capacity(uids.len());
        for chunk in chunks(uids) {
            let sql = format!(
                "SELECT {columns} FROM messages m{join} WHERE m.mailbox_id = $1 AND {} \
                 ORDER BY m.uid",
                chunk.condition("m.uid", 2)
            );
            let mut args = vec![Arg::Int(mailbox)];
            args.extend(chunk.args());
            for row in pooled.conn().fetch_all(&sql, &args).await? {
                out.push(decode_message(&row, want)?);
            }
        }
        Ok(out)
    }
}

fn decode_message(row: &Row, want: Want) -> Result<MessageData> {
    let corrupt = |e: serde_json::Error| StoreError::Corrupt(format!("stored analysis: {e}"));
    let offset = row.i64(4)?;
    let mut data = MessageData {
        uid: row.u32(0)?,
        flags: decode_flags(row.i64(1)?, &row.text(2)?)?,
        internal_date: ImapDateTime {
            timestamp: row.i64(3)?,
            offset_minutes: i32::try_from(offset)
                .map_err(|_| StoreError::Corrupt(format!("zone offset {offset}")))?,
        },
        size: row.u32(5)?,
        size_known: row.i64(6)? != 0,
        stored_size: row.opt_u32(7)?,
        envelope: None,
        body: None,
        header: None,
        raw: None,
    };
    let mut i = 8;
    if want.envelope {
        data.envelope = Some(serde_json::from_str(&row.text(i)?).map_err(corrupt)?);
        i += 1;
    }
    if want.body {
        data.body = Some(serde_json::from_str(&row.text(i)?).map_err(corrupt)?);
        i += 1;
    }
    if want.header {
        data.header = Some(row.bytes(i)?);
        i += 1;
    }
    if want.raw {
        data.raw = Some(row.bytes(i)?);
    }
    Ok(data)
}

fn parse_uid_list(list: &str) -> Result<Vec<u32>> {
    if list.is_empty() {
        return Ok(Vec::new());
    }
    list.split(',')
        .map(|s| {
            s.parse::<u32>()
                .map_err(|_| StoreError::Corrupt(format!("uid {s:?}")))
        })
        .collect()
}
