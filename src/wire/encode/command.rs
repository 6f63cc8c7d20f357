//! The client side: `Command` -> bytes as a client would send them, synchronizing literals
//! written inline (the form `decode_command` reads). Used by test clients, transcript replay,
//! the load generator and the decode -> encode -> decode round-trip property.

use super::command_keys::{fetch_attr, search};
use super::data::status_item;
use super::strings::{astring, date_time, flag_list, join, literal, nstring, sequence_set, string};
use crate::wire::chars;
use crate::wire::command::{Command, CommandBody};
use crate::wire::types::StoreMode;
use base64::Engine;

/// One RFC 2971 field: name and value (None for NIL).
type IdParam = (Vec<u8>, Option<Vec<u8>>);

pub(super) fn command(cmd: &Command, out: &mut Vec<u8>) {
    out.extend_from_slice(cmd.tag.as_str().as_bytes());
    out.push(b' ');
    if cmd.body.is_uid() {
        out.extend_from_slice(b"UID ");
    }
    out.extend_from_slice(cmd.body.name().as_bytes());
    arguments(&cmd.body, out);
    out.extend_from_slice(b"\r\n");
}

/// Everything after the command word, each argument with its leading SP.
fn arguments(body: &CommandBody, out: &mut Vec<u8>) {
    use CommandBody::*;
    match body {
        Capability | Noop | Logout | StartTls | Idle | Namespace | Check | Close | Unselect
        | Expunge => {}
        Id(params) => id(params.as_deref(), out),
        Authenticate {
            mechanism,
            initial_response,
        } => {
            out.push(b' ');
            out.extend_from_slice(mechanism.as_bytes());
            if let Some(ir) = initial_response {
                out.push(b' ');
                sasl(ir.expose(), out);
            }
        }
        Login { username, password } => {
            sp_astring(username, out);
            sp_astring(password.expose(), out);
        }
        Append { .. } => append(body, out),
        Store { .. } => store(body, out),
        Search {
            charset, criteria, ..
        } => search(charset.as_deref(), criteria, out),
        _ => mailbox_or_set_arguments(body, out),
    }
}

/// The commands whose arguments are mailbox names and sequence sets.
fn mailbox_or_set_arguments(body: &CommandBody, out: &mut Vec<u8>) {
    use CommandBody::*;
    match body {
        Select(m) | Examine(m) | Create(m) | Delete(m) | Subscribe(m) | Unsubscribe(m) => {
            sp_astring(m.as_bytes(), out)
        }
        Rename { from, to } => {
            sp_astring(from.as_bytes(), out);
            sp_astring(to.as_bytes(), out);
        }
        List { reference, pattern } | Lsub { reference, pattern } => {
            sp_astring(reference.as_bytes(), out);
            out.push(b' ');
            list_mailbox(pattern, out);
        }
        Status { mailbox, items } => {
            sp_astring(mailbox.as_bytes(), out);
            out.extend_from_slice(b" (");
            join(items, out, |i, out| {
                out.extend_from_slice(status_item(*i).as_bytes())
            });
            out.push(b')');
        }
        UidExpunge(set) => {
            out.push(b' ');
            sequence_set(set, out);
        }
        Fetch { set, attrs, .. } => {
            out.push(b' ');
            sequence_set(set, out);
            out.extend_from_slice(b" (");
            join(attrs, out, fetch_attr);
            out.push(b')');
        }
        Copy { set, mailbox, .. } | Move { set, mailbox, .. } => {
            out.push(b' ');
            sequence_set(set, out);
            sp_astring(mailbox.as_bytes(), out);
        }
        _ => {}
    }
}

fn sp_astring(bytes: &[u8], out: &mut Vec<u8>) {
    out.push(b' ');
    astring(bytes, out);
}

/// RFC 2971 `id-params-list`.
fn id(params: Option<&[IdParam]>, out: &mut Vec<u8>) {
    let Some(params) = params else {
        out.extend_from_slice(b" NIL");
        return;
    };
    out.extend_from_slice(b" (");
    join(params, out, |(k, v), out| {
        string(k, out);
        out.push(b' ');
        nstring(v.as_deref(), out);
    });
    out.push(b')');
}

/// RFC 4959: base64, `=` for an empty initial response.
fn sasl(bytes: &[u8], out: &mut Vec<u8>) {
    if bytes.is_empty() {
        out.push(b'=');
    } else {
        let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
        out.extend_from_slice(b64.as_bytes());
    }
}

/// `list-mailbox`: bare when every byte is a list-char, else a string.
fn list_mailbox(pattern: &[u8], out: &mut Vec<u8>) {
    if !pattern.is_empty() && pattern.iter().all(|&b| chars::is_list_char(b)) {
        out.extend_from_slice(pattern);
    } else {
        string(pattern, out);
    }
}

fn append(body: &CommandBody, out: &mut Vec<u8>) {
    let CommandBody::Append {
        mailbox,
        flags,
        date,
        message,
    } = body
    else {
        return;
    };
    out.push(b' ');
    astring(mailbox.as_bytes(), out);
    if !flags.is_empty() {
        out.push(b' ');
        flag_list(flags, out);
    }
    if let Some(dt) = date {
        out.push(b' ');
        date_time(dt, out);
    }
    out.push(b' ');
    literal(message, out);
}

fn store(body: &CommandBody, out: &mut Vec<u8>) {
    let CommandBody::Store {
        set,
        mode,
        silent,
        flags,
        ..
    } = body
    else {
        return;
    };
    out.push(b' ');
    sequence_set(set, out);
    out.extend_from_slice(match mode {
        StoreMode::Replace => b" FLAGS",
        StoreMode::Add => b" +FLAGS",
        StoreMode::Remove => b" -FLAGS",
    });
    if *silent {
        out.extend_from_slice(b".SILENT");
    }
    out.push(b' ');
    flag_list(flags, out);
}
