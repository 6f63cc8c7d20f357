//! LIST and LSUB (RFC 3501 §6.3.8, §6.3.9): reference + pattern with `%` and `*`, implied
//! `\Noselect` parents, attributes per the profile (MS-STANXIMAP V0031, V0032, V0034,
//! V0053; CHILDREN, RFC 3348).

use super::{mailboxes, user};
use crate::session::state::{HandlerResult, Outcome, Refused};
use crate::session::{data, Session};
use crate::storage::Mailbox;
use crate::wire::{Data, ListItem, MailboxName};
use std::collections::BTreeMap;

/// A name to list: a mailbox, or a superior that exists only through its inferiors.
struct Candidate<'a> {
    mailbox: Option<&'a Mailbox>,
    has_children: bool,
}

pub async fn list(s: &mut Session, reference: &MailboxName, pattern: &[u8]) -> HandlerResult {
    let names = &s.profile().names;
    let reference = String::from_utf8_lossy(reference.as_bytes()).into_owned();
    if pattern.is_empty() {
        // RFC 3501: an empty pattern asks for the delimiter and the root name.
        let item = item(vec!["\\Noselect".into()], names.delimiter(), "");
        return Ok(Outcome::with_untagged(vec![data(Data::List(item))]));
    }
    if names.reference_lists_nothing(&reference) {
        return Ok(Outcome::ok());
    }
    let pattern = canonical_pattern(&format!("{reference}{}", String::from_utf8_lossy(pattern)));
    let all = mailboxes(s).await?;
    let mut out = Vec::new();
    let entries = all.iter().map(|m| (m.name.as_str(), Some(m)));
    for (name, c) in candidates(s, entries, &all, &pattern) {
        let attrs = list_attributes(s, &c).await?;
        out.push(data(Data::List(item(
            attrs,
            names.delimiter(),
            &names.listed(&name),
        ))));
    }
    Ok(Outcome::with_untagged(out))
}

pub async fn lsub(s: &mut Session, reference: &MailboxName, pattern: &[u8]) -> HandlerResult {
    let names = &s.profile().names;
    let reference = String::from_utf8_lossy(reference.as_bytes()).into_owned();
    if pattern.is_empty() || names.reference_lists_nothing(&reference) {
        return Ok(Outcome::ok());
    }
    let pattern = canonical_pattern(&format!("{reference}{}", String::from_utf8_lossy(pattern)));
    let all = mailboxes(s).await?;
    let subscribed = s.env.store.subscriptions(user(s)?.id).await?;
    let subs = subscribed.iter().map(|n| (n.as_str(), names.find(&all, n)));
    let mut out = Vec::new();
    for (name, c) in candidates(s, subs, &all, &pattern) {
        let attrs = match c.mailbox {
            Some(_) if !names.lsub_minimal() => list_attributes(s, &c).await?,
            Some(m) if m.selectable => Vec::new(),
            _ => vec!["\\Noselect".to_string()],
        };
        out.push(data(Data::Lsub(item(
            attrs,
            names.delimiter(),
            &names.listed(&name),
        ))));
    }
    Ok(Outcome::with_untagged(out))
}

/// Names matching `pattern`, INBOX first then in name order, with implied superiors: when
/// the pattern ends with `%`, a superior that is not itself in `entries` is listed when it
/// matches and one of its inferiors is in `entries` (RFC 3501 §6.3.8, §6.3.9).
/// `\HasChildren` looks at the mailboxes that exist (`all`), whatever is being listed.
fn candidates<'a>(
    s: &Session,
    entries: impl Iterator<Item = (&'a str, Option<&'a Mailbox>)>,
    all: &[Mailbox],
    pattern: &str,
) -> Vec<(String, Candidate<'a>)> {
    let names = &s.profile().names;
    let mut found: BTreeMap<(bool, String), Candidate<'a>> = BTreeMap::new();
    let entries: Vec<(&str, Option<&Mailbox>)> = entries.collect();
    for &(name, mailbox) in &entries {
        let has_children = all.iter().any(|m| names.is_inferior(&m.name, name));
        if names.matches(pattern, name) {
            found.insert(
                (name != "INBOX", name.to_string()),
                Candidate {
                    mailbox,
                    has_children,
                },
            );
        }
        let implied = if pattern.ends_with('%') {
            names.superiors(name)
        } else {
            Vec::new()
        };
        for superior in implied {
            let known = entries.iter().any(|(n, _)| names.same(n, &superior));
            if !known && names.matches(pattern, &superior) {
                let c = Candidate {
                    mailbox: None,
                    has_children: true,
                };
                found.entry((superior != "INBOX", superior)).or_insert(c);
            }
        }
    }
    found.into_iter().map(|((_, n), c)| (n, c)).collect()
}

/// LIST attributes: `\Noselect`, `\Marked` / `\Unmarked` (V0053), then CHILDREN's.
async fn list_attributes(s: &Session, c: &Candidate<'_>) -> Result<Vec<String>, Refused> {
    let mut attrs = Vec::new();
    match c.mailbox {
        Some(m) if m.selectable => {
            let recent = s.env.store.counts(m.id).await?.recent;
            if recent > 0 {
                attrs.push("\\Marked".to_string());
            } else if s.profile().names.uses_unmarked() {
                attrs.push("\\Unmarked".to_string());
            }
        }
        _ => attrs.push("\\Noselect".to_string()),
    }
    if s.profile().capabilities.enabled("CHILDREN") {
        let children = if c.has_children {
            "\\HasChildren"
        } else {
            "\\HasNoChildren"
        };
        attrs.push(children.to_string());
    }
    Ok(attrs)
}

/// `INBOX` at the start of a pattern in any case means INBOX (RFC 3501 §5.1).
fn canonical_pattern(pattern: &str) -> String {
    match pattern.get(..5) {
        Some(head) if head.eq_ignore_ascii_case("INBOX") => format!("INBOX{}", &pattern[5..]),
        _ => pattern.to_string(),
    }
}

fn item(attributes: Vec<String>, delimiter: char, name: &str) -> ListItem {
    ListItem {
        attributes,
        delimiter: Some(delimiter),
        mailbox: MailboxName::new(name),
    }
}
