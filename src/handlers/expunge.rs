//! EXPUNGE (RFC 3501 §6.4.3) and UID EXPUNGE (RFC 4315 §2.1): removes \Deleted messages,
//! reports every pending expunge, then the new count where the profile says (V0055).

use super::origin;
use crate::session::state::{HandlerResult, Outcome, Refused};
use crate::session::texts::Refusal;
use crate::session::updates::{self, Moment};
use crate::session::{data, Session};
use crate::wire::{Data, Response, SequenceSet};

pub async fn handle(s: &mut Session, only: Option<&SequenceSet>) -> HandlerResult {
    let sel = s.state.selected().ok_or(Refusal::InvalidState)?;
    if sel.read_only {
        return Err(Refusal::ReadOnly.into());
    }
    let mailbox = sel.mailbox.id;
    let restrict = only.map(|set| sel.resolve(set, true)).transpose()?;
    let removed = s
        .env
        .store
        .expunge(mailbox, restrict.as_deref(), origin(s))
        .await?;
    let untagged = report(s, &removed).await?;
    Ok(Outcome::with_untagged(untagged))
}

/// EXPUNGE lines for `removed` (and any other pending ones), then `* n EXISTS` when the
/// profile reports the new size (V0055). Shared with MOVE.
pub async fn report(s: &mut Session, removed: &[u32]) -> Result<Vec<Response>, Refused> {
    let env = s.env.clone();
    let sel = s.state.selected_mut().ok_or(Refusal::InvalidState)?;
    sel.mark_expunged(removed);
    let mut out = updates::flush(&env, sel, Moment::Full).await?;
    if env.profile.messages.expunge_reports_exists() {
        out.push(data(Data::Exists(sel.reported_exists() as u32)));
    }
    Ok(out)
}
