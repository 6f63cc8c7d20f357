//! STATUS (RFC 3501 §6.3.10): the requested items, in the order asked.

use super::existing;
use crate::session::state::{HandlerResult, Outcome};
use crate::session::texts::Refusal;
use crate::session::{data, Session};
use crate::wire::{Data, MailboxName, StatusItem};

pub async fn handle(s: &mut Session, name: &MailboxName, items: &[StatusItem]) -> HandlerResult {
    let mailbox = existing(s, name, Refusal::MailboxNotFound).await?;
    if !mailbox.selectable {
        return Err(Refusal::MailboxNotSelectable.into());
    }
    let counts = s.env.store.counts(mailbox.id).await?;
    let values = items
        .iter()
        .map(|&item| {
            let v = match item {
                StatusItem::Messages => counts.messages,
                StatusItem::Recent => counts.recent,
                StatusItem::UidNext => mailbox.uidnext,
                StatusItem::UidValidity => mailbox.uidvalidity,
                StatusItem::Unseen => counts.unseen,
            };
            (item, v)
        })
        .collect();
    let listed = s.profile().names.listed(&mailbox.name);
    let status = Data::Status {
        mailbox: MailboxName::new(listed),
        items: values,
    };
    Ok(Outcome::with_untagged(vec![data(status)]))
}
