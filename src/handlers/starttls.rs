//! STARTTLS (RFC 3501 §6.2.1): OK, then the connection layer runs the handshake after
//! discarding any plaintext pipelined behind the command.

use crate::session::state::{HandlerResult, Outcome, Transition};
use crate::session::texts::Refusal;
use crate::session::Session;

pub fn handle(s: &Session) -> HandlerResult {
    if s.env.tls || !s.env.starttls_available {
        return Err(Refusal::InvalidState.into());
    }
    let text = s.profile().texts.texts().starttls.clone();
    let mut outcome = Outcome::ok().transition(Transition::StartTls);
    outcome.text = Some(text);
    Ok(outcome)
}
