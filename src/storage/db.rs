//! The two backends behind one small query interface: `Db` (a pool), `Conn` (a borrowed
//! connection), `Arg` (a bound value) and `Row` (a result row).
//!
//! We chose an enum over `SqlitePool` / `PgPool` rather than sqlx's `Any` driver: rows stay
//! native (no per-value copy into `AnyValue`), each backend gets its own connect options
//! (WAL, `synchronous`, busy timeout; LISTEN/NOTIFY needs a real `PgPool`), and integer
//! decoding follows each driver's own rules instead of Any's narrower ones. The dispatch is
//! a `match` written once per primitive here (`both!`); the rest of the storage code is
//! backend-agnostic SQL text with `$n` placeholders, which both drivers accept.

use super::{sqlite_writer, Result, StoreError};
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions, PgRow};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteRow, SqliteSynchronous,
};
use sqlx::{ConnectOptions, Postgres, Row as _, Sqlite, Transaction};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;

/// How long a SQLite connection waits for another process's write lock.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);
const SQLITE_CONNECTIONS: u32 = 8;
const SQLITE_ROW_BUFFER: usize = 4096;
const SQLITE_AUTOCHECKPOINT_PAGES: &str = "16384";
const POSTGRES_CONNECTIONS: u32 = 16;
/// How long a command waits for a connection while the database is away before it is
/// answered `NO` (the profile's storage-unavailable text) rather than hanging.
const POSTGRES_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

/// Which SQL dialect a connection speaks, for the few statements that differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub(crate) enum Db {
    /// Readers share the pool; writes go through the one writer connection.
    Sqlite {
        pool: SqlitePool,
        writer: Arc<Mutex<sqlite_writer::Writer>>,
    },
    Postgres(PgPool),
}

