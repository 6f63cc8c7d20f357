//! Persistent state behind one type, `Store`: users, mailboxes, messages and the change
//! feed, on SQLite (embedded default, WAL) or PostgreSQL (several instances, one database).
//!
//! Sits under the handlers on the command path. Profile-neutral: it stores facts (raw bytes,
//! exact size, flags, dates, the MIME analysis) and never decides how a profile shows them.
//! Every mutation appends to the `changes` table in the same transaction; sessions learn
//! about changes from `changes_since`, woken by `Store::feed`.
//!
//! Backends: one `Store` type over an enum of `SqlitePool` / `PgPool` (not sqlx's `Any`
//! driver; `db` says why). Queries are runtime-checked SQL text shared by both backends
//! (`$n` placeholders); the schema lives in `migrations/{sqlite,postgres}/`, embedded by
//! `migrate`. The `Store` methods are spread over the files below by subject.
//!
//! - `db`: the backend enum and its small query interface, error mapping;
//!   `sqlite_writer`: SQLite's single writer connection.
//! - `migrate`: embedded migrations.
//! - `changes`: write transactions, the change log, `changes_since`.
//! - `feed`: the watcher task that advances the feed for other processes' writes.
//! - `users`, `mailboxes`, `append`, `messages` (snapshot, FETCH), `flags` (STORE),
//!   `transfer` (COPY, MOVE, EXPUNGE), `uids` (UID lists as SQL conditions),
//!   `external` (the admin API and import: revise, renumber, idempotent import).

mod append;
mod changes;
mod copy;
mod db;
mod external;
mod feed;
mod flags;
mod mailboxes;
mod messages;
mod migrate;
mod ntlm;
mod sqlite_writer;
mod transfer;
mod uids;
mod users;

use crate::wire::types::{BodyStructure, Envelope, ImapDateTime};
use std::sync::Arc;

pub use copy::CopyReport;

pub type UserId = i64;
pub type MailboxId = i64;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} already exists")]
    AlreadyExists(String),
    #[error("{0} not found")]
    NotFound(String),
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("database error: {0}")]
    Database(String),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// System flags as bits; keywords (`$MDNSent`, client keywords) as strings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FlagSet {
    pub system: u8,
    /// Sorted, without duplicates, compared case-insensitively (RFC 3501 flags are).
    pub keywords: Vec<String>,
}

impl FlagSet {
    pub const SEEN: u8 = 1;
    pub const ANSWERED: u8 = 2;
    pub const FLAGGED: u8 = 4;
    pub const DELETED: u8 = 8;
    pub const DRAFT: u8 = 16;

    pub fn has(&self, bit: u8) -> bool {
        self.system & bit != 0
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub name: String,
    /// PHC string (argon2id).
    pub password_hash: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mailbox {
    pub id: MailboxId,
    pub user_id: UserId,
    /// The name as created (modified UTF-7, `/` as delimiter); `INBOX` is stored as `INBOX`.
    pub name: String,
    pub uidvalidity: u32,
    pub uidnext: u32,
    /// false for a `\Noselect` placeholder (a parent kept for its children).
    pub selectable: bool,
}

/// Counts for STATUS and SELECT.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub messages: u32,
    /// Messages with UID >= the mailbox's recent floor (not yet claimed by a session).
    pub recent: u32,
    pub unseen: u32,
}

/// Who made a change: a session (so it can skip its own changes) or the external agent
/// ("another protocol", MS-STANXIMAP V0013, V0046).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    Session(i64),
    External,
}

/// A message to append.
#[derive(Clone, Debug)]
pub struct NewMessage<'a> {
    pub raw: &'a [u8],
    pub flags: FlagSet,
    pub internal_date: ImapDateTime,
    pub envelope: &'a Envelope,
    pub body: &'a BodyStructure,
    pub header_len: u32,
    /// false for a message created through another protocol: its RFC 822 size is "not
    /// known" and `stored_size` is what a default Exchange reports (MS-STANXIMAP V0006).
    pub size_known: bool,
    pub stored_size: Option<u32>,
}

