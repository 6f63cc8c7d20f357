//! SEARCH keys and FETCH attributes as a client writes them (RFC 3501 §6.4.4, §6.4.5): the
//! recursive half of the command encoder.

use super::fetch::section;
use super::strings::{astring, date, join, sequence_set};
use crate::wire::types::{FetchAttr, SearchKey};

pub(super) fn search(charset: Option<&str>, criteria: &SearchKey, out: &mut Vec<u8>) {
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
    if let Some(bare) = bare_key(key) {
        return word(bare, out);
    }
    if let Some((name, value)) = string_key(key) {
        word(name, out);
        return astring(value, out);
    }
    match key {
        // `flag-keyword = atom`: written as is.
        Keyword(k) => word(&format!("KEYWORD {k}"), out),
        Unkeyword(k) => word(&format!("UNKEYWORD {k}"), out),
        Before(d) | On(d) | Since(d) | SentBefore(d) | SentOn(d) | SentSince(d) => {
            word(date_key(key), out);
            date(d, out);
        }
        Larger(n) => word(&format!("LARGER {n}"), out),
        Smaller(n) => word(&format!("SMALLER {n}"), out),
        Header(name, value) => {
            word("HEADER ", out);
            astring(name.as_bytes(), out);
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
            join(keys, out, search_key);
            out.push(b')');
        }
        _ => {}
    }
}

/// The keys followed by one astring.
fn string_key(key: &SearchKey) -> Option<(&'static str, &[u8])> {
    use SearchKey::*;
    Some(match key {
        Bcc(s) => ("BCC ", s),
        Body(s) => ("BODY ", s),
        Cc(s) => ("CC ", s),
        From(s) => ("FROM ", s),
        Subject(s) => ("SUBJECT ", s),
        Text(s) => ("TEXT ", s),
        To(s) => ("TO ", s),
        _ => return None,
    })
}

/// The name of a date key, with its SP.
fn date_key(key: &SearchKey) -> &'static str {
    use SearchKey::*;
    match key {
        Before(_) => "BEFORE ",
        On(_) => "ON ",
        Since(_) => "SINCE ",
        SentBefore(_) => "SENTBEFORE ",
        SentOn(_) => "SENTON ",
        _ => "SENTSINCE ",
    }
}

/// The keys without arguments.
fn bare_key(key: &SearchKey) -> Option<&'static str> {
    use SearchKey::*;
    Some(match key {
        All => "ALL",
        Answered => "ANSWERED",
        Deleted => "DELETED",
        Draft => "DRAFT",
        Flagged => "FLAGGED",
        New => "NEW",
        Old => "OLD",
        Recent => "RECENT",
        Seen => "SEEN",
        Unanswered => "UNANSWERED",
        Undeleted => "UNDELETED",
        Undraft => "UNDRAFT",
        Unflagged => "UNFLAGGED",
        Unseen => "UNSEEN",
        _ => return None,
    })
}

pub(super) fn fetch_attr(attr: &FetchAttr, out: &mut Vec<u8>) {
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
