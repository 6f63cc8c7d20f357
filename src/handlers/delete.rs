//! DELETE (RFC 3501 §6.3.4): INBOX never; a mailbox with inferiors is refused
//! (MS-STANXIMAP V0027) or kept as `\Noselect` (RFC 3501), as the profile says.

use super::{existing, mailboxes, origin};
use crate::profile::model::DeleteWithInferiors;
use crate::session::state::{HandlerResult, Outcome};
use crate::session::texts::Refusal;
use crate::session::Session;
use crate::wire::MailboxName;

pub async fn handle(s: &mut Session, name: &MailboxName) -> HandlerResult {
    if name.is_inbox() {
        return Err(Refusal::DeleteInbox.into());
    }
    let mailbox = existing(s, name, Refusal::MailboxNotFound).await?;
    let names = &s.profile().names;
    let all = mailboxes(s).await?;
    let has_inferiors = all
        .iter()
        .any(|m| names.is_inferior(&m.name, &mailbox.name));
    let store = &s.env.store;
    match (has_inferiors, names.delete_with_inferiors()) {
        (false, _) => store.delete_mailbox(mailbox.id, origin(s)).await?,
        (true, DeleteWithInferiors::Refuse) => return Err(Refusal::DeleteHasInferiors.into()),
        // RFC 3501 §6.3.4: deleting a \Noselect name that has inferiors is an error.
        (true, DeleteWithInferiors::Noselect) if !mailbox.selectable => {
            return Err(Refusal::DeleteHasInferiors.into())
        }
        (true, DeleteWithInferiors::Noselect) => {
            store.set_selectable(mailbox.id, false, origin(s)).await?
        }
    }
    Ok(Outcome::ok())
}