/// A value bound to a `$n` placeholder.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Arg<'a> {
    Int(i64),
    OptInt(Option<i64>),
    Text(&'a str),
    OptText(Option<&'a str>),
    Bytes(&'a [u8]),
}

/// A connection borrowed from a pool or a transaction.
pub(crate) enum Conn<'c> {
    Sqlite(&'c mut SqliteConnection),
    Postgres(&'c mut PgConnection),
}

pub(crate) enum PooledConn {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

pub(crate) enum Tx {
    Sqlite(sqlite_writer::WriterTx),
    Postgres(Transaction<'static, Postgres>),
}

pub(crate) enum Row {
    Sqlite(SqliteRow),
    Postgres(PgRow),
}

/// Runs `$body` with `$c` bound to the native value of whichever variant `$e` holds.
macro_rules! both {
    ($e:expr, $ty:ident, $c:ident => $body:expr) => {
        match $e {
            $ty::Sqlite($c) => $body,
            $ty::Postgres($c) => $body,
        }
    };
}

/// Binds every `Arg` to a native query; expanded per backend so the types resolve there.
macro_rules! bind_all {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for arg in $args {
            q = match *arg {
                Arg::Int(v) => q.bind(v),
                Arg::OptInt(v) => q.bind(v),
                Arg::Text(v) => q.bind(v),
                Arg::OptText(v) => q.bind(v),
                Arg::Bytes(v) => q.bind(v),
            };
        }
        q
    }};
}

impl Db {
    /// Connects to `sqlite:PATH` (created if missing) or `postgres://...`.
    pub(crate) async fn connect(url: &str) -> Result<Db> {
        let bad_url = |e: sqlx::Error| StoreError::Database(format!("invalid database URL: {e}"));
        if url.starts_with("sqlite:") {
            // WAL: readers never block the writer. NORMAL: a commit survives a crash of
            // the process (SIGKILL), though not necessarily a power cut.
            let options = SqliteConnectOptions::from_str(url)
                .map_err(bad_url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(SQLITE_BUSY_TIMEOUT)
                // Rows cross from the driver's worker thread in batches: a small buffer
                // means a thread handoff every few rows of a 100,000-row FETCH.
                .row_buffer_size(SQLITE_ROW_BUFFER)
                // Checkpoints (and their fsyncs) run in the background (`feed`); a writer
                // only checkpoints itself if the WAL grows past this many pages.
                .pragma("wal_autocheckpoint", SQLITE_AUTOCHECKPOINT_PAGES);
            let pool = SqlitePoolOptions::new()
                .max_connections(SQLITE_CONNECTIONS)
                // A local file does not go stale; the ping would cost a round trip to the
                // worker thread on every acquire.
                .test_before_acquire(false)
                .connect_with(options.clone())
                .await
                .map_err(db_err)?;
            let writer = sqlite_writer::new(options.connect().await.map_err(db_err)?);
            Ok(Db::Sqlite { pool, writer })
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url).map_err(bad_url)?;
            let pool = PgPoolOptions::new()
                .max_connections(POSTGRES_CONNECTIONS)
                .acquire_timeout(POSTGRES_ACQUIRE_TIMEOUT)
                .connect_with(options)
                .await
                .map_err(db_err)?;
            Ok(Db::Postgres(pool))
        } else {
            // Not the URL itself: it may hold a password.
            Err(StoreError::Database(
                "unsupported database URL: expected sqlite:PATH or postgres://...".into(),
            ))
        }
    }

    pub(crate) fn dialect(&self) -> Dialect {
        match self {
            Db::Sqlite { .. } => Dialect::Sqlite,
            Db::Postgres(_) => Dialect::Postgres,
        }
    }

    pub(crate) async fn acquire(&self) -> Result<PooledConn> {
        Ok(match self {
            Db::Sqlite { pool, .. } => PooledConn::Sqlite(pool.acquire().await.map_err(db_err)?),
            Db::Postgres(p) => PooledConn::Postgres(p.acquire().await.map_err(db_err)?),
        })
    }

    /// Starts a write transaction (on SQLite: queues for the one writer, see
    /// `sqlite_writer`).
    pub(crate) async fn begin_write(&self) -> Result<Tx> {
        Ok(match self {
            Db::Sqlite { writer, .. } => Tx::Sqlite(sqlite_writer::begin(writer).await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await.map_err(db_err)?),
        })
    }
}

impl PooledConn {
    pub(crate) fn conn(&mut self) -> Conn<'_> {
        both!(self, PooledConn, c => Conn::from(&mut **c))
    }
}

impl Tx {
    pub(crate) fn conn(&mut self) -> Conn<'_> {
        match self {
            Tx::Sqlite(t) => Conn::Sqlite(t.conn()),
            Tx::Postgres(t) => Conn::Postgres(t),
        }
    }

    pub(crate) async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await,
            Tx::Postgres(t) => t.commit().await.map_err(db_err),
        }
    }
}

impl<'c> From<&'c mut SqliteConnection> for Conn<'c> {
    fn from(c: &'c mut SqliteConnection) -> Self {
        Conn::Sqlite(c)
    }
}

impl<'c> From<&'c mut PgConnection> for Conn<'c> {
    fn from(c: &'c mut PgConnection) -> Self {
        Conn::Postgres(c)
    }
}

