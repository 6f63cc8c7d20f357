//! The `imap-mimic` subcommands (clap). `anyhow` lives here and in `main.rs` only.

pub mod admin;
pub mod client_tls;
pub mod import;
pub mod inject;
pub mod migrate;
pub mod profile;
pub mod record;
pub mod replay;
pub mod serve;
pub mod user;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "imap-mimic",
    version,
    about = "An IMAP4rev1 server that behaves like a chosen Exchange version"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server.
    Serve(serve::ServeArgs),
    /// Manage users (add, list, remove, passwd).
    User(user::UserArgs),
    /// Inspect and validate profiles (list, show, check, diff, schema).
    Profile(profile::ProfileArgs),
    /// Copy every user, mailbox and message into an empty database (SQLite -> PostgreSQL).
    Migrate(migrate::MigrateArgs),
    /// Change a running server's mailboxes from outside IMAP, through its admin API.
    Inject(inject::InjectArgs),
    /// Import an mbox file, a Maildir or a directory of .eml files into a user's mailbox.
    Import(import::ImportArgs),
    /// Relay clients to an upstream IMAP server, recording each session as a transcript.
    Record(record::RecordArgs),
    /// Replay transcripts against a profile or a server (diffs, exit 1), or `--serve` one.
    Replay(replay::ReplayArgs),
}

/// Where the data lives, shared by every subcommand that opens the database.
#[derive(Debug, Clone, clap::Args)]
pub struct DataArgs {
    /// Data directory (SQLite database, generated certificate); created on first run.
    #[arg(
        long,
        global = true,
        default_value = "imap-mimic-data",
        env = "IMAP_MIMIC_DATA"
    )]
    pub data: PathBuf,
    /// Database URL (`sqlite:PATH` or `postgres://...`); defaults to SQLite in the data
    /// directory.
    #[arg(long, global = true, env = "IMAP_MIMIC_DATABASE")]
    pub database: Option<String>,
}

impl DataArgs {
    /// The database URL, creating the data directory for the SQLite default.
    pub fn database_url(&self) -> anyhow::Result<String> {
        if let Some(url) = &self.database {
            return Ok(url.clone());
        }
        std::fs::create_dir_all(&self.data).map_err(|e| {
            anyhow::anyhow!("cannot create data directory {}: {e}", self.data.display())
        })?;
        Ok(format!(
            "sqlite:{}",
            self.data.join("imap-mimic.db").display()
        ))
    }

    /// The key sealing NT hashes (`DATA/ntlm.key`, created on first use, or
    /// `IMAP_MIMIC_NTLM_KEY`). Every instance sharing a database needs the same key.
    pub fn ntlm_key(&self) -> anyhow::Result<crate::ntlm::secret::SealingKey> {
        std::fs::create_dir_all(&self.data)?;
        Ok(crate::ntlm::secret::SealingKey::load_or_create(
            &self.data.join("ntlm.key"),
        )?)
    }

    pub async fn open(&self) -> anyhow::Result<crate::storage::Store> {
        let url = self.database_url()?;
        crate::storage::Store::open(&url)
            .await
            .map_err(|e| anyhow::anyhow!("cannot open database {url}: {e}"))
    }
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    if let Command::Profile(args) = cli.command {
        return profile::run(args);
    }
    if let Command::Inject(args) = cli.command {
        return inject::run(args);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        match cli.command {
            Command::Serve(args) => serve::run(args).await,
            Command::User(args) => user::run(args).await,
            Command::Migrate(args) => migrate::run(args).await,
            Command::Import(args) => import::run(args).await,
            Command::Profile(_) | Command::Inject(_) => {
                unreachable!("handled before the runtime starts")
            }
            Command::Record(args) => record::run(args).await,
            Command::Replay(args) => replay::run(args).await,
        }
    })
}
