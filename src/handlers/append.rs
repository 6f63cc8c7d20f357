//! APPEND (RFC 3501 §6.3.11): analyses the message once (ENVELOPE, BODYSTRUCTURE), stores it
//! with the flags the profile accepts, and answers `[APPENDUID]` where UIDPLUS is on. The
//! selected mailbox's EXISTS comes from the update flush, before the tagged OK (V0035).

use super::{existing, origin};
use crate::session::state::{HandlerResult, Outcome};
use crate::session::texts::Refusal;
use crate::session::Session;
use crate::storage::NewMessage;
use crate::wire::{Code, Flag, ImapDateTime, MailboxName, UidSet};

pub async fn handle(
    s: &mut Session,
    name: &MailboxName,
    flags: &[Flag],
    date: Option<ImapDateTime>,
    message: Vec<u8>,
) -> HandlerResult {
    let mailbox = existing(s, name, Refusal::MailboxTryCreate).await?;
    if !mailbox.selectable {
        return Err(Refusal::MailboxNotSelectable.into());
    }
    let analysis = crate::mime::analyze(&message);
    let internal_date = date.unwrap_or_else(now);
    let flags = s.profile().messages.settable(flags);
    let new = NewMessage::analyzed(&message, &analysis, flags, internal_date);
    let (uidvalidity, uid) = s.env.store.append(mailbox.id, new, origin(s)).await?;
    let mut outcome = Outcome::ok();
    if s.profile().capabilities.enabled("UIDPLUS") {
        outcome.code = Some(Code::AppendUid {
            uidvalidity,
            uids: UidSet::from_uids(&[uid]),
        });
    }
    Ok(outcome)
}

/// The current time as an internal date, in UTC.
pub fn now() -> ImapDateTime {
    ImapDateTime {
        timestamp: chrono::Utc::now().timestamp(),
        offset_minutes: 0,
    }
}
