//! MIME analysis on mail-parser: ENVELOPE and BODYSTRUCTURE computed once at APPEND (stored,
//! profile-neutral), body sections for FETCH, and text matching for SEARCH.
//!
//! Sits beside the handlers on the command path: `handlers::append` calls `analyze`,
//! `handlers::fetch` calls `section`, `handlers::search` calls the matchers. Never fails: a
//! malformed message still yields a best-effort structure, as mature servers do.
//!
//! Inside: `tree` turns mail-parser's parse into the IMAP part tree (and owns every
//! degradation rule for malformed MIME); `envelope` + `address`, `structure` + `params`
//! render it for APPEND; `section` walks it for FETCH; `search` matches text for SEARCH;
//! `headers` reads raw field values for all of them.

mod address;
mod envelope;
mod headers;
mod params;
mod search;
mod section;
mod structure;
mod tree;

use crate::wire::types::{BodyStructure, Envelope, ImapDate, Section};

/// What APPEND computes once and storage keeps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Analysis {
    pub envelope: Envelope,
    pub body: BodyStructure,
    /// Octets of the header block including the blank line that ends it.
    pub header_len: u32,
}

/// Computes ENVELOPE and BODYSTRUCTURE of a message (RFC 3501 §7.4.2).
pub fn analyze(raw: &[u8]) -> Analysis {
    let msg = tree::parse(raw);
    let root = tree::root(raw, msg.get());
    Analysis {
        envelope: envelope::envelope(raw, root.headers),
        body: structure::structure(raw, &root),
        header_len: u32::try_from(root.header.len()).unwrap_or(u32::MAX),
    }
}

/// The bytes of `BODY[section]` (RFC 3501 §6.4.5), before any `<partial>`; None when the
/// part does not exist.
pub fn section(raw: &[u8], section: &Section) -> Option<Vec<u8>> {
    section::section(raw, section)
}

/// Where a SEARCH text key looks (RFC 3501 §6.4.4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextScope<'a> {
    /// HEADER <field>, FROM, TO, CC, BCC, SUBJECT: the named header field's value.
    Header(&'a str),
    /// BODY: the decoded text of the body.
    Body,
    /// TEXT: headers and body.
    Text,
}

/// Case-insensitive substring match of `needle` (UTF-8) against the message, with
/// transfer encodings and RFC 2047 words decoded. An empty needle matches when the scope
/// exists (RFC 3501: `HEADER field ""` matches every message that has the field).
pub fn matches(raw: &[u8], scope: TextScope<'_>, needle: &[u8]) -> bool {
    let needle = search::Needle::new(needle);
    match scope {
        TextScope::Header(name) => search::header_matches(raw, name, &needle),
        // Every message has a body, if only an empty one.
        TextScope::Body | TextScope::Text if needle.is_empty() => true,
        TextScope::Body => {
            let msg = search::parse_decoded(raw);
            msg.get()
                .is_some_and(|m| search::body_matches(m, &needle, 0))
        }
        TextScope::Text => {
            let msg = search::parse_decoded(raw);
            msg.get().is_some_and(|m| {
                let fields = m.parts.first().map_or(&[][..], |p| &p.headers[..]);
                search::any_header_matches(raw, fields, &needle)
                    || search::body_matches(m, &needle, 0)
            })
        }
    }
}

/// The date of the Date: header in its own zone, for SENTBEFORE / SENTON / SENTSINCE
/// (RFC 3501 §6.4.4 disregards time and timezone).
pub fn sent_date(raw: &[u8]) -> Option<ImapDate> {
    search::sent_date(raw)
}

#[cfg(test)]
mod robust_tests;