impl<'a> NewMessage<'a> {
    /// A message as IMAP or an SMTP-like delivery stores it ("MIME-known" size), with its
    /// MIME analysis.
    pub fn analyzed(
        raw: &'a [u8],
        analysis: &'a crate::mime::Analysis,
        flags: FlagSet,
        internal_date: ImapDateTime,
    ) -> NewMessage<'a> {
        NewMessage {
            raw,
            flags,
            internal_date,
            envelope: &analysis.envelope,
            body: &analysis.body,
            header_len: analysis.header_len,
            size_known: true,
            stored_size: None,
        }
    }
}

/// What a FETCH or SEARCH needs of each message; only what is asked for is read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Want {
    pub envelope: bool,
    pub body: bool,
    /// The header block only (for header-only FETCH items and header SEARCH keys).
    pub header: bool,
    /// The whole message.
    pub raw: bool,
}

/// One message as read for FETCH or SEARCH. Metadata is always filled; the rest as `Want`
/// asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageData {
    pub uid: u32,
    pub flags: FlagSet,
    pub internal_date: ImapDateTime,
    /// Exact octets of the raw message.
    pub size: u32,
    pub size_known: bool,
    pub stored_size: Option<u32>,
    pub envelope: Option<Envelope>,
    pub body: Option<BodyStructure>,
    pub header: Option<Vec<u8>>,
    pub raw: Option<Vec<u8>>,
}

/// What a selecting session starts from: the feed position is read before the data, so a
/// change that lands in between is replayed; sessions apply changes idempotently.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub mailbox: Mailbox,
    /// UIDs in ascending order: index + 1 is the sequence number.
    pub uids: Vec<u32>,
    /// UID of the first message without \Seen.
    pub first_unseen_uid: Option<u32>,
    /// Lowest UID not yet claimed as \Recent by any session.
    pub recent_floor: u32,
    pub feed_position: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    Appended {
        uid: u32,
    },
    Expunged {
        uid: u32,
    },
    Flags {
        uid: u32,
        flags: FlagSet,
    },
    /// The mailbox was deleted or renamed away; selected sessions must leave it.
    MailboxGone,
    /// UIDVALIDITY changed (renumbering from outside); selected sessions must leave it.
    UidValidity {
        uidvalidity: u32,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Position in the feed, strictly increasing across the whole database.
    pub seq: i64,
    pub mailbox_id: MailboxId,
    pub origin: Origin,
    pub kind: ChangeKind,
}

/// Wakes sessions when the feed moves. Cloning shares the same feed.
#[derive(Clone, Debug)]
pub struct Feed {
    sender: tokio::sync::watch::Sender<i64>,
}

impl Feed {
    pub fn new(position: i64) -> Feed {
        Feed {
            sender: tokio::sync::watch::Sender::new(position),
        }
    }

    /// A receiver that wakes when the feed position grows.
    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<i64> {
        self.sender.subscribe()
    }

    /// Announces that changes up to `position` are committed.
    pub fn advance(&self, position: i64) {
        self.sender.send_if_modified(|p| {
            let grew = position > *p;
            if grew {
                *p = position;
            }
            grew
        });
    }
}

/// The database: a pool plus the change feed. Cheap to clone; `Send + Sync`; every method
/// may be called from any tokio task.
#[derive(Clone, Debug)]
pub struct Store {
    feed: Feed,
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    db: db::Db,
    /// Stops the feed watcher when the last clone of the store is dropped.
    _watcher: feed::Watcher,
}

impl Store {
    /// Opens (creating and migrating as needed) `sqlite:PATH` or `postgres://...`. Must be
    /// called within a tokio runtime: it spawns the feed watcher.
    pub async fn open(url: &str) -> Result<Store> {
        let db = db::Db::connect(url).await?;
        migrate::run(&db).await?;
        let feed = Feed::new(feed::max_seq(&db).await?);
        let watcher = feed::spawn(&db, feed.clone());
        Ok(Store {
            feed,
            inner: Arc::new(Inner {
                db,
                _watcher: watcher,
            }),
        })
    }

    pub fn feed(&self) -> &Feed {
        &self.feed
    }
}
