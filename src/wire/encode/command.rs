//! The client side: `Command` -> bytes as a client would send them, synchronizing literals
//! written inline (the form `decode_command` reads). Used by test clients, transcript replay,
//! the load generator and the decode -> encode -> decode round-trip property.

use super::data::status_item;
use super::fetch::section;
use super::strings::{
    astring, date, date_time, flag_list, join, literal, nstring, number, sequence_set, string,
};
use crate::wire::chars;
use crate::wire::command::{Command, CommandBody};
use crate::wire::types::{FetchAttr, SearchKey, StoreMode};
use base64::Engine;

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
    let sp_astring = |bytes: &[u8], out: &mut Vec<u8>| {
        out.push(b' ');
        astring(bytes, out);
    };
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
        Append { .. } => append(body, out),
        UidExpunge(set) => {
            out.push(b' ');
            sequence_set(set, out);
        }
        Search {
            charset, criteria, ..
        } => search(charset.as_deref(), criteria, out),
        Fetch { set, attrs, .. } => {
            out.push(b' ');
            sequence_set(set, out);
            out.extend_from_slice(b" (");
            join(attrs, out, fetch_attr);
            out.push(b')');
        }
        Store { .. } => store(body, out),
        Copy { set, mailbox, .. } | Move { set, mailbox, .. } => {
            out.push(b' ');
            sequence_set(set, out);
            sp_astring(mailbox.as_bytes(), out);
        }
    }
}

/// RFC 2971 `id-params-list`.
fn id(params: Option<&[(Vec<u8>, Option<Vec<u8>>)]>, out: &mut Vec<u8>) {
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

fn search(charset: Option<&str>, criteria: &SearchKey, out: &mut Vec<u8>) {
    if let Some(cs) = charset {
        out.extend_from_slice(b" CHARSET ");
        astring(cs.as_bytes(), out);
    }
    // The top level is an implicit AND of its keys, written without parentheses.
    let top = match criteria {
        SearchKey::And(keys) => keys.as_slice(),
        single => std::slice::from_ref(single),
    };
    for key in top {
        out.push(b' ');
        search_key(key, out);
    }
}

fn search_key(key: &SearchKey, out: &mut Vec<u8>) {
    use SearchKey::*;
    let word = |w: &str, out: &mut Vec<u8>| out.extend_from_slice(w.as_bytes());
    let with_string = |w: &str, s: &[u8], out: &mut Vec<u8>| {
        word(w, out);
        astring(s, out);
    };
    let with_date = |w: &str, d, out: &mut Vec<u8>| {
        word(w, out);
        date(d, out);
    };
    match key {
        All => word("ALL", out),
        Answered => word("ANSWERED", out),
        Deleted => word("DELETED", out),
        Draft => word("DRAFT", out),
        Flagged => word("FLAGGED", out),
        New => word("NEW", out),
        Old => word("OLD", out),
        Recent => word("RECENT", out),
        Seen => word("SEEN", out),
        Unanswered => word("UNANSWERED", out),
        Undeleted => word("UNDELETED", out),
        Undraft => word("UNDRAFT", out),
        Unflagged => word("UNFLAGGED", out),
        Unseen => word("UNSEEN", out),
        Bcc(s) => with_string("BCC ", s, out),
        Body(s) => with_string("BODY ", s, out),
        Cc(s) => with_string("CC ", s, out),
        From(s) => with_string("FROM ", s, out),
        Subject(s) => with_string("SUBJECT ", s, out),
        Text(s) => with_string("TEXT ", s, out),
        To(s) => with_string("TO ", s, out),
        // `flag-keyword = atom`: written as is.
        Keyword(k) => word(&format!("KEYWORD {k}"), out),
        Unkeyword(k) => word(&format!("UNKEYWORD {k}"), out),
        Before(d) => with_date("BEFORE ", d, out),
        On(d) => with_date("ON ", d, out),
        Since(d) => with_date("SINCE ", d, out),
        SentBefore(d) => with_date("SENTBEFORE ", d, out),
        SentOn(d) => with_date("SENTON ", d, out),
        SentSince(d) => with_date("SENTSINCE ", d, out),
        Larger(n) | Smaller(n) => {
            word(
                if matches!(key, Larger(_)) {
                    "LARGER "
                } else {
                    "SMALLER "
                },
                out,
            );
            number(*n, out);
        }
        Header(name, value) => {
            with_string("HEADER ", name.as_bytes(), out);
            out.push(b' ');
            astring(value, out);
        }
        Uid(set) => {
            word("UID ", out);
            sequence_set(set, out);
        }
        SequenceSet(set) => sequence_set(set, out),
        Not(k) => {
            word("NOT ", out);
            search_key(k, out);
        }
        Or(a, b) => {
            word("OR ", out);
            search_key(a, out);
            out.push(b' ');
            search_key(b, out);
        }
        And(keys) => {
            out.push(b'(');
            join(keys, out, |k, out| search_key(k, out));
            out.push(b')');
        }
    }
}

fn fetch_attr(attr: &FetchAttr, out: &mut Vec<u8>) {
    use FetchAttr::*;
    let name = match attr {
        Envelope => "ENVELOPE",
        Flags => "FLAGS",
        InternalDate => "INTERNALDATE",
        Rfc822 => "RFC822",
        Rfc822Header => "RFC822.HEADER",
        Rfc822Size => "RFC822.SIZE",
        Rfc822Text => "RFC822.TEXT",
        Body => "BODY",
        BodyStructure => "BODYSTRUCTURE",
        Uid => "UID",
        BodySection { peek, .. } => {
            if *peek {
                "BODY.PEEK"
            } else {
                "BODY"
            }
        }
    };
    out.extend_from_slice(name.as_bytes());
    if let BodySection {
        section: s,
        partial,
        ..
    } = attr
    {
        section(s, out);
        if let Some((origin, count)) = partial {
            out.extend_from_slice(format!("<{origin}.{count}>").as_bytes());
        }
    }
}
