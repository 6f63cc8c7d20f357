//! Messages out: the snapshot a SELECT starts from, \Recent claims, FETCH.

use super::db::{Arg, Conn, Row};
use super::flags::decode_flags;
use super::mailboxes::decode_mailbox;
use super::uids::{chunks, UidChunk};
use super::{MailboxId, MessageData, Result, Snapshot, Store, StoreError, Want};
use crate::wire::types::ImapDateTime;

const META: &str = "m.uid, m.flags, m.keywords, m.internal_date, m.date_offset, m.size, \
                    m.size_known, m.stored_size";

/// Metadata of many messages as one text value, a line per message: per-row overhead in
/// the driver (a value copy per column, a channel send per row) is what makes a FETCH
/// FLAGS of 100,000 messages slow, not the query. Keywords go last: they contain spaces.
const META_LINES: &str = "SELECT string_agg(\
    CAST(uid AS TEXT) || ' ' || CAST(flags AS TEXT) || ' ' || CAST(internal_date AS TEXT) \
    || ' ' || CAST(date_offset AS TEXT) || ' ' || CAST(size AS TEXT) || ' ' \
    || CAST(size_known AS TEXT) || ' ' || COALESCE(CAST(stored_size AS TEXT), '') || ' ' \
    || keywords, $2) FROM messages WHERE mailbox_id = $1 AND {condition}";

impl Store {
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
        // One aggregated string instead of 100,000 rows through the driver. No ORDER BY:
        // SQLite scans the primary key in order anyway, and parse_uid_list sorts when a
        // backend (PostgreSQL) did not.
        let list = conn
            .fetch_one(
                "SELECT string_agg(CAST(uid AS TEXT), ',') FROM messages WHERE mailbox_id = $1",
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
        let mut pooled = self.inner.db.acquire().await?;
        let mut conn = pooled.conn();
        let mut out = Vec::with_capacity(uids.len());
        for chunk in chunks(uids) {
            if want == Want::default() {
                fetch_meta(&mut conn, mailbox, &chunk, &mut out).await?;
            } else {
                fetch_rows(&mut conn, mailbox, &chunk, want, &mut out).await?;
            }
        }
        Ok(out)
    }
}

async fn fetch_rows(
    conn: &mut Conn<'_>,
    mailbox: MailboxId,
    chunk: &UidChunk,
    want: Want,
    out: &mut Vec<MessageData>,
) -> Result<()> {
    let mut columns = META.to_string();
    for (asked, column) in [
        (want.envelope, "b.envelope"),
        (want.body, "b.body"),
        // The whole message is the header and the text: the header column serves both.
        (want.header || want.raw, "b.header"),
        (want.raw, "b.text"),
    ] {
        if asked {
            columns.push_str(", ");
            columns.push_str(column);
        }
    }
    let sql = format!(
        "SELECT {columns} FROM messages m JOIN blobs b ON b.id = m.blob_id \
         WHERE m.mailbox_id = $1 AND {} ORDER BY m.uid",
        chunk.condition("m.uid", 2)
    );
    let mut args = vec![Arg::Int(mailbox)];
    args.extend(chunk.args());
    for row in conn.fetch_all(&sql, &args).await? {
        out.push(decode_message(&row, want)?);
    }
    Ok(())
}

async fn fetch_meta(
    conn: &mut Conn<'_>,
    mailbox: MailboxId,
    chunk: &UidChunk,
    out: &mut Vec<MessageData>,
) -> Result<()> {
    let sql = META_LINES.replace("{condition}", &chunk.condition("uid", 3));
    let mut args = vec![Arg::Int(mailbox), Arg::Text("\n")];
    args.extend(chunk.args());
    let text = conn.fetch_one(&sql, &args).await?.opt_text(0)?;
    let start = out.len();
    for line in text
        .as_deref()
        .unwrap_or("")
        .split('\n')
        .filter(|l| !l.is_empty())
    {
        out.push(parse_meta_line(line)?);
    }
    // No ORDER BY in the query (it would cost SQLite a sort of what its primary key
    // already yields in order): sort here when a backend returned another order.
    if !out[start..].windows(2).all(|w| w[0].uid < w[1].uid) {
        out[start..].sort_unstable_by_key(|d| d.uid);
    }
    Ok(())
}

fn parse_meta_line(line: &str) -> Result<MessageData> {
    let corrupt = || StoreError::Corrupt(format!("message metadata {line:?}"));
    let mut f = line.splitn(8, ' ');
    let mut int = || -> Result<i64> { f.next().and_then(|v| v.parse().ok()).ok_or_else(corrupt) };
    let (uid, flags, date, offset, size, known) = (int()?, int()?, int()?, int()?, int()?, int()?);
    let stored = match f.next().ok_or_else(corrupt)? {
        "" => None,
        v => Some(v.parse::<u32>().map_err(|_| corrupt())?),
    };
    let keywords = f.next().ok_or_else(corrupt)?;
    let u32_of = |v: i64| u32::try_from(v).map_err(|_| corrupt());
    Ok(MessageData {
        uid: u32_of(uid)?,
        flags: decode_flags(flags, keywords)?,
        internal_date: ImapDateTime {
            timestamp: date,
            offset_minutes: i32::try_from(offset).map_err(|_| corrupt())?,
        },
        size: u32_of(size)?,
        size_known: known != 0,
        stored_size: stored,
        envelope: None,
        body: None,
        header: None,
        raw: None,
    })
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
    if want.header || want.raw {
        let header = row.bytes(i)?;
        if want.raw {
            data.raw = Some([header.as_slice(), &row.bytes(i + 1)?].concat());
        }
        data.header = want.header.then_some(header);
    }
    Ok(data)
}

fn parse_uid_list(list: &str) -> Result<Vec<u32>> {
    if list.is_empty() {
        return Ok(Vec::new());
    }
    let mut uids = list
        .split(',')
        .map(|s| {
            s.parse::<u32>()
                .map_err(|_| StoreError::Corrupt(format!("uid {s:?}")))
        })
        .collect::<Result<Vec<u32>>>()?;
    if !uids.windows(2).all(|w| w[0] < w[1]) {
        uids.sort_unstable();
    }
    Ok(uids)
}