impl Conn<'_> {
    pub(crate) fn dialect(&self) -> Dialect {
        match self {
            Conn::Sqlite(_) => Dialect::Sqlite,
            Conn::Postgres(_) => Dialect::Postgres,
        }
    }

    /// Runs a statement; returns the number of rows it changed.
    pub(crate) async fn execute(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<u64> {
        both!(self, Conn, c => {
            let q = bind_all!(sqlx::query(sql), args);
            q.execute(&mut **c).await.map(|r| r.rows_affected()).map_err(db_err)
        })
    }

    pub(crate) async fn fetch_all(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<Vec<Row>> {
        both!(self, Conn, c => {
            let q = bind_all!(sqlx::query(sql), args);
            let rows = q.fetch_all(&mut **c).await.map_err(db_err)?;
            Ok(rows.into_iter().map(Row::from).collect())
        })
    }

    pub(crate) async fn fetch_optional(
        &mut self,
        sql: &str,
        args: &[Arg<'_>],
    ) -> Result<Option<Row>> {
        both!(self, Conn, c => {
            let q = bind_all!(sqlx::query(sql), args);
            Ok(q.fetch_optional(&mut **c).await.map_err(db_err)?.map(Row::from))
        })
    }

    /// A statement that must return a row (an aggregate, `RETURNING` of an insert).
    pub(crate) async fn fetch_one(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<Row> {
        self.fetch_optional(sql, args)
            .await?
            .ok_or_else(|| StoreError::Database(format!("no row returned by: {sql}")))
    }
}

impl From<SqliteRow> for Row {
    fn from(r: SqliteRow) -> Self {
        Row::Sqlite(r)
    }
}

impl From<PgRow> for Row {
    fn from(r: PgRow) -> Self {
        Row::Postgres(r)
    }
}

impl Row {
    pub(crate) fn opt_i64(&self, i: usize) -> Result<Option<i64>> {
        both!(self, Row, r => r.try_get::<Option<i64>, _>(i).map_err(decode_err))
    }

    pub(crate) fn i64(&self, i: usize) -> Result<i64> {
        self.opt_i64(i)?
            .ok_or_else(|| StoreError::Corrupt(format!("unexpected NULL in column {i}")))
    }

    /// An integer column that must fit a u32 (UIDs, sizes, UIDVALIDITY).
    pub(crate) fn u32(&self, i: usize) -> Result<u32> {
        to_u32(self.i64(i)?)
    }

    pub(crate) fn opt_u32(&self, i: usize) -> Result<Option<u32>> {
        self.opt_i64(i)?.map(to_u32).transpose()
    }

    pub(crate) fn opt_text(&self, i: usize) -> Result<Option<String>> {
        both!(self, Row, r => r.try_get::<Option<String>, _>(i).map_err(decode_err))
    }

    pub(crate) fn text(&self, i: usize) -> Result<String> {
        self.opt_text(i)?
            .ok_or_else(|| StoreError::Corrupt(format!("unexpected NULL in column {i}")))
    }

    pub(crate) fn bytes(&self, i: usize) -> Result<Vec<u8>> {
        both!(self, Row, r => r.try_get::<Option<Vec<u8>>, _>(i).map_err(decode_err))?
            .ok_or_else(|| StoreError::Corrupt(format!("unexpected NULL in column {i}")))
    }
}

pub(crate) fn to_u32(v: i64) -> Result<u32> {
    u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("{v} is out of range")))
}

fn decode_err(e: sqlx::Error) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

/// Maps a driver error: connection trouble is `Unavailable` (the caller may retry later), a
/// unique violation is `AlreadyExists` (with the database's text; callers that know the
/// colliding name put it in), anything else is `Database`.
pub(crate) fn db_err(e: sqlx::Error) -> StoreError {
    use sqlx::Error as E;
    match &e {
        E::Io(_) | E::Tls(_) | E::PoolTimedOut | E::PoolClosed | E::WorkerCrashed => {
            StoreError::Unavailable(e.to_string())
        }
        E::Database(d) if is_unavailable_code(d.code().as_deref()) => {
            StoreError::Unavailable(e.to_string())
        }
        E::Database(d) if d.is_unique_violation() => StoreError::AlreadyExists(d.to_string()),
        E::ColumnDecode { .. } | E::Decode(_) => StoreError::Corrupt(e.to_string()),
        _ => StoreError::Database(e.to_string()),
    }
}

/// SQLite BUSY / LOCKED (after the busy timeout), PostgreSQL connection exceptions
/// (class 08), shutdown (57P0x) and too many connections (53300).
fn is_unavailable_code(code: Option<&str>) -> bool {
    match code {
        Some("5") | Some("6") | Some("53300") => true,
        Some(c) => c.starts_with("08") || c.starts_with("57P0"),
        None => false,
    }
}
