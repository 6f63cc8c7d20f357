//! MIME analysis on mail-parser: ENVELOPE and BODYSTRUCTURE computed once at APPEND (stored,
//! profile-neutral), body sections for FETCH, and text matching for SEARCH.
//!
//! Sits beside the handlers on the command path: `handlers::append` calls `analyze`,
//! `handlers::fetch` calls `section`, `handlers::search` calls the matchers. Never fails: a
//! malformed message still yields a best-effort structure, as mature servers do.

use crate::wire::types::{BodyStructure, Envelope, ImapDate, Section};

/// What APPEND computes once and storage keeps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Analysis {
    pub envelope: Envelope,
    pub body: BodyStructure,
    /// Octets of the header block including the blank line that ends it.
    pub header_len: u32,
}

/// Computes ENVELOPE and BODYSTRUCTURE of a message.
pub fn analyze(raw: &[u8]) -> Analysis {
    let _ = raw;
    todo!("mime analyze")
}

/// The bytes of `BODY[section]` (RFC 3501 §6.4.5), before any `<partial>`; None when the
/// part does not exist.
pub fn section(raw: &[u8], section: &Section) -> Option<Vec<u8>> {
    let _ = (raw, section);
    todo!("mime section")
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
    let _ = (raw, scope, needle);
    todo!("mime matches")
}

/// The date of the Date: header in its own zone, for SENTBEFORE / SENTON / SENTSINCE.
pub fn sent_date(raw: &[u8]) -> Option<ImapDate> {
    let _ = raw;
    todo!("mime sent_date")
}
