//! Which command words exist, and the argument parsers of every command except SEARCH and
//! FETCH (RFC 3501 §6 and §9; RFC 2971 ID, RFC 4959 SASL-IR, RFC 4315 UID EXPUNGE).
//! Each parser starts just after the delimiter that follows the command word and stops
//! before the CRLF; `decode::mod` checks the line end.

use super::fetch::fetch;
use super::lexer::{fail, Cursor, Fail, PResult};
use super::search::search;
use super::values::{date_time, flag, flag_list, list_mailbox, mailbox, sequence_set};
use crate::secret::Secret;
use crate::wire::command::CommandBody;
use crate::wire::types::{StatusItem, StoreMode};
use base64::Engine;

/// A parser for a command's arguments; the flag says whether `UID` came first.
pub(super) type ArgParser = fn(&mut Cursor<'_>, bool) -> PResult<CommandBody>;

/// What follows a command word.
pub(super) enum Shape {
    /// Nothing: the line ends right after the word.
    Bare(CommandBody),
    /// A delimiter, then arguments.
    Args(ArgParser),
}

/// Looks up an upper-cased command word; `uid` when it followed `UID` (only COPY, MOVE,
/// FETCH, SEARCH, STORE and EXPUNGE may).
pub(super) fn lookup(word: &[u8], uid: bool) -> Option<Shape> {
    use CommandBody as B;
    use Shape::{Args, Bare};
    let uid_ok = matches!(
        word,
        b"COPY" | b"MOVE" | b"FETCH" | b"SEARCH" | b"STORE" | b"EXPUNGE"
    );
    if uid && !uid_ok {
        return None;
    }
    Some(match word {
        b"CAPABILITY" => Bare(B::Capability),
        b"NOOP" => Bare(B::Noop),
        b"LOGOUT" => Bare(B::Logout),
        b"STARTTLS" => Bare(B::StartTls),
        b"IDLE" => Bare(B::Idle),
        b"NAMESPACE" => Bare(B::Namespace),
        b"CHECK" => Bare(B::Check),
        b"CLOSE" => Bare(B::Close),
        b"UNSELECT" => Bare(B::Unselect),
        b"EXPUNGE" if !uid => Bare(B::Expunge),
        b"EXPUNGE" => Args(|c, _| sequence_set(c).map(B::UidExpunge)),
        b"ID" => Args(id),
        b"AUTHENTICATE" => Args(authenticate),
        b"LOGIN" => Args(login),
        b"SELECT" => Args(|c, _| mailbox(c).map(B::Select)),
        b"EXAMINE" => Args(|c, _| mailbox(c).map(B::Examine)),
        b"CREATE" => Args(|c, _| mailbox(c).map(B::Create)),
        b"DELETE" => Args(|c, _| mailbox(c).map(B::Delete)),
        b"SUBSCRIBE" => Args(|c, _| mailbox(c).map(B::Subscribe)),
        b"UNSUBSCRIBE" => Args(|c, _| mailbox(c).map(B::Unsubscribe)),
        b"RENAME" => Args(rename),
        b"LIST" | b"LSUB" => Args(if word == b"LIST" { list } else { lsub }),
        b"STATUS" => Args(status),
        b"APPEND" => Args(append),
        b"SEARCH" => Args(search),
        b"FETCH" => Args(fetch),
        b"STORE" => Args(store),
        b"COPY" => Args(copy),
        b"MOVE" => Args(move_),
        _ => return None,
    })
}

/// RFC 2971: `"ID" SP ("(" [string SP nstring *(SP string SP nstring)] ")" / nil)`.
fn id(c: &mut Cursor<'_>, _: bool) -> PResult<CommandBody> {
    if c.eat_word("NIL") {
        return Ok(CommandBody::Id(None));
    }
    c.expect(b'(', "'(' or NIL")?;
    let mut params = Vec::new();
    if c.eat(b')') {
        return Ok(CommandBody::Id(Some(params)));
    }
    loop {
        let key = c.string("an ID field name")?;
        c.sp()?;
        params.push((key, c.nstring("an ID field value")?));
        if c.eat(b')') {
            return Ok(CommandBody::Id(Some(params)));
        }
        c.sp()?;
    }
}

/// `"AUTHENTICATE" SP auth-type [SP (base64 / "=")]` (RFC 3501, RFC 4959 SASL-IR).
fn authenticate(c: &mut Cursor<'_>, _: bool) -> PResult<CommandBody> {
    let mechanism = c.atom_string("a SASL mechanism")?.to_ascii_uppercase();
    let initial_response = if c.eat(b' ') {
        let token = c.take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='));
        let bytes = match token {
            b"" => return fail(format!("expected a base64 initial response {}", c.found())),
            b"=" => Vec::new(),
            _ => base64::engine::general_purpose::STANDARD
                .decode(token)
                .map_err(|_| Fail("the initial response is not valid base64".into()))?,
        };
        Some(Secret::new(bytes))
    } else {
        None
    };
    Ok(CommandBody::Authenticate {
        mechanism,
        initial_response,
    })
}

/// `"LOGIN" SP userid SP password`, both astrings.
fn login(c: &mut Cursor<'_>, _: bool) -> PResult<CommandBody> {
    let username = c.astring("a user name")?;
    c.sp()?;
    let password = Secret::new(c.astring("a password")?);
    Ok(CommandBody::Login { username, password })
}

fn rename(c: &mut Cursor<'_>, _: bool) -> PResult<CommandBody> {
    let from = mailbox(c)?;
    c.sp()?;
    let to = mailbox(c)?;
    Ok(CommandBody::Rename { from, to })
}

/// `"LIST" SP mailbox SP list-mailbox`.
fn list(c: &mut Cursor<'_>, _: bool) -> PResult<CommandBody> {
    let reference = mailbox(c)?;
    c.sp()?;
    let pattern = list_mailbox(c)?;
    Ok(CommandBody::List { reference, pattern })
}

/// `"LSUB" SP mailbox SP list-mailbox`.
fn lsub(c: &mut Cursor<'_>, _: bool) -> PResult<CommandBody> {
    let reference = mailbox(c)?;
    c.sp()?;
    let pattern = list_mailbox(c)?;
    Ok(CommandBody::Lsub { reference, pattern })
}

/// `"STATUS" SP mailbox SP "(" status-att *(SP status-att) ")"`.
fn status(c: &mut Cursor<'_>, _: bool) -> PResult<CommandBody> {
    let mailbox = mailbox(c)?;
    c.sp()?;
    c.expect(b'(', "'(' to open the status items")?;
    let mut items = vec![status_att(c)?];
    while c.eat(b' ') {
        items.push(status_att(c)?);
    }
    c.expect(b')', "')' to close the status items")?;
    Ok(CommandBody::Status { mailbox, items })
}

fn status_att(c: &mut Cursor<'_>) -> PResult<StatusItem> {
    let word = c.atom("a status item")?.to_ascii_uppercase();
    Ok(match word.as_slice() {
        b"MESSAGES" => StatusItem::Messages,
        b"RECENT" => StatusItem::Recent,
        b"UIDNEXT" => StatusItem::UidNext,
        b"UIDVALIDITY" => StatusItem::UidValidity,
        b"UNSEEN" => StatusItem::Unseen,
        _ => {
            let word = String::from_utf8_lossy(&word).into_owned();
            return fail(format!("unknown status item {word}"));
        }
    })
}

/// `"APPEND" SP mailbox [SP flag-list] [SP date-time] SP literal`.
fn append(c: &mut Cursor<'_>, _: bool) -> PResult<CommandBody> {
    let mailbox = mailbox(c)?;
    c.sp()?;
    let flags = if c.peek() == Some(b'(') {
        let flags = flag_list(c)?;
        c.sp()?;
        flags
    } else {
        Vec::new()
    };
    let date = if c.peek() == Some(b'"') {
        let date = date_time(c)?;
        c.sp()?;
        Some(date)
    } else {
        None
    };
    if c.peek() != Some(b'{') {
        return fail(format!("expected the message as a literal {}", c.found()));
    }
    let message = c.literal()?.to_vec();
    Ok(CommandBody::Append {
        mailbox,
        flags,
        date,
        message,
    })
}

/// `"STORE" SP sequence-set SP store-att-flags`, `store-att-flags = (["+" / "-"] "FLAGS"
/// [".SILENT"]) SP (flag-list / (flag *(SP flag)))`.
fn store(c: &mut Cursor<'_>, uid: bool) -> PResult<CommandBody> {
    let set = sequence_set(c)?;
    c.sp()?;
    let mode = if c.eat(b'+') {
        StoreMode::Add
    } else if c.eat(b'-') {
        StoreMode::Remove
    } else {
        StoreMode::Replace
    };
    let silent = if c.eat_word("FLAGS") {
        false
    } else if c.eat_word("FLAGS.SILENT") {
        true
    } else {
        return fail("expected FLAGS or FLAGS.SILENT");
    };
    c.sp()?;
    let flags = if c.peek() == Some(b'(') {
        flag_list(c)?
    } else {
        let mut flags = vec![flag(c)?];
        while c.eat(b' ') {
            flags.push(flag(c)?);
        }
        flags
    };
    Ok(CommandBody::Store {
        set,
        mode,
        silent,
        flags,
        uid,
    })
}

/// `"COPY" SP sequence-set SP mailbox`.
fn copy(c: &mut Cursor<'_>, uid: bool) -> PResult<CommandBody> {
    let set = sequence_set(c)?;
    c.sp()?;
    let mailbox = mailbox(c)?;
    Ok(CommandBody::Copy { set, mailbox, uid })
}

/// RFC 6851 `"MOVE" SP sequence-set SP mailbox`.
fn move_(c: &mut Cursor<'_>, uid: bool) -> PResult<CommandBody> {
    let set = sequence_set(c)?;
    c.sp()?;
    let mailbox = mailbox(c)?;
    Ok(CommandBody::Move { set, mailbox, uid })
}
