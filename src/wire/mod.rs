//! The IMAP wire codec: bytes <-> typed values. No tokio, no storage, no profiles: the
//! options structs carry the few profile decisions that are about bytes (parse leniency,
//! quoting, response quirks), compiled by `profile` and passed in.
//!
//! We own this codec rather than use imap-codec because the Exchange profiles need byte-level
//! deviations (lenient tags and TABs, bare `[COPYUID]` lines, STATUS trailing spaces, literal
//! rules for mailbox names) that a strict library rightly refuses to produce. imap-codec stays
//! a dev-dependency oracle.

pub mod chars;
pub mod command;
pub mod decode;
pub mod encode;
pub mod fragment;
pub mod mutf7;
pub mod response;
pub mod types;

pub use command::{Command, CommandBody};
pub use decode::{decode_command, peek_command, DecodeError, DecodeErrorKind, DecodeOptions};
pub use encode::{encode_command, encode_response, EncodeOptions, MailboxQuoting};
pub use response::*;
pub use types::*;
