//! The profile's texts, compiled: turns a `Refusal` into a status response with the
//! profile's exact status word, code and wording (`[texts]`).

use crate::profile::model::{Reply, ReplyStatus, Texts};
use crate::wire::{Code, StatusKind, StatusResponse, Tag};

/// Every refusal a handler or the session can make; each maps to one `[texts]` entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    UnknownCommand,
    InvalidState,
    BadArguments,
    CommandTooLong,
    LoginFailed,
    LoginDisabled,
    AuthenticateFailed,
    AuthenticateCancelled,
    MechanismUnsupported,
    MailboxExists,
    MailboxNotFound,
    MailboxTryCreate,
    MailboxNotSelectable,
    MailboxNameInvalid,
    DeleteInbox,
    DeleteHasInferiors,
    RenameInvalid,
    ReadOnly,
    BadCharset,
    SearchTooDeep,
    MessageTooLarge,
    InvalidSequence,
    StorageUnavailable,
}

/// Compiled `[texts]`.
#[derive(Clone, Debug)]
pub struct TextPolicy {
    texts: Texts,
}

impl TextPolicy {
    pub fn compile(texts: &Texts) -> Result<TextPolicy, String> {
        Ok(TextPolicy {
            texts: texts.clone(),
        })
    }

    /// `<tag> OK <COMMAND> completed.`
    pub fn completed(&self, command: &str) -> String {
        self.texts.completed.replace("{command}", command)
    }

    pub fn texts(&self) -> &Texts {
        &self.texts
    }

    fn reply(&self, refusal: Refusal) -> &Reply {
        use Refusal::*;
        let t = &self.texts;
        match refusal {
            UnknownCommand => &t.unknown_command,
            InvalidState => &t.invalid_state,
            BadArguments => &t.bad_arguments,
            CommandTooLong => &t.command_too_long,
            LoginFailed => &t.login_failed,
            LoginDisabled => &t.login_disabled,
            AuthenticateFailed => &t.authenticate_failed,
            AuthenticateCancelled => &t.authenticate_cancelled,
            MechanismUnsupported => &t.mechanism_unsupported,
            MailboxExists => &t.mailbox_exists,
            MailboxNotFound => &t.mailbox_not_found,
            MailboxTryCreate => &t.mailbox_trycreate,
            MailboxNotSelectable => &t.mailbox_not_selectable,
            MailboxNameInvalid => &t.mailbox_name_invalid,
            DeleteInbox => &t.delete_inbox,
            DeleteHasInferiors => &t.delete_has_inferiors,
            RenameInvalid => &t.rename_invalid,
            ReadOnly => &t.read_only,
            BadCharset => &t.bad_charset,
            SearchTooDeep => &t.search_too_deep,
            MessageTooLarge => &t.message_too_large,
            InvalidSequence => &t.invalid_sequence,
            StorageUnavailable => &t.storage_unavailable,
        }
    }

    /// The tagged (or, without a tag, untagged) response for a refusal. `code` replaces
    /// the profile's code when the refusal carries data (BADCHARSET's list).
    pub fn refuse(&self, tag: Option<Tag>, refusal: Refusal, code: Option<Code>) -> StatusResponse {
        let reply = self.reply(refusal);
        let kind = match reply.status {
            ReplyStatus::NO => StatusKind::No,
            ReplyStatus::BAD => StatusKind::Bad,
        };
        let code = code.or_else(|| {
            reply.code.as_ref().map(|atom| Code::Other {
                atom: atom.clone(),
                text: None,
            })
        });
        StatusResponse {
            tag,
            kind,
            code,
            text: reply.text.clone(),
        }
    }
}
