//! Keeps the in-process `Feed` up to date with changes other processes commit.
//!
//! In-process writes advance the feed themselves right after their commit (`WriteTx`). For
//! writes from elsewhere, `Store::open` spawns one watcher task: on SQLite it polls
//! `max(seq)` every 200 ms (a second process on the same file has no other way to tell us);
//! on PostgreSQL it LISTENs on `changes::CHANNEL` and re-reads `max(seq)` on every
//! notification and after every reconnect, so a notification lost while disconnected loses
//! nothing. The task ends when the last `Store` clone drops its `Watcher`. On SQLite the
//! same task also checkpoints the WAL, so writers do not pay for it.

use super::changes::CHANNEL;
use super::db::Db;
use super::{Feed, Result};
use sqlx::postgres::{PgListener, PgPool};
use std::time::Duration;
use tokio::sync::oneshot;

const POLL_INTERVAL: Duration = Duration::from_millis(200);
/// Polls between two background WAL checkpoints (SQLite).
const CHECKPOINT_EVERY: u64 = 5;
const RETRY_DELAY: Duration = Duration::from_secs(1);

/// Dropping it stops the watcher task.
#[derive(Debug)]
pub(crate) struct Watcher {
    _stop: oneshot::Sender<()>,
}

/// Spawns the watcher for `db` (needs a tokio runtime).
pub(crate) fn spawn(db: &Db, feed: Feed) -> Watcher {
    let (stop_tx, stop) = oneshot::channel();
    match db {
        Db::Sqlite { .. } => tokio::spawn(poll(db.clone(), feed, stop)),
        Db::Postgres(pool) => tokio::spawn(listen(pool.clone(), db.clone(), feed, stop)),
    };
    Watcher { _stop: stop_tx }
}

/// The position of the last committed change (0 for an empty log).
pub(crate) async fn max_seq(db: &Db) -> Result<i64> {
    let mut pooled = db.acquire().await?;
    pooled
        .conn()
        .fetch_one("SELECT COALESCE(MAX(seq), 0) FROM changes", &[])
        .await?
        .i64(0)
}

async fn catch_up(db: &Db, feed: &Feed) {
    match max_seq(db).await {
        Ok(position) => feed.advance(position),
        Err(e) => tracing::warn!(error = %e, "change feed: cannot read the log position"),
    }
}

async fn poll(db: Db, feed: Feed, mut stop: oneshot::Receiver<()>) {
    let mut tick = tokio::time::interval(POLL_INTERVAL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    for round in 0u64.. {
        tokio::select! {
            _ = &mut stop => return,
            _ = tick.tick() => catch_up(&db, &feed).await,
        }
        if round % CHECKPOINT_EVERY == 0 {
            checkpoint(&db).await;
        }
    }
}

/// Copies committed WAL frames into the database file off the write path: a writer that
/// checkpoints itself waits for two fsyncs, which halves APPEND throughput. PASSIVE never
/// blocks writers or readers; the WAL file is reused from the start once it has been
/// fully copied.
async fn checkpoint(db: &Db) {
    let result = match db.acquire().await {
        Ok(mut pooled) => pooled
            .conn()
            .fetch_all("PRAGMA wal_checkpoint(PASSIVE)", &[])
            .await
            .map(drop),
        Err(e) => Err(e),
    };
    if let Err(e) = result {
        tracing::warn!(error = %e, "sqlite: background checkpoint failed");
    }
}

async fn listen(pool: PgPool, db: Db, feed: Feed, mut stop: oneshot::Receiver<()>) {
    loop {
        let connected = tokio::select! {
            _ = &mut stop => return,
            l = connect(&pool) => l,
        };
        match connected {
            Ok(mut listener) => {
                // Whatever was committed while we were not listening.
                catch_up(&db, &feed).await;
                tokio::select! {
                    _ = &mut stop => return,
                    e = receive(&mut listener, &db, &feed) => {
                        tracing::warn!(error = %e, "change feed: listener failed, reconnecting");
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "change feed: cannot LISTEN, retrying"),
        }
        tokio::select! {
            _ = &mut stop => return,
            _ = tokio::time::sleep(RETRY_DELAY) => {}
        }
    }
}

async fn connect(pool: &PgPool) -> std::result::Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

/// Advances the feed on each notification until the listener fails for good.
async fn receive(listener: &mut PgListener, db: &Db, feed: &Feed) -> sqlx::Error {
    loop {
        match listener.try_recv().await {
            // The payload is not trusted as a position: the channel is database-wide, and
            // another schema's instances notify on it too.
            Ok(Some(_)) => {
                while listener.next_buffered().is_some() {}
                catch_up(db, feed).await;
            }
            // Connection lost and (eagerly) re-established: LISTEN is active again, so
            // reading the position now misses nothing.
            Ok(None) => catch_up(db, feed).await,
            Err(e) => return e,
        }
    }
}
