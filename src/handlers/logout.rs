//! LOGOUT (RFC 3501 §6.1.3): the profile's BYE, the tagged OK, then close.

use crate::session::state::{HandlerResult, Outcome, Transition};
use crate::session::{status, Session};
use crate::wire::StatusKind;

pub fn handle(s: &Session) -> HandlerResult {
    let bye = status(None, StatusKind::Bye, None, s.profile().greeting.logout());
    Ok(Outcome::with_untagged(vec![bye]).transition(Transition::Logout))
}
