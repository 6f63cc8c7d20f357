//! imap-mimic: an IMAP4rev1 server whose behaviour is chosen at run time by versioned TOML
//! profiles.
//!
//! # Layout
//! - `server`: sockets only (listener, TLS, connection framing, shutdown).
//! - `wire`: bytes <-> typed values.
//! - `session`: the per-connection state machine (gate, dispatch, selected state).
//! - `handlers`: one file per command; return outcomes, never write bytes.
//! - `hooks`: rhai scripts a profile adds (sandboxed engine, decisions, counters).
//! - `profile`: model, loading with `extends`, compiled policies, registry, hot reload
//!   (`profile::reload`: one loop fed by the file watcher, SIGHUP and the admin API).
//! - `storage`: sqlx on SQLite / PostgreSQL, the change feed.
//! - `mime`: ENVELOPE, BODYSTRUCTURE, sections.
//! - `admin`: the loopback HTTP admin API (the external agent, sessions, metrics).
//! - `import`: reading mbox, Maildir and .eml sources for `imap-mimic import`.
//! - `protolog`: the per-command CSV protocol log (`[logging]`).
//! - `transcript`: C:/S: transcripts: parse, run and replay (diffs), record (server tap and
//!   proxy), serve a recorded server side.
//! - `cli`: the `imap-mimic` subcommands.

pub mod accounts;
pub mod admin;
pub mod cli;
pub mod handlers;
pub mod hooks;
pub mod import;
pub mod mime;
pub mod ntlm;
pub mod password;
pub mod profile;
pub mod protolog;
pub mod secret;
pub mod server;
pub mod session;
pub mod storage;
pub mod testkit;
pub mod transcript;
pub mod wire;
