//! `imap-mimic migrate --from URL --to URL`: moves a deployment between backends (usually
//! a SQLite data directory to PostgreSQL, for several instances on one database).

use crate::storage::Store;
use anyhow::Context;
use clap::Args;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The database to copy from: `sqlite:PATH` (e.g. `sqlite:imap-mimic-data/imap-mimic.db`)
    /// or `postgres://...`. It is only read.
    #[arg(long)]
    pub from: String,
    /// The database to copy into; its schema is created as needed and it must hold no users.
    #[arg(long)]
    pub to: String,
}

pub async fn run(args: MigrateArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        args.from != args.to,
        "--from and --to name the same database"
    );
    let from = Store::open(&args.from)
        .await
        .with_context(|| format!("cannot open the source database {}", args.from))?;
    let to = Store::open(&args.to)
        .await
        .with_context(|| format!("cannot open the destination database {}", args.to))?;
    let report = from
        .copy_into(&to)
        .await
        .context("the copy failed; the destination was left unchanged")?;
    for (table, rows) in &report.tables {
        println!("{table:>14}: {rows} rows");
    }
    println!("Copied {} into {}.", args.from, args.to);
    Ok(ExitCode::SUCCESS)
}
