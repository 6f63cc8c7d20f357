//! Copies a whole database into an empty one of either backend (`imap-mimic migrate`):
//! users, password hashes and sealed NT hashes, mailboxes with their UIDVALIDITY and
//! UIDNEXT, messages with their UIDs, flags and dates, subscriptions, and the import's
//! content hashes (so a re-run import after the move still skips what it stored). Ids and UIDs are kept,
//! so clients that cached UIDs see the same mailbox afterwards. The change log is not
//! copied: it only wakes sessions, and the destination starts with none.
//!
//! The destination is written in one transaction: a copy that fails half-way leaves it as
//! empty as it was.

use super::db::{Arg, Conn, Dialect, Row};
use super::{Result, Store, StoreError};

/// How a column is read and bound.
#[derive(Clone, Copy)]
enum Kind {
    Int,
    OptInt,
    Text,
    Bytes,
}

/// One table: its name, its columns and the column to page by (in dependency order).
struct Table {
    name: &'static str,
    columns: &'static [(&'static str, Kind)],
    /// Primary-key columns that order the copy (and page through big tables).
    order: &'static str,
    /// The PostgreSQL sequence behind an id column, advanced past the copied ids.
    sequence: Option<&'static str>,
}

use Kind::*;

/// Every table that holds data, parents before children.
const TABLES: &[Table] = &[
    Table {
        name: "users",
        columns: &[("id", Int), ("name", Text), ("password_hash", Text)],
        order: "id",
        sequence: Some("id"),
    },
    Table {
        name: "ntlm_secrets",
        columns: &[("user_id", Int), ("sealed", Bytes)],
        order: "user_id",
        sequence: None,
    },
    Table {
        name: "counters",
        columns: &[("name", Text), ("value", Int)],
        order: "name",
        sequence: None,
    },
    Table {
        name: "mailboxes",
        columns: &[
            ("id", Int),
            ("user_id", Int),
            ("name", Text),
            ("uidvalidity", Int),
            ("uidnext", Int),
            ("recent_floor", Int),
            ("selectable", Int),
        ],
        order: "id",
        sequence: Some("id"),
    },
    Table {
        name: "blobs",
        columns: &[
            ("id", Int),
            ("header", Bytes),
            ("text", Bytes),
            ("envelope", Text),
            ("body", Text),
        ],
        order: "id",
        sequence: Some("id"),
    },
    Table {
        name: "messages",
        columns: &[
            ("mailbox_id", Int),
            ("uid", Int),
            ("blob_id", Int),
            ("flags", Int),
            ("keywords", Text),
            ("internal_date", Int),
            ("date_offset", Int),
            ("size", Int),
            ("size_known", Int),
            ("stored_size", OptInt),
        ],
        order: "mailbox_id, uid",
        sequence: None,
    },
    Table {
        name: "import_hashes",
        columns: &[("mailbox_id", Int), ("hash", Text)],
        order: "mailbox_id, hash",
        sequence: None,
    },
    Table {
        name: "subscriptions",
        columns: &[("user_id", Int), ("name", Text)],
        order: "user_id, name",
        sequence: None,
    },
];

/// Rows read per page: bounds memory when blobs are large.
const PAGE: i64 = 500;

/// One copied value.
enum Value {
    Int(i64),
    OptInt(Option<i64>),
    Text(String),
    Bytes(Vec<u8>),
}

impl Value {
    fn read(row: &Row, i: usize, kind: Kind) -> Result<Value> {
        Ok(match kind {
            Int => Value::Int(row.i64(i)?),
            OptInt => Value::OptInt(row.opt_i64(i)?),
            Text => Value::Text(row.text(i)?),
            Bytes => Value::Bytes(row.bytes(i)?),
        })
    }

    fn arg(&self) -> Arg<'_> {
        match self {
            Value::Int(v) => Arg::Int(*v),
            Value::OptInt(v) => Arg::OptInt(*v),
            Value::Text(v) => Arg::Text(v),
            Value::Bytes(v) => Arg::Bytes(v),
        }
    }
}

/// Rows copied per table, in copy order.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct CopyReport {
    pub tables: Vec<(&'static str, u64)>,
}

impl Store {
    /// Copies everything in this store into `dest`, which must hold no users.
    pub async fn copy_into(&self, dest: &Store) -> Result<CopyReport> {
        if !dest.list_users().await?.is_empty() {
            return Err(StoreError::AlreadyExists(
                "data in the destination database (it has users; migrate only into an empty one)"
                    .into(),
            ));
        }
        let mut source = self.inner.db.acquire().await?;
        let mut tx = dest.inner.db.begin_write().await?;
        // The fresh schema's own counter row is replaced by the source's.
        tx.conn().execute("DELETE FROM counters", &[]).await?;
        let mut report = CopyReport::default();
        for table in TABLES {
            let rows = copy_table(&mut source.conn(), &mut tx.conn(), table).await?;
            report.tables.push((table.name, rows));
        }
        advance_sequences(&mut tx.conn()).await?;
        tx.commit().await?;
        Ok(report)
    }
}

async fn copy_table(from: &mut Conn<'_>, to: &mut Conn<'_>, table: &Table) -> Result<u64> {
    let names: Vec<&str> = table.columns.iter().map(|(n, _)| *n).collect();
    let select = format!(
        "SELECT {} FROM {} ORDER BY {} LIMIT {PAGE} OFFSET $1",
        names.join(", "),
        table.name,
        table.order
    );
    let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
    let insert = format!(
        "INSERT INTO {} ({}) VALUES ({})",
        table.name,
        names.join(", "),
        placeholders.join(", ")
    );
    let mut copied = 0u64;
    loop {
        let rows = from.fetch_all(&select, &[Arg::Int(copied as i64)]).await?;
        for row in &rows {
            let values = table
                .columns
                .iter()
                .enumerate()
                .map(|(i, (_, kind))| Value::read(row, i, *kind))
                .collect::<Result<Vec<_>>>()?;
            let args: Vec<Arg<'_>> = values.iter().map(Value::arg).collect();
            to.execute(&insert, &args).await?;
        }
        copied += rows.len() as u64;
        if (rows.len() as i64) < PAGE {
            return Ok(copied);
        }
    }
}

/// PostgreSQL's BIGSERIAL sequences do not see explicitly inserted ids: move each past the
/// highest copied id so the next user, mailbox or blob gets a fresh one. SQLite's
/// AUTOINCREMENT already continues after the largest id.
async fn advance_sequences(conn: &mut Conn<'_>) -> Result<()> {
    if conn.dialect() != Dialect::Postgres {
        return Ok(());
    }
    for table in TABLES {
        let Some(column) = table.sequence else {
            continue;
        };
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence('{0}', '{1}'), \
             COALESCE((SELECT MAX({1}) FROM {0}), 0) + 1, false)",
            table.name, column
        );
        conn.fetch_one(&sql, &[]).await?;
    }
    Ok(())
}
