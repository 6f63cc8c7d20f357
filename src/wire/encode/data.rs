//! Untagged data responses (RFC 3501 §7.2 – §7.4, RFC 2342 NAMESPACE, RFC 2971 ID), with the
//! profile's mailbox quoting (V0009, V0030, V0033) and the STATUS trailing space (§2.1.5).

use super::fetch::fetch;
use super::strings::{flag_list, join, mailbox, nstring, number, quoted, string};
use super::EncodeOptions;
use crate::wire::response::{Data, ListItem};
use crate::wire::types::{MailboxName, StatusItem};

/// One data response, without CRLF.
pub(super) fn data(d: &Data, opts: &EncodeOptions, out: &mut Vec<u8>) {
    if let Data::Raw(bytes) = d {
        out.extend_from_slice(bytes);
        return;
    }
    out.extend_from_slice(b"* ");
    match d {
        Data::Capability(caps) => {
            out.extend_from_slice(b"CAPABILITY");
            for cap in caps {
                out.push(b' ');
                out.extend_from_slice(cap.as_bytes());
            }
        }
        Data::List(item) => list("LIST", item, opts, out),
        Data::Lsub(item) => list("LSUB", item, opts, out),
        Data::Status {
            mailbox: name,
            items,
        } => status(name, items, opts, out),
        Data::Search(nums) => {
            out.extend_from_slice(b"SEARCH");
            for n in nums {
                out.push(b' ');
                number(*n, out);
            }
        }
        Data::Flags(flags) => {
            out.extend_from_slice(b"FLAGS ");
            flag_list(flags, out);
        }
        Data::Exists(n) => counted(*n, "EXISTS", out),
        Data::Recent(n) => counted(*n, "RECENT", out),
        Data::Expunge(n) => counted(*n, "EXPUNGE", out),
        Data::Fetch { seq, items } => fetch(*seq, items, opts, out),
        Data::Namespace {
            personal,
            other,
            shared,
        } => {
            out.extend_from_slice(b"NAMESPACE ");
            join(&[personal, other, shared], out, |ns, out| {
                namespace(ns.as_deref(), out)
            });
        }
        Data::Id(params) => id(params.as_deref(), out),
        Data::Raw(_) => {}
    }
}

fn counted(n: u32, word: &str, out: &mut Vec<u8>) {
    number(n, out);
    out.push(b' ');
    out.extend_from_slice(word.as_bytes());
}

/// `mailbox-list = "(" [mbx-list-flags] ")" SP (DQUOTE QUOTED-CHAR DQUOTE / nil) SP mailbox`.
fn list(word: &str, item: &ListItem, opts: &EncodeOptions, out: &mut Vec<u8>) {
    out.extend_from_slice(word.as_bytes());
    out.extend_from_slice(b" (");
    join(&item.attributes, out, |a, out| {
        out.extend_from_slice(a.as_bytes())
    });
    out.extend_from_slice(b") ");
    delimiter(item.delimiter, out);
    out.push(b' ');
    mailbox(item.mailbox.as_bytes(), &opts.mailbox_quoting, out);
}

/// A hierarchy delimiter: one quoted character, or NIL for a flat namespace.
fn delimiter(d: Option<char>, out: &mut Vec<u8>) {
    match d {
        Some(c) => quoted(c.encode_utf8(&mut [0; 4]).as_bytes(), out),
        None => out.extend_from_slice(b"NIL"),
    }
}

/// `"STATUS" SP mailbox SP "(" [status-att-list] ")"`, plus one SP after `)` when the
/// profile reproduces the non-strict Exchange form (MS-STANXIMAP §2.1.5).
fn status(
    name: &MailboxName,
    items: &[(StatusItem, u32)],
    opts: &EncodeOptions,
    out: &mut Vec<u8>,
) {
    out.extend_from_slice(b"STATUS ");
    mailbox(name.as_bytes(), &opts.mailbox_quoting, out);
    out.extend_from_slice(b" (");
    join(items, out, |(item, n), out| {
        out.extend_from_slice(status_item(*item).as_bytes());
        out.push(b' ');
        number(*n, out);
    });
    out.push(b')');
    if opts.status_trailing_space {
        out.push(b' ');
    }
}

pub(super) fn status_item(item: StatusItem) -> &'static str {
    match item {
        StatusItem::Messages => "MESSAGES",
        StatusItem::Recent => "RECENT",
        StatusItem::UidNext => "UIDNEXT",
        StatusItem::UidValidity => "UIDVALIDITY",
        StatusItem::Unseen => "UNSEEN",
    }
}

/// RFC 2342 `Namespace = nil / "(" 1*( "(" string SP (DQUOTE QUOTED-CHAR DQUOTE / nil) ")" )
/// ")"`; an empty list is written NIL because the grammar has no empty form.
fn namespace(ns: Option<&[(MailboxName, Option<char>)]>, out: &mut Vec<u8>) {
    let Some(ns) = ns.filter(|ns| !ns.is_empty()) else {
        out.extend_from_slice(b"NIL");
        return;
    };
    out.push(b'(');
    for (prefix, delim) in ns {
        out.push(b'(');
        string(prefix.as_bytes(), out);
        out.push(b' ');
        delimiter(*delim, out);
        out.push(b')');
    }
    out.push(b')');
}

/// RFC 2971 `"ID" SP id-params-list`; an empty list is NIL.
fn id(params: Option<&[(String, Option<String>)]>, out: &mut Vec<u8>) {
    out.extend_from_slice(b"ID ");
    let Some(params) = params.filter(|p| !p.is_empty()) else {
        out.extend_from_slice(b"NIL");
        return;
    };
    out.push(b'(');
    join(params, out, |(k, v), out| {
        string(k.as_bytes(), out);
        out.push(b' ');
        nstring(v.as_deref().map(str::as_bytes), out);
    });
    out.push(b')');
}
