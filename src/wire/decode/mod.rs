//! Command decoder: a framed command (the line plus any literals, exactly as the client sent
//! them, ending in CRLF) -> `Command`. All parse leniency of MS-STANXIMAP §2.1.5, §2.1.6,
//! C0001 and V0003 is applied here and nowhere else, as `DecodeOptions` says.

use super::command::Command;
use super::types::Tag;

/// The profile's parsing decisions (compiled from the profile's `[parsing]` section).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeOptions {
    /// MS-STANXIMAP §2.1.6: a TAB is accepted as the delimiter after the tag and after the
    /// command name (and after `UID`); everywhere else exactly one SP.
    pub tab_delimiter: bool,
    /// MS-STANXIMAP C0001: any tag format (any bytes up to the first SP or TAB, including
    /// `+`, `*`, `"`...), instead of RFC 3501's `1*<ASTRING-CHAR except "+">`.
    pub any_tag: bool,
}

impl DecodeOptions {
    /// RFC 3501 §9 exactly.
    pub fn strict() -> DecodeOptions {
        DecodeOptions {
            tab_delimiter: false,
            any_tag: false,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecodeErrorKind {
    /// No tag could be read: the answer is an untagged BAD.
    NoTag,
    /// The command word is unknown (or `UID` followed by an unknown word).
    UnknownCommand,
    /// The command is known but its arguments do not parse.
    BadArguments,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{kind:?}: {detail}")]
pub struct DecodeError {
    pub tag: Option<Tag>,
    /// Upper-cased command word when it was read (`UID FETCH` as `FETCH`).
    pub command: Option<String>,
    pub kind: DecodeErrorKind,
    /// Why, for logs and for strict profiles' BAD texts.
    pub detail: String,
}

/// Decodes one complete command.
pub fn decode_command(input: &[u8], opts: &DecodeOptions) -> Result<Command, DecodeError> {
    let _ = (input, opts);
    todo!("wire decoder")
}

/// Reads the tag and the command word(s) from the start of a command whose literals have not
/// all arrived yet, so the session can decide about `+` continuations (MS-STANXIMAP V0058)
/// and literal size limits. Returns the tag and the upper-cased command, with `UID ` kept
/// (`"UID SEARCH"`, `"APPEND"`), or None when the prefix does not start like a command.
pub fn peek_command(prefix: &[u8], opts: &DecodeOptions) -> Option<(Tag, String)> {
    let _ = (prefix, opts);
    todo!("wire peek")
}
