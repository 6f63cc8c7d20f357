//! Human-readable texts and the status and code of every refusal: data, so a profile can
//! match a server's wording byte for byte (consumed by `session::texts`).

use super::section::{checks, section};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The status word of a refusal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ReplyStatus {
    NO,
    BAD,
}

/// A tagged refusal: status, optional response code (an atom such as `ALREADYEXISTS`,
/// RFC 5530), and text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reply {
    pub status: ReplyStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub text: String,
}

fn check_reply(r: &Reply) -> Result<(), String> {
    checks::line_text(&r.text)?;
    match &r.code {
        Some(c) if c.is_empty() || !c.bytes().all(|b| b.is_ascii_uppercase() || b == b'-') => {
            Err(format!("code {c:?} must be an upper-case atom"))
        }
        _ => Ok(()),
    }
}

// The `section!` macro passes checks `&FieldType`.
#[allow(clippy::ptr_arg)]
fn check_completed(t: &String) -> Result<(), String> {
    checks::line_text(t)?;
    if t.contains("{command}") {
        Ok(())
    } else {
        Err("must contain {command}".to_string())
    }
}

section! {
    /// Texts (consumed by `session::texts`).
    pub struct Texts, patch TextsPatch {
        /// Tagged OK text; `{command}` is the command word in upper case. PROFILES.md
        /// "Completion texts".
        completed: String => check_completed,
        /// `* OK [PERMANENTFLAGS ...]` text in SELECT / EXAMINE.
        permanent_flags: String => checks::line_text,
        /// `* OK [UNSEEN n]` text.
        first_unseen: String => checks::line_text,
        /// `* OK [UIDVALIDITY n]` text.
        uidvalidity: String => checks::line_text,
        /// `* OK [UIDNEXT n]` text.
        uidnext: String => checks::line_text,
        /// `+` text for a synchronizing literal.
        literal_continuation: String => checks::line_text,
        /// `+` text after IDLE.
        idle_continuation: String => checks::line_text,
        /// Send a bare `+` (not `+ ` and an empty base64 string) to ask for an AUTHENTICATE
        /// response. PROFILES.md "Continuation texts".
        bare_auth_continuation: bool,
        /// OK text of STARTTLS.
        starttls: String => checks::line_text,
        /// Unknown command.
        unknown_command: Reply => check_reply,
        /// A command not valid in the current state.
        invalid_state: Reply => check_reply,
        /// Syntax error in the arguments.
        bad_arguments: Reply => check_reply,
        /// Command longer than `max_command_size`.
        command_too_long: Reply => check_reply,
        /// LOGIN refused for a bad user name or password.
        login_failed: Reply => check_reply,
        /// LOGIN while LOGINDISABLED applies.
        login_disabled: Reply => check_reply,
        /// AUTHENTICATE refused.
        authenticate_failed: Reply => check_reply,
        /// The client answered `*` to an AUTHENTICATE challenge.
        authenticate_cancelled: Reply => check_reply,
        /// AUTHENTICATE with a mechanism that is not offered.
        mechanism_unsupported: Reply => check_reply,
        /// BYE text after too many failed authentications.
        too_many_auth_failures: String => checks::line_text,
        /// BYE text of the inactivity autologout.
        autologout: String => checks::line_text,
        /// BYE text when the server shuts down.
        shutdown: String => checks::line_text,
        /// BYE text when the selected mailbox is deleted by someone else.
        selected_mailbox_gone: String => checks::line_text,
        /// BYE text for a connection refused by a connection limit.
        too_many_connections: String => checks::line_text,
        /// CREATE / RENAME onto a name that exists.
        mailbox_exists: Reply => check_reply,
        /// A mailbox argument that does not exist.
        mailbox_not_found: Reply => check_reply,
        /// APPEND / COPY / MOVE to a mailbox that does not exist (RFC 3501: `[TRYCREATE]`).
        mailbox_trycreate: Reply => check_reply,
        /// SELECT of a `\Noselect` name.
        mailbox_not_selectable: Reply => check_reply,
        /// A name that is malformed, too long or too deep.
        mailbox_name_invalid: Reply => check_reply,
        /// DELETE of INBOX.
        delete_inbox: Reply => check_reply,
        /// DELETE of a mailbox with inferiors, where refused.
        delete_has_inferiors: Reply => check_reply,
        /// RENAME into the mailbox's own inferiors, or onto itself.
        rename_invalid: Reply => check_reply,
        /// A change to a mailbox selected with EXAMINE.
        read_only: Reply => check_reply,
        /// SEARCH with an unsupported charset; the `[BADCHARSET (...)]` code is added.
        bad_charset: Reply => check_reply,
        /// SEARCH nested deeper than `max_search_depth`.
        search_too_deep: Reply => check_reply,
        /// APPEND of a message larger than `max_message_size`.
        message_too_large: Reply => check_reply,
        /// A message sequence number beyond the mailbox size.
        invalid_sequence: Reply => check_reply,
        /// The database cannot be reached.
        storage_unavailable: Reply => check_reply,
    }
}
