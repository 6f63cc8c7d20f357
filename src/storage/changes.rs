//! Write transactions and the change log they append to.
//!
//! Every mutation runs in a `WriteTx`: it does its work, queues its changes with `log` /
//! `log_range`, and `finish` writes the queued rows, commits, then advances the in-process
//! feed. Sessions read the log with `Store::changes_since`.
//!
//! Why the rows are queued to the end: the feed position is "every change up to seq N is
//! committed", so sequence numbers must become visible in order. SQLite has one writer, so
//! that holds by itself. PostgreSQL hands out BIGSERIAL values at insert time, so two
//! transactions could commit out of order; `finish` therefore takes a transaction-scoped
//! advisory lock right before inserting the rows and holds it to the commit. Taking it last,
//! after every row lock, keeps it out of any lock cycle.

use super::db::{Arg, Conn, Dialect, Row, Tx};
use super::flags::{decode_flags, encode_keywords};
use super::{Change, ChangeKind, Feed, MailboxId, Origin, Result, Store, StoreError};

/// Change rows read per query by `changes_since`.
const CHANGES_PAGE: i64 = 4096;

/// The NOTIFY channel other imap-mimic instances LISTEN on.
pub(crate) const CHANNEL: &str = "imap_mimic_changes";
/// Key of the advisory lock that orders commits of change rows on PostgreSQL.
const LOG_LOCK_KEY: i64 = 0x696d_6170_6d69_6d69;

pub(crate) const KIND_APPENDED: i64 = 1;
const KIND_EXPUNGED: i64 = 2;
const KIND_FLAGS: i64 = 3;
const KIND_GONE: i64 = 4;
const KIND_UIDVALIDITY: i64 = 5;

const INSERT_COLUMNS: &str =
    "INSERT INTO changes (mailbox_id, origin, kind, uid, flags, keywords, uidvalidity) ";

enum Pending {
    One(MailboxId, Origin, ChangeKind),
    /// Every message of `mailbox` with a UID in `lo..=hi`, as it is at commit time:
    /// `Appended` (flags = false) or `Flags` (flags = true). Written set-based.
    Range {
        mailbox: MailboxId,
        origin: Origin,
        flags: bool,
        lo: u32,
        hi: u32,
    },
}

pub(crate) struct WriteTx {
    tx: Tx,
    pending: Vec<Pending>,
    /// The last change row the transaction inserted itself (see `wrote`).
    written: Option<i64>,
}

impl Store {
    /// Starts a write transaction.
    pub(crate) async fn write(&self) -> Result<WriteTx> {
        let tx = self.inner.db.begin_write().await?;
        Ok(WriteTx {
            tx,
            pending: Vec::new(),
            written: None,
        })
    }

    /// Changes of one mailbox after `position`, in order. Read a page at a time: a STORE
    /// over a 100,000-message mailbox logs 100,000 changes, and raw rows cost several times
    /// their decoded size.
    pub async fn changes_since(&self, mailbox: MailboxId, position: i64) -> Result<Vec<Change>> {
        let mut pooled = self.inner.db.acquire().await?;
        let mut changes = Vec::new();
        let mut after = position;
        loop {
            let rows = pooled
                .conn()
                .fetch_all(
                    "SELECT seq, mailbox_id, origin, kind, uid, flags, keywords, uidvalidity \
                     FROM changes WHERE mailbox_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
                    &[Arg::Int(mailbox), Arg::Int(after), Arg::Int(CHANGES_PAGE)],
                )
                .await?;
            for row in &rows {
                let change = decode_change(row)?;
                after = change.seq;
                changes.push(change);
            }
            if (rows.len() as i64) < CHANGES_PAGE {
                return Ok(changes);
            }
        }
    }
}

