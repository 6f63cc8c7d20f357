//! imap-mimic: an IMAP4rev1 server whose behaviour is chosen at run time by versioned TOML
//! profiles.
//!
//! # Layout
//! - `server`: sockets only (listener, TLS, connection framing, shutdown).
//! - `wire`: bytes <-> typed values.
//! - `session`: the per-connection state machine (gate, dispatch, selected state).
//! - `handlers`: one file per command; return outcomes, never write bytes.
//! - `hooks`: rhai scripts a profile adds (sandboxed engine, decisions, counters).
//! - `profile`: model, loading with `extends`, compiled policies, registry.
//! - `storage`: sqlx on SQLite / PostgreSQL, the change feed.
//! - `mime`: ENVELOPE, BODYSTRUCTURE, sections.
//! - `cli`: the `imap-mimic` subcommands.

pub mod accounts;
pub mod cli;
pub mod handlers;
pub mod hooks;
pub mod mime;
pub mod ntlm;
pub mod password;
pub mod profile;
pub mod secret;
pub mod server;
pub mod session;
pub mod storage;
pub mod testkit;
pub mod transcript;
pub mod wire;
