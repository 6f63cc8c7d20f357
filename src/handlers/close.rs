//! CLOSE (RFC 3501 §6.4.2) expunges silently and deselects; UNSELECT (RFC 3691) only
//! deselects.

use super::origin;
use crate::session::state::{HandlerResult, Outcome, Transition};
use crate::session::Session;

pub async fn close(s: &mut Session) -> HandlerResult {
    let target = s
        .state
        .selected()
        .filter(|sel| !sel.read_only)
        .map(|sel| sel.mailbox.id);
    if let Some(mailbox) = target {
        s.env.store.expunge(mailbox, None, origin(s)).await?;
    }
    Ok(Outcome::ok().transition(Transition::Unselect))
}

pub fn unselect() -> HandlerResult {
    Ok(Outcome::ok().transition(Transition::Unselect))
}
