//! Schema migrations, embedded in the binary (`include_str!`) so a deployment needs no
//! migration files and building needs no database.
//!
//! Runs once in `Store::open`, before anything else touches the database. Each backend has
//! its own directory under `migrations/` (`sqlite/`, `postgres/`), kept in step: same version
//! numbers, same tables, only dialect differences. sqlx's migrator records what it applied in
//! `_sqlx_migrations` and refuses a database whose applied scripts were edited afterwards.

use super::db::{Db, Dialect};
use super::{Result, StoreError};
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;

/// (version, description, SQLite script, PostgreSQL script). Append only.
const MIGRATIONS: &[(i64, &str, &str, &str)] = &[
    (
        1,
        "init",
        include_str!("../../migrations/sqlite/0001_init.sql"),
        include_str!("../../migrations/postgres/0001_init.sql"),
    ),
    (
        3,
        "ntlm",
        include_str!("../../migrations/sqlite/0003_ntlm.sql"),
        include_str!("../../migrations/postgres/0003_ntlm.sql"),
    ),
    (
        4,
        "external",
        include_str!("../../migrations/sqlite/0004_external.sql"),
        include_str!("../../migrations/postgres/0004_external.sql"),
    ),
];

/// The embedded scripts of one dialect, as a sqlx migration source.
#[derive(Debug)]
struct Embedded(Dialect);

type Resolved = std::result::Result<Vec<Migration>, sqlx::error::BoxDynError>;

impl MigrationSource<'static> for Embedded {
    fn resolve(self) -> Pin<Box<dyn Future<Output = Resolved> + Send>> {
        let migrations = MIGRATIONS
            .iter()
            .map(|&(version, description, sqlite, postgres)| {
                let sql = match self.0 {
                    Dialect::Sqlite => sqlite,
                    Dialect::Postgres => postgres,
                };
                Migration::new(
                    version,
                    Cow::Borrowed(description),
                    MigrationType::Simple,
                    Cow::Borrowed(sql),
                    false,
                )
            })
            .collect();
        Box::pin(async move { Ok(migrations) })
    }
}

/// Brings the schema up to date.
pub(crate) async fn run(db: &Db) -> Result<()> {
    let migrator = Migrator::new(Embedded(db.dialect()))
        .await
        .map_err(migrate_err)?;
    match db {
        Db::Sqlite { pool, .. } => migrator.run(pool).await,
        Db::Postgres(pool) => migrator.run(pool).await,
    }
    .map_err(migrate_err)
}

fn migrate_err(e: sqlx::migrate::MigrateError) -> StoreError {
    match e {
        sqlx::migrate::MigrateError::Execute(e) => super::db::db_err(e),
        other => StoreError::Database(format!("migration failed: {other}")),
    }
}
