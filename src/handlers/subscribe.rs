//! SUBSCRIBE and UNSUBSCRIBE (RFC 3501 §6.3.6, §6.3.7). Whether SUBSCRIBE checks that the
//! mailbox exists is the profile's choice (MS-STANXIMAP V0029).

use super::{mailboxes, user};
use crate::session::state::{HandlerResult, Outcome};
use crate::session::texts::Refusal;
use crate::session::Session;
use crate::wire::MailboxName;

pub async fn subscribe(s: &mut Session, name: &MailboxName) -> HandlerResult {
    let names = &s.profile().names;
    let name = names.parse(name)?;
    let all = mailboxes(s).await?;
    let found = names.find(&all, &name);
    if found.is_none() && names.subscribe_requires_existing() {
        return Err(Refusal::MailboxNotFound.into());
    }
    let stored = found.map_or(name, |m| m.name.clone());
    s.env.store.subscribe(user(s)?.id, &stored).await?;
    Ok(Outcome::ok())
}

pub async fn unsubscribe(s: &mut Session, name: &MailboxName) -> HandlerResult {
    let names = &s.profile().names;
    let name = names.parse(name)?;
    let user = user(s)?.id;
    let subscribed = s.env.store.subscriptions(user).await?;
    for sub in subscribed.iter().filter(|sub| names.same(sub, &name)) {
        s.env.store.unsubscribe(user, sub).await?;
    }
    Ok(Outcome::ok())
}
