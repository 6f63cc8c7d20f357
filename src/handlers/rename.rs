//! RENAME (RFC 3501 §6.3.5): a mailbox and its inferiors move together; renaming INBOX
//! moves its messages to a new mailbox and leaves INBOX empty. A new name with the
//! delimiter is refused with BAD (MS-STANXIMAP V0028) or gets its superiors created.

use super::{mailboxes, origin, user};
use crate::profile::model::RenameWithDelimiter;
use crate::session::state::{HandlerResult, Outcome};
use crate::session::texts::Refusal;
use crate::session::Session;
use crate::storage::Mailbox;
use crate::wire::MailboxName;

pub async fn handle(s: &mut Session, from: &MailboxName, to: &MailboxName) -> HandlerResult {
    let names = &s.profile().names;
    let from = names.parse(from)?;
    let to = names.parse(to)?;
    let has_delimiter = to.contains(names.delimiter());
    if has_delimiter && names.rename_with_delimiter() == RenameWithDelimiter::Bad {
        return Err(Refusal::BadArguments.into());
    }
    names.check_new_name(&to)?;
    let all = mailboxes(s).await?;
    let source = names
        .find(&all, &from)
        .cloned()
        .ok_or(Refusal::MailboxNotFound)?;
    if to == "INBOX" || names.is_inferior(&to, &source.name) || to == source.name {
        return Err(Refusal::RenameInvalid.into());
    }
    if names.find(&all, &to).is_some_and(|m| m.id != source.id) {
        return Err(Refusal::MailboxExists.into());
    }
    let user = user(s)?.id;
    let store = &s.env.store;
    for superior in names.superiors(&to) {
        if names.find(&all, &superior).is_none() {
            store.create_mailbox(user, &superior, true).await?;
        }
    }
    let renames = if source.name == "INBOX" {
        vec![(source.id, to.clone())]
    } else {
        with_inferiors(s, &all, &source, &to)?
    };
    store.rename_mailboxes(&renames, origin(s)).await?;
    if source.name == "INBOX" {
        store.create_mailbox(user, "INBOX", true).await?;
    }
    Ok(Outcome::ok())
}

/// The mailbox and each inferior with its new name; refuses if any target exists.
fn with_inferiors(
    s: &Session,
    all: &[Mailbox],
    source: &Mailbox,
    to: &str,
) -> Result<Vec<(i64, String)>, Refusal> {
    let names = &s.profile().names;
    let mut renames = vec![(source.id, to.to_string())];
    for m in all
        .iter()
        .filter(|m| names.is_inferior(&m.name, &source.name))
    {
        let new_name = format!("{to}{}", &m.name[source.name.len()..]);
        if names.find(all, &new_name).is_some() {
            return Err(Refusal::MailboxExists);
        }
        renames.push((m.id, new_name));
    }
    Ok(renames)
}
