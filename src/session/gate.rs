//! Which command is allowed in which state (RFC 3501 §6), and which extension commands
//! exist under this profile: one pure function, consulted before any handler runs.

use super::capability::CapabilityPolicy;
use super::state::StateKind;
use super::texts::Refusal;
use crate::wire::CommandBody;

/// Ok when `body` may run in `state`; the refusal otherwise.
pub fn gate(state: StateKind, body: &CommandBody, caps: &CapabilityPolicy) -> Result<(), Refusal> {
    use CommandBody::*;
    if let Some(ext) = extension(body) {
        if !caps.enabled(ext) {
            return Err(Refusal::UnknownCommand);
        }
    }
    let allowed = match body {
        Capability | Noop | Logout | Id(_) => true,
        StartTls | Authenticate { .. } | Login { .. } => state == StateKind::NotAuthenticated,
        Select(_)
        | Examine(_)
        | Create(_)
        | Delete(_)
        | Rename { .. }
        | Subscribe(_)
        | Unsubscribe(_)
        | List { .. }
        | Lsub { .. }
        | Status { .. }
        | Append { .. }
        | Idle
        | Namespace => {
            matches!(state, StateKind::Authenticated | StateKind::Selected)
        }
        Check
        | Close
        | Unselect
        | Expunge
        | UidExpunge(_)
        | Search { .. }
        | Fetch { .. }
        | Store { .. }
        | Copy { .. }
        | Move { .. } => state == StateKind::Selected,
    };
    if allowed {
        Ok(())
    } else {
        Err(Refusal::InvalidState)
    }
}

/// The capability an extension command needs.
fn extension(body: &CommandBody) -> Option<&'static str> {
    use CommandBody::*;
    match body {
        Id(_) => Some("ID"),
        Idle => Some("IDLE"),
        Namespace => Some("NAMESPACE"),
        Unselect => Some("UNSELECT"),
        UidExpunge(_) => Some("UIDPLUS"),
        Move { .. } => Some("MOVE"),
        _ => None,
    }
}