impl WriteTx {
    pub(crate) fn conn(&mut self) -> Conn<'_> {
        self.tx.conn()
    }

    pub(crate) fn log(&mut self, mailbox: MailboxId, origin: Origin, kind: ChangeKind) {
        self.pending.push(Pending::One(mailbox, origin, kind));
    }

    /// Queues one change per message in `lo..=hi`: `Flags` (with the flags it has at commit)
    /// when `flags`, else `Appended`.
    pub(crate) fn log_range(
        &mut self,
        mailbox: MailboxId,
        origin: Origin,
        flags: bool,
        lo: u32,
        hi: u32,
    ) {
        self.pending.push(Pending::Range {
            mailbox,
            origin,
            flags,
            lo,
            hi,
        });
    }

    /// Records that the transaction inserted change row `seq` itself, in a statement of
    /// its own making (APPEND's single round trip on SQLite). Only for SQLite: its single
    /// writer keeps sequence numbers in commit order without `finish`'s lock.
    pub(crate) fn wrote(&mut self, seq: i64) {
        debug_assert_eq!(self.tx.conn().dialect(), Dialect::Sqlite);
        self.written = self.written.max(Some(seq));
    }

    /// Writes the queued changes, commits, and wakes the in-process feed.
    pub(crate) async fn finish(mut self, feed: &Feed) -> Result<()> {
        let pending = std::mem::take(&mut self.pending);
        let position = if pending.is_empty() {
            self.written
        } else {
            Some(write_changes(&mut self.tx.conn(), pending).await?)
        };
        self.tx.commit().await?;
        if let Some(position) = position {
            feed.advance(position);
        }
        Ok(())
    }
}

/// Inserts the rows and returns the new feed position (our last sequence number).
async fn write_changes(conn: &mut Conn<'_>, pending: Vec<Pending>) -> Result<i64> {
    if conn.dialect() == Dialect::Postgres {
        // NOTIFY is delivered at commit, so it can go out with the lock.
        conn.execute(
            "SELECT pg_advisory_xact_lock($1), pg_notify($2, '')",
            &[Arg::Int(LOG_LOCK_KEY), Arg::Text(CHANNEL)],
        )
        .await?;
    }
    let mut rows: Vec<(MailboxId, Origin, ChangeKind)> = Vec::new();
    // The seq of the last row inserted, when known without asking (RETURNING).
    let mut last = None;
    for p in pending {
        match p {
            Pending::One(mailbox, origin, kind) => rows.push((mailbox, origin, kind)),
            Pending::Range {
                mailbox,
                origin,
                flags,
                lo,
                hi,
            } => {
                // Keep the log in queue order: flush single rows queued before this range.
                insert_rows(conn, &std::mem::take(&mut rows)).await?;
                insert_range(conn, mailbox, origin, flags, lo, hi).await?;
                last = None;
            }
        }
    }
    if !rows.is_empty() {
        last = insert_rows(conn, &rows).await?;
    }
    match last {
        Some(seq) => Ok(seq),
        None => conn
            .fetch_one("SELECT COALESCE(MAX(seq), 0) FROM changes", &[])
            .await?
            .i64(0),
    }
}

async fn insert_range(
    conn: &mut Conn<'_>,
    mailbox: MailboxId,
    origin: Origin,
    flags: bool,
    lo: u32,
    hi: u32,
) -> Result<()> {
    let sql = if flags {
        "SELECT mailbox_id, $1, $2, uid, flags, keywords, CAST(NULL AS BIGINT) FROM messages \
         WHERE mailbox_id = $3 AND uid BETWEEN $4 AND $5 ORDER BY uid"
    } else {
        "SELECT mailbox_id, $1, $2, uid, CAST(NULL AS BIGINT), CAST(NULL AS TEXT), \
         CAST(NULL AS BIGINT) FROM messages \
         WHERE mailbox_id = $3 AND uid BETWEEN $4 AND $5 ORDER BY uid"
    };
    let kind = if flags { KIND_FLAGS } else { KIND_APPENDED };
    let args = [
        Arg::OptInt(origin_value(origin)),
        Arg::Int(kind),
        Arg::Int(mailbox),
        Arg::Int(lo.into()),
        Arg::Int(hi.into()),
    ];
    conn.execute(&format!("{INSERT_COLUMNS}{sql}"), &args)
        .await?;
    Ok(())
}

