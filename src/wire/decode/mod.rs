//! Command decoder: a framed command (the line plus any literals, exactly as the client sent
//! them, ending in CRLF) -> `Command`. All parse leniency of MS-STANXIMAP §2.1.5, §2.1.6,
//! C0001 and V0003 is applied here and nowhere else, as `DecodeOptions` says.
//!
//! This file reads the tag and the command word and dispatches; `commands`, `search` and
//! `fetch` parse the arguments from the primitives of `lexer` and `values`.

mod commands;
mod fetch;
mod lexer;
mod search;
mod values;

#[cfg(test)]
mod tests;

pub use search::{MAX_SEARCH_NESTING, MAX_SEARCH_RECURSION};

use super::chars;
use super::command::{Command, CommandBody};
use super::types::Tag;
use commands::{lookup, Shape};
use lexer::Cursor;

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

impl DecodeError {
    fn new(tag: Option<Tag>, command: Option<&str>, kind: DecodeErrorKind, detail: String) -> Self {
        DecodeError {
            tag,
            command: command.map(str::to_owned),
            kind,
            detail,
        }
    }
}

/// Decodes one complete command.
pub fn decode_command(input: &[u8], opts: &DecodeOptions) -> Result<Command, DecodeError> {
    use DecodeErrorKind::*;
    let mut c = Cursor::new(input);
    let Some(tag) = read_tag(&mut c, opts) else {
        return Err(DecodeError::new(
            None,
            None,
            NoTag,
            "no valid tag at the start of the line".into(),
        ));
    };
    let strict_tab = match c.peek() {
        Some(b' ') => false,
        Some(b'\t') => !opts.tab_delimiter,
        None | Some(b'\r' | b'\n') => {
            let detail = "no command after the tag".to_owned();
            return Err(DecodeError::new(Some(tag), None, UnknownCommand, detail));
        }
        Some(_) => {
            // The tag run stopped at a byte RFC 3501 forbids in tags (C0001 leniency is off).
            let detail = format!("the tag is not valid {}", c.found());
            return Err(DecodeError::new(None, None, NoTag, detail));
        }
    };
    c.take(1);
    let (word, uid) = match command_word(&mut c, opts) {
        Ok(found) => found,
        Err(detail) => return Err(DecodeError::new(Some(tag), None, UnknownCommand, detail)),
    };
    let name = String::from_utf8_lossy(&word).into_owned();
    let Some(shape) = lookup(&word, uid) else {
        let shown = if uid { format!("UID {name}") } else { name };
        return Err(DecodeError::new(
            Some(tag),
            None,
            UnknownCommand,
            format!("unknown command {shown}"),
        ));
    };
    let bad =
        |detail: String| DecodeError::new(Some(tag.clone()), Some(&name), BadArguments, detail);
    if strict_tab {
        return Err(bad("a TAB after the tag is not a valid delimiter".into()));
    }
    let body = arguments(&mut c, shape, uid, opts).map_err(|f| bad(f.0))?;
    Ok(Command { tag, body })
}

/// Reads what follows the command word, the line end, and checks nothing is left.
fn arguments(
    c: &mut Cursor<'_>,
    shape: Shape,
    uid: bool,
    opts: &DecodeOptions,
) -> lexer::PResult<CommandBody> {
    let body = match shape {
        Shape::Bare(body) => body,
        Shape::Args(parse) => {
            if !delimiter(c, opts) {
                return lexer::fail(format!("expected a space and arguments {}", c.found()));
            }
            parse(c, uid)?
        }
    };
    c.crlf()?;
    if !c.at_end() {
        return lexer::fail("data after the end of the command");
    }
    Ok(body)
}

/// `tag = 1*<any ASTRING-CHAR except "+">`, or with C0001 any bytes up to the delimiter.
fn read_tag(c: &mut Cursor<'_>, opts: &DecodeOptions) -> Option<Tag> {
    let bytes = if opts.any_tag {
        // A TAB never belongs to a tag (`Tag` refuses it); without §2.1.6 leniency it is
        // then reported as a bad delimiter after a readable tag.
        c.take_while(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
    } else {
        c.take_while(chars::is_tag_char)
    };
    Tag::new(String::from_utf8_lossy(bytes))
}

/// The delimiter after the tag, the command word and `UID`: SP, or a TAB when MS-STANXIMAP
/// §2.1.6 leniency is on.
fn delimiter(c: &mut Cursor<'_>, opts: &DecodeOptions) -> bool {
    c.eat(b' ') || (opts.tab_delimiter && c.eat(b'\t'))
}

/// The upper-cased command word, and whether `UID` came before it.
fn command_word(c: &mut Cursor<'_>, opts: &DecodeOptions) -> Result<(Vec<u8>, bool), String> {
    let word = c.take_while(chars::is_atom_char).to_ascii_uppercase();
    if word.is_empty() {
        return Err(format!("expected a command word {}", c.found()));
    }
    if word != b"UID" {
        return Ok((word, false));
    }
    if !delimiter(c, opts) {
        return Err(format!("expected a command after UID {}", c.found()));
    }
    let inner = c.take_while(chars::is_atom_char).to_ascii_uppercase();
    if inner.is_empty() {
        return Err(format!("expected a command after UID {}", c.found()));
    }
    Ok((inner, true))
}

/// Reads the tag and the command word(s) from the start of a command whose literals have not
/// all arrived yet, so the session can decide about `+` continuations (MS-STANXIMAP V0058)
/// and literal size limits. Returns the tag and the upper-cased command, with `UID ` kept
/// (`"UID SEARCH"`, `"APPEND"`), or None when the prefix does not start like a command.
pub fn peek_command(prefix: &[u8], opts: &DecodeOptions) -> Option<(Tag, String)> {
    let mut c = Cursor::new(prefix);
    let tag = read_tag(&mut c, opts)?;
    if !delimiter(&mut c, opts) {
        return None;
    }
    let (word, uid) = command_word(&mut c, opts).ok()?;
    let ends = matches!(c.peek(), None | Some(b' ' | b'\r' | b'\n'))
        || (opts.tab_delimiter && c.peek() == Some(b'\t'));
    if !ends {
        return None;
    }
    let word = String::from_utf8_lossy(&word).into_owned();
    Some((tag, if uid { format!("UID {word}") } else { word }))
}
