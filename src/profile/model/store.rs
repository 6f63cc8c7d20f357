//! Switches about mailboxes and messages: naming, hierarchy, listing, flags, sizes,
//! SEARCH and the updates a session is told about.

use super::section::section;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What DELETE does to a mailbox that has inferiors (RFC 3501 §6.3.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DeleteWithInferiors {
    /// Refused with NO. MS-STANXIMAP V0027 (Exchange).
    Refuse,
    /// The mailbox loses its messages and stays as a `\Noselect` name (RFC 3501 §6.3.4).
    Noselect,
}

/// What RENAME does when the new name contains the hierarchy delimiter (RFC 3501 §6.3.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RenameWithDelimiter {
    /// Refused with BAD. MS-STANXIMAP V0028 (Exchange).
    Bad,
    /// Missing superiors are created (RFC 3501 §6.3.5 SHOULD).
    CreateSuperiors,
}

section! {
    /// Mailbox naming, hierarchy and listing (consumed by `handlers::names`).
    pub struct Mailboxes, patch MailboxesPatch {
        /// The hierarchy delimiter. MS-STANXIMAP V0011 (`/`).
        delimiter: char,
        /// New names may contain the LIST wildcards `%` and `*` (sent quoted or as a
        /// literal). MS-STANXIMAP V0010 (Exchange allows them); RFC 3501 §5.1 discourages
        /// them, and the strict profile refuses them.
        wildcards_in_names: bool,
        /// Names other than INBOX compare case-insensitively. MS-STANXIMAP V0008.
        case_insensitive_names: bool,
        /// Most hierarchy levels a name may have; 0 for no limit. MS-STANXIMAP C0002 (31).
        max_depth: u32,
        /// Most characters a name may have; longer stored names are truncated when listed;
        /// 0 for no limit. MS-STANXIMAP C0003 (250).
        max_name_length: u32,
        /// MS-STANXIMAP V0027.
        delete_with_inferiors: DeleteWithInferiors,
        /// MS-STANXIMAP V0028.
        rename_with_delimiter: RenameWithDelimiter,
        /// SUBSCRIBE refuses names that do not exist. MS-STANXIMAP V0029: Exchange does not
        /// check.
        subscribe_requires_existing: bool,
        /// LIST with a reference that is not a hierarchy level (does not end with the
        /// delimiter) answers only the tagged OK. MS-STANXIMAP V0031; RFC 3501 §6.3.8
        /// leaves it to the implementation (imap-mimic otherwise joins reference and
        /// pattern).
        list_reference_must_be_level: bool,
        /// Use `\Noinferiors` and `\Unmarked` in LIST. MS-STANXIMAP V0053: Exchange uses
        /// only `\Marked` and `\Noselect`.
        noinferiors_and_unmarked: bool,
        /// LSUB shows only `\Noselect` (for a subscribed name that does not exist or a
        /// parent listed for `%`), not LIST's other attributes. MS-STANXIMAP V0034 allows
        /// the two to differ.
        lsub_minimal_attributes: bool,
    }
}

section! {
    /// Flags, sizes, SEARCH and updates (consumed by `handlers::messages`).
    pub struct Messages, patch MessagesPatch {
        /// Clients may create keywords (`\*` in PERMANENTFLAGS). MS-STANXIMAP V0005:
        /// Exchange does not; other keywords in STORE and APPEND are ignored.
        client_keywords: bool,
        /// Keywords the server defines and lists in FLAGS. MS-STANXIMAP E0001 (`$MDNSent`).
        server_keywords: Vec<String>,
        /// Report the exact RFC 822 size of every message. Set-ImapSettings
        /// `-EnableExactRFC822Size`; MS-STANXIMAP V0006, V0040, V0041, V0045: when false,
        /// messages whose MIME size is not known report their stored size.
        enable_exact_rfc822_size: bool,
        /// Charsets SEARCH accepts; others get `NO [BADCHARSET (...)]`. MS-STANXIMAP V0037,
        /// V0038 (US-ASCII only).
        search_charsets: Vec<String>,
        /// Most levels of parentheses in SEARCH; 0 for the decoder's own safety limit.
        /// MS-STANXIMAP V0043 (10).
        max_search_depth: u32,
        /// Send an untagged FETCH when flags change from outside (another session or the
        /// external agent). MS-STANXIMAP V0046: Exchange never does for external changes.
        external_flag_updates: bool,
        /// After EXPUNGE's untagged EXPUNGE lines, send `* n EXISTS`. MS-STANXIMAP V0055.
        expunge_reports_exists: bool,
    }
}
