//! CREATE (RFC 3501 §6.3.3): creates the mailbox and every missing superior
//! (MS-STANXIMAP V0026); a `\Noselect` placeholder of that name becomes a mailbox again.

use super::{mailboxes, user};
use crate::session::state::{HandlerResult, Outcome};
use crate::session::texts::Refusal;
use crate::session::Session;
use crate::wire::MailboxName;

pub async fn handle(s: &mut Session, name: &MailboxName) -> HandlerResult {
    let names = &s.profile().names;
    // A trailing delimiter announces the intent to create inferiors (RFC 3501 §6.3.3).
    let raw = name.as_bytes();
    let trimmed = raw.strip_suffix(&[names.delimiter() as u8]).unwrap_or(raw);
    let name = names.parse(&MailboxName::new(trimmed))?;
    names.check_new_name(&name)?;
    let all = mailboxes(s).await?;
    let user = user(s)?.id;
    let store = &s.env.store;
    match names.find(&all, &name) {
        Some(m) if !m.selectable => store.set_selectable(m.id, true, super::origin(s)).await?,
        Some(_) => return Err(Refusal::MailboxExists.into()),
        None => {
            for superior in names.superiors(&name) {
                if names.find(&all, &superior).is_none() {
                    store.create_mailbox(user, &superior, true).await?;
                }
            }
            store.create_mailbox(user, &name, true).await?;
        }
    }
    Ok(Outcome::ok())
}
