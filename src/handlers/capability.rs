//! CAPABILITY (RFC 3501 §6.1.1): the line for the connection's current state.

use crate::session::state::{HandlerResult, Outcome};
use crate::session::{data, Session};
use crate::wire::Data;

pub fn handle(s: &Session) -> HandlerResult {
    Ok(Outcome::with_untagged(vec![data(Data::Capability(
        s.capabilities(),
    ))]))
}
