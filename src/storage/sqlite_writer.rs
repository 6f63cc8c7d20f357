//! SQLite's one writer: a dedicated connection behind an async mutex.
//!
//! SQLite allows one write transaction at a time, so in-process writers queue on the mutex
//! instead of spinning on SQLITE_BUSY inside the driver. Holding a connection of its own
//! (rather than taking one from the pool) also saves the pool's per-release ping, a round
//! trip to the driver's worker thread that would otherwise follow every APPEND.
//!
//! Transactions start with `BEGIN IMMEDIATE` (the write lock at once, so a read-then-write
//! transaction never fails on a lock upgrade against another process). A transaction
//! dropped before its commit (an error, a cancelled task) is rolled back by whoever locks
//! the writer next: a task spawned by the drop, so that another process is not kept
//! waiting on the file lock, or the next in-process writer, whichever comes first.

use super::db::db_err;
use super::Result;
use sqlx::sqlite::SqliteConnection;
use sqlx::Executor;
use std::sync::Arc;
use tokio::sync::{Mutex, OwnedMutexGuard};

#[derive(Debug)]
pub(crate) struct Writer {
    conn: SqliteConnection,
    /// A transaction was begun and neither committed nor rolled back.
    open: bool,
}

/// An open write transaction on the writer connection.
#[derive(Debug)]
pub(crate) struct WriterTx {
    guard: OwnedMutexGuard<Writer>,
    writer: Arc<Mutex<Writer>>,
}

pub(crate) fn new(conn: SqliteConnection) -> Arc<Mutex<Writer>> {
    Arc::new(Mutex::new(Writer { conn, open: false }))
}

pub(crate) async fn begin(writer: &Arc<Mutex<Writer>>) -> Result<WriterTx> {
    let mut guard = writer.clone().lock_owned().await;
    rollback_if_open(&mut guard).await;
    // Marked open before the await, and left so on error: if this future is dropped after
    // the driver received BEGIN, or BEGIN failed for a reason we cannot see, a transaction
    // may be open all the same (a needless ROLLBACK fails harmlessly).
    guard.open = true;
    guard
        .conn
        .execute("BEGIN IMMEDIATE")
        .await
        .map_err(db_err)?;
    Ok(WriterTx {
        guard,
        writer: writer.clone(),
    })
}

async fn rollback_if_open(writer: &mut Writer) {
    if !writer.open {
        return;
    }
    // Fails harmlessly when SQLite already rolled back by itself (some errors do).
    if let Err(e) = writer.conn.execute("ROLLBACK").await {
        tracing::debug!(error = %e, "sqlite: rollback");
    }
    writer.open = false;
}

impl WriterTx {
    pub(crate) fn conn(&mut self) -> &mut SqliteConnection {
        &mut self.guard.conn
    }

    pub(crate) async fn commit(mut self) -> Result<()> {
        self.guard.conn.execute("COMMIT").await.map_err(db_err)?;
        self.guard.open = false;
        Ok(())
    }
}

impl Drop for WriterTx {
    fn drop(&mut self) {
        if !self.guard.open {
            return;
        }
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let writer = self.writer.clone();
            runtime.spawn(async move { rollback_if_open(&mut *writer.lock().await).await });
        }
    }
}