/// Multi-row inserts in a few fixed batch sizes, so the statement cache stays small. Not
/// larger: binding costs sqlx-sqlite time quadratic in the number of placeholders of a
/// statement (it looks each `$n` up by name).
/// Returns the highest sequence number inserted.
async fn insert_rows(
    conn: &mut Conn<'_>,
    rows: &[(MailboxId, Origin, ChangeKind)],
) -> Result<Option<i64>> {
    let mut last = None;
    let mut rest = rows;
    while !rest.is_empty() {
        let n = [32, 4, 1]
            .into_iter()
            .find(|&n| n <= rest.len())
            .unwrap_or(1);
        let (batch, tail) = rest.split_at(n);
        rest = tail;
        let encoded: Vec<_> = batch.iter().map(|(m, o, k)| encode(*m, *o, k)).collect();
        let mut args = Vec::with_capacity(n * 7);
        for e in &encoded {
            args.extend([
                Arg::Int(e.mailbox),
                Arg::OptInt(e.origin),
                Arg::Int(e.kind),
                Arg::OptInt(e.uid),
                Arg::OptInt(e.flags),
                Arg::OptText(e.keywords.as_deref()),
                Arg::OptInt(e.uidvalidity),
            ]);
        }
        for row in conn.fetch_all(&insert_sql(n), &args).await? {
            last = last.max(Some(row.i64(0)?));
        }
    }
    Ok(last)
}

fn insert_sql(rows: usize) -> String {
    let values: Vec<String> = (0..rows)
        .map(|r| {
            let p: Vec<String> = (1..=7).map(|c| format!("${}", r * 7 + c)).collect();
            format!("({})", p.join(", "))
        })
        .collect();
    format!("{INSERT_COLUMNS}VALUES {} RETURNING seq", values.join(", "))
}

struct Encoded {
    mailbox: i64,
    origin: Option<i64>,
    kind: i64,
    uid: Option<i64>,
    flags: Option<i64>,
    keywords: Option<String>,
    uidvalidity: Option<i64>,
}

fn encode(mailbox: MailboxId, origin: Origin, kind: &ChangeKind) -> Encoded {
    let mut e = Encoded {
        mailbox,
        origin: origin_value(origin),
        kind: 0,
        uid: None,
        flags: None,
        keywords: None,
        uidvalidity: None,
    };
    match kind {
        ChangeKind::Appended { uid } => (e.kind, e.uid) = (KIND_APPENDED, Some((*uid).into())),
        ChangeKind::Expunged { uid } => (e.kind, e.uid) = (KIND_EXPUNGED, Some((*uid).into())),
        ChangeKind::Flags { uid, flags } => {
            (e.kind, e.uid) = (KIND_FLAGS, Some((*uid).into()));
            e.flags = Some(flags.system.into());
            e.keywords = Some(encode_keywords(&flags.keywords));
        }
        ChangeKind::MailboxGone => e.kind = KIND_GONE,
        ChangeKind::UidValidity { uidvalidity } => {
            (e.kind, e.uidvalidity) = (KIND_UIDVALIDITY, Some((*uidvalidity).into()));
        }
    }
    e
}

fn origin_value(origin: Origin) -> Option<i64> {
    match origin {
        Origin::Session(id) => Some(id),
        Origin::External => None,
    }
}

fn decode_change(row: &Row) -> Result<Change> {
    let uid = || {
        row.opt_u32(4)?
            .ok_or_else(|| StoreError::Corrupt("change without uid".into()))
    };
    let kind = match row.i64(3)? {
        KIND_APPENDED => ChangeKind::Appended { uid: uid()? },
        KIND_EXPUNGED => ChangeKind::Expunged { uid: uid()? },
        KIND_FLAGS => ChangeKind::Flags {
            uid: uid()?,
            flags: decode_flags(row.i64(5)?, &row.text(6)?)?,
        },
        KIND_GONE => ChangeKind::MailboxGone,
        KIND_UIDVALIDITY => ChangeKind::UidValidity {
            uidvalidity: row.u32(7)?,
        },
        other => return Err(StoreError::Corrupt(format!("unknown change kind {other}"))),
    };
    Ok(Change {
        seq: row.i64(0)?,
        mailbox_id: row.i64(1)?,
        origin: row.opt_i64(2)?.map_or(Origin::External, Origin::Session),
        kind,
    })
}
