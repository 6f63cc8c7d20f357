//! `imap-mimic import --user U [--mailbox M] PATH`: loads an mbox, a Maildir or a
//! directory of .eml files straight into the database (no server needed), with a progress
//! bar on a terminal. Each message is stored with its content hash in one transaction, so
//! a re-run skips what is already there and an interruption leaves nothing half-stored.

use super::DataArgs;
use crate::import::{self, Item};
use crate::storage::{Mailbox, NewMessage, Store, User};
use anyhow::Context;
use clap::Args;
use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// The user whose mailboxes receive the messages.
    #[arg(long)]
    pub user: String,
    /// Target mailbox (created when missing); Maildir subfolders go below it, or at the top
    /// level for INBOX.
    #[arg(long, default_value = "INBOX")]
    pub mailbox: String,
    /// An mbox file, a Maildir, or a directory of .eml files.
    pub path: PathBuf,
}

/// What an import did.
#[derive(Debug, Default)]
struct Tally {
    imported: usize,
    duplicates: usize,
}

pub async fn run(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let read =
        import::read(&args.path).with_context(|| format!("cannot read {}", args.path.display()))?;
    let store = args.data.open().await?;
    let user = store
        .user_by_name(&args.user)
        .await?
        .with_context(|| format!("no user named {:?}", args.user))?;
    let target = crate::admin::canonical(&args.mailbox);
    let bar = progress(read.items.len() as u64);
    let mut mailboxes = HashMap::new();
    let mut tally = Tally::default();
    for item in &read.items {
        let name = mailbox_name(&target, &item.folder);
        let mailbox = match mailboxes.get(&name) {
            Some(m) => m,
            None => {
                let m = mailbox(&store, &user, &name).await?;
                mailboxes.entry(name).or_insert(m)
            }
        };
        match store_one(&store, mailbox, item).await? {
            true => tally.imported += 1,
            false => tally.duplicates += 1,
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    println!(
        "{}: imported {}, skipped {} already imported, {} not imported",
        args.path.display(),
        tally.imported,
        tally.duplicates,
        read.problems.len()
    );
    for p in &read.problems {
        eprintln!("{p}");
    }
    Ok(if read.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// A bar on a terminal, nothing otherwise (logs and pipes stay clean).
fn progress(len: u64) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} messages ({eta})")
    {
        bar.set_style(style);
    }
    bar
}

/// `Sub/Folder` goes below the target, or to the top level when the target is INBOX.
fn mailbox_name(target: &str, folder: &str) -> String {
    match (target, folder) {
        (t, "") => t.to_string(),
        ("INBOX", f) => f.to_string(),
        (t, f) => format!("{t}/{f}"),
    }
}

/// The mailbox, created when missing.
async fn mailbox(store: &Store, user: &User, name: &str) -> anyhow::Result<Mailbox> {
    if name == "INBOX" {
        return Ok(store.ensure_inbox(user.id).await?);
    }
    if let Some(m) = store.mailbox_named(user.id, name).await? {
        anyhow::ensure!(
            m.selectable,
            "mailbox {name:?} cannot hold messages (\\Noselect)"
        );
        return Ok(m);
    }
    Ok(store.create_mailbox_path(user.id, name).await?)
}

/// Stores one message; false when its content was imported into the mailbox before.
async fn store_one(store: &Store, mailbox: &Mailbox, item: &Item) -> anyhow::Result<bool> {
    let analysis = crate::mime::analyze(&item.raw);
    let date = item.date.unwrap_or_else(crate::handlers::append::now);
    let message = NewMessage::analyzed(&item.raw, &analysis, item.flags.clone(), date);
    let hash = import::content_hash(&item.raw);
    let stored = store
        .import_message(mailbox.id, message, &hash)
        .await
        .with_context(|| format!("cannot store {}:{}", item.file.display(), item.line))?;
    Ok(stored.is_some())
}
