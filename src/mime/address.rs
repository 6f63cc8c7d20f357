//! Address lists (From, To, ...) as ENVELOPE address structures (RFC 3501 §7.4.2).
//!
//! Called by `envelope` at APPEND time. mail-parser's address parser decodes RFC 2047 words
//! in display names and drops source routes, while ENVELOPE needs the raw phrase (Exchange
//! and Dovecot send encoded words as they are) and the route as `addr-adl`; so this module
//! reads the RFC 2822 §3.4 grammar (with the §4.4 obsolete forms) itself. It is lenient
//! like Dovecot's `message_address_parse` with its "fill missing" flag: every address it
//! cannot fully read still comes out, with `MISSING_MAILBOX` / `MISSING_DOMAIN` standing in
//! for the missing piece, because a NIL host would turn it into a group marker.

use crate::wire::types::Address;

/// Placeholder for an address without a local part (Dovecot's convention).
pub(crate) const MISSING_MAILBOX: &[u8] = b"MISSING_MAILBOX";
/// Placeholder for an address without a domain (Dovecot's convention).
pub(crate) const MISSING_DOMAIN: &[u8] = b"MISSING_DOMAIN";

#[derive(Clone, Debug, PartialEq)]
enum Tok<'a> {
    /// A run of atext and dots (obs-phrase allows dots in names: `John Q. Public`).
    Atom(&'a [u8]),
    /// A quoted-string: the raw text with quotes, and the unescaped content.
    Quoted(&'a [u8], Vec<u8>),
    /// A domain literal `[...]`, raw.
    Literal(&'a [u8]),
    /// The content of a comment, nested comments included as written.
    Comment(&'a [u8]),
    Special(u8),
}

/// Splits an unfolded or folded field value into tokens. Unterminated quoted strings,
/// comments and literals run to the end of the value.
fn tokenize(s: &[u8]) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&b) = s.get(i) {
        match b {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'"' => {
                let (end, text) = quoted(s, i);
                out.push(Tok::Quoted(&s[i..end], text));
                i = end;
            }
            b'(' => {
                let end = comment_end(s, i);
                let inner_end = if s.get(end - 1) == Some(&b')') {
                    end - 1
                } else {
                    end
                };
                out.push(Tok::Comment(&s[(i + 1).min(inner_end)..inner_end]));
                i = end;
            }
            b'[' => {
                let end = s[i..]
                    .iter()
                    .position(|&c| c == b']')
                    .map_or(s.len(), |p| i + p + 1);
                out.push(Tok::Literal(&s[i..end]));
                i = end;
            }
            b'<' | b'>' | b'@' | b',' | b';' | b':' | b'\\' | b')' | b']' => {
                out.push(Tok::Special(b));
                i += 1;
            }
            _ => {
                // A control byte on its own is kept as a one-byte atom (lenient, and it
                // guarantees progress).
                let start = i;
                i += 1;
                while s.get(i).is_some_and(|&c| is_atom_byte(c)) {
                    i += 1;
                }
                out.push(Tok::Atom(&s[start..i]));
            }
        }
    }
    out
}

/// atext plus `.`; 8-bit bytes are accepted (raw UTF-8 headers, RFC 6532).
fn is_atom_byte(b: u8) -> bool {
    b > b' ' && b != 0x7f && !b"()<>[]:;@\\,\"".contains(&b)
}

fn quoted(s: &[u8], start: usize) -> (usize, Vec<u8>) {
    let mut text = Vec::new();
    let mut i = start + 1;
    while let Some(&b) = s.get(i) {
        i += 1;
        match b {
            b'"' => return (i, text),
            b'\\' => {
                if let Some(&next) = s.get(i) {
                    text.push(next);
                    i += 1;
                }
            }
            b'\r' | b'\n' => {}
            _ => text.push(b),
        }
    }
    (i, text)
}

fn comment_end(s: &[u8], start: usize) -> usize {
    let mut depth = 0usize;
    let mut i = start;
    while let Some(&b) = s.get(i) {
        i += 1;
        match b {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            b'\\' => i += 1,
            _ => {}
        }
    }
    s.len()
}

/// Parses an address-list header value into ENVELOPE addresses, groups expanded into
/// start / end markers. An empty or whitespace-only value gives an empty list (NIL).
pub(crate) fn parse_list(value: &[u8]) -> Vec<Address> {
    let all = tokenize(value);
    let mut out = Vec::new();
    let mut rest = &all[..];
    while !rest.is_empty() {
        if let Some(colon) = group_colon(rest) {
            out.push(Address {
                mailbox: Some(phrase(&rest[..colon]).unwrap_or_default()),
                ..Address::default()
            });
            rest = &rest[colon + 1..];
            // Members run to the `;` (a missing `;` ends the group at the end of the field).
            let end = top_level_position(rest, |t| *t == Tok::Special(b';')).unwrap_or(rest.len());
            parse_mailboxes(&rest[..end], &mut out);
            out.push(Address::default());
            rest = rest.get(end + 1..).unwrap_or_default();
        } else {
            let end = top_level_position(rest, |t| *t == Tok::Special(b',')).unwrap_or(rest.len());
            out.extend(mailbox(&rest[..end]));
            rest = rest.get(end + 1..).unwrap_or_default();
        }
    }
    out
}

/// A group starts with a phrase followed by `:` before any `<`, `@`, `,` or `;`
/// (a `:` after those belongs to a route or is garbage).
fn group_colon(toks: &[Tok<'_>]) -> Option<usize> {
    for (i, t) in toks.iter().enumerate() {
        match t {
            Tok::Special(b':') => return Some(i),
            Tok::Special(b'<' | b'@' | b',' | b';') => return None,
            _ => {}
        }
    }
    None
}

/// Position of the first token matching `pred` outside angle brackets (routes contain `,`).
fn top_level_position(toks: &[Tok<'_>], pred: impl Fn(&Tok<'_>) -> bool) -> Option<usize> {
    let mut in_angle = false;
    for (i, t) in toks.iter().enumerate() {
        match t {
            Tok::Special(b'<') => in_angle = true,
            Tok::Special(b'>') => in_angle = false,
            _ if !in_angle && pred(t) => return Some(i),
            _ => {}
        }
    }
    None
}

fn parse_mailboxes(mut toks: &[Tok<'_>], out: &mut Vec<Address>) {
    while !toks.is_empty() {
        let end = top_level_position(toks, |t| *t == Tok::Special(b',')).unwrap_or(toks.len());
        out.extend(mailbox(&toks[..end]));
        toks = toks.get(end + 1..).unwrap_or_default();
    }
}

/// One mailbox: `[phrase] <[route:]addr-spec>` or `addr-spec [(comment)]`. None when the
/// chunk holds nothing but comments or whitespace (`a@b,,c@d`).
fn mailbox(toks: &[Tok<'_>]) -> Option<Address> {
    if toks.iter().all(|t| matches!(t, Tok::Comment(_))) {
        return None;
    }
    let Some(lt) = toks.iter().position(|t| *t == Tok::Special(b'<')) else {
        let (mailbox, host) = addr_spec(toks);
        // `addr-spec (Name)`: the comment is the only name there is (Dovecot does the same).
        let name = toks.iter().rev().find_map(|t| match t {
            Tok::Comment(c) if !c.is_empty() => Some(c.to_vec()),
            _ => None,
        });
        return Some(address(name, None, mailbox, host));
    };
    let name = phrase(&toks[..lt]).filter(|n| !n.is_empty());
    let inner = &toks[lt + 1..];
    let inner = &inner[..inner
        .iter()
        .position(|t| *t == Tok::Special(b'>'))
        .unwrap_or(inner.len())];
    // obs-route: `@a,@b:` before the addr-spec.
    let (adl, spec) = match inner.iter().position(|t| *t == Tok::Special(b':')) {
        Some(colon) if inner.first() == Some(&Tok::Special(b'@')) => {
            (Some(raw_concat(&inner[..colon])), &inner[colon + 1..])
        }
        _ => (None, inner),
    };
    let (mailbox, host) = addr_spec(spec);
    Some(address(name, adl, mailbox, host))
}

fn address(
    name: Option<Vec<u8>>,
    adl: Option<Vec<u8>>,
    mailbox: Vec<u8>,
    host: Vec<u8>,
) -> Address {
    let or = |v: Vec<u8>, missing: &[u8]| if v.is_empty() { missing.to_vec() } else { v };
    Address {
        name,
        adl,
        mailbox: Some(or(mailbox, MISSING_MAILBOX)),
        host: Some(or(host, MISSING_DOMAIN)),
    }
}

/// `local-part "@" domain`, each the concatenation of its tokens as written (quoted local
/// parts keep their quotes, so the address can be rebuilt). The last `@` splits, so a
/// stray `@` in the local part stays in it.
fn addr_spec(toks: &[Tok<'_>]) -> (Vec<u8>, Vec<u8>) {
    let toks: Vec<&Tok<'_>> = toks
        .iter()
        .filter(|t| !matches!(t, Tok::Comment(_)))
        .collect();
    match toks.iter().rposition(|t| **t == Tok::Special(b'@')) {
        Some(at) => (
            raw_concat_refs(&toks[..at]),
            raw_concat_refs(&toks[at + 1..]),
        ),
        // No domain at all (`undisclosed recipients`): keep the words readable.
        None => {
            let words: Vec<Tok<'_>> = toks.iter().map(|t| (*t).clone()).collect();
            (phrase(&words).unwrap_or_default(), Vec::new())
        }
    }
}

fn raw_concat(toks: &[Tok<'_>]) -> Vec<u8> {
    raw_concat_refs(
        &toks
            .iter()
            .filter(|t| !matches!(t, Tok::Comment(_)))
            .collect::<Vec<_>>(),
    )
}

fn raw_concat_refs(toks: &[&Tok<'_>]) -> Vec<u8> {
    let mut out = Vec::new();
    for t in toks {
        match t {
            Tok::Atom(s) | Tok::Quoted(s, _) | Tok::Literal(s) => out.extend_from_slice(s),
            Tok::Special(b) => out.push(*b),
            Tok::Comment(_) => {}
        }
    }
    out
}

/// A display name: words joined by one space, quoted strings unquoted, comments dropped,
/// RFC 2047 encoded words kept as they are. None when there are no words.
fn phrase(toks: &[Tok<'_>]) -> Option<Vec<u8>> {
    let mut out: Option<Vec<u8>> = None;
    for t in toks {
        let word: &[u8] = match t {
            Tok::Atom(s) | Tok::Literal(s) => s,
            Tok::Quoted(_, text) => text,
            Tok::Special(b) => std::slice::from_ref(b),
            Tok::Comment(_) => continue,
        };
        match out.as_mut() {
            Some(o) => {
                o.push(b' ');
                o.extend_from_slice(word);
            }
            None => out = Some(word.to_vec()),
        }
    }
    out
}

#[cfg(test)]
#[path = "address_tests.rs"]
mod tests;
