//! Telling a session what changed: reads the change feed for the selected mailbox, applies
//! it to the session's view, and turns pending updates into untagged responses at the
//! moments RFC 3501 allows (§5.2, §5.3, §7.4.1) and the profile chooses (V0002, V0046).

use super::selected::Selected;
use super::Env;
use crate::handlers::messages::flag_list;
use crate::storage::{ChangeKind, StoreError};
use crate::wire::{Data, FetchValue, Response};

/// When updates are being flushed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Moment {
    /// At the end of a command that may carry every update, and during IDLE.
    Full,
    /// During FETCH, STORE or SEARCH (not their UID forms): no EXPUNGE (§7.4.1).
    NoExpunge,
    /// No command in progress: only EXISTS and RECENT (§5.3).
    Unsolicited,
}

/// Reads and applies the changes after the session's feed position.
pub async fn poll(env: &Env, sel: &mut Selected) -> Result<(), StoreError> {
    let changes = env
        .store
        .changes_since(sel.mailbox.id, sel.feed_position)
        .await?;
    for change in changes {
        sel.feed_position = sel.feed_position.max(change.seq);
        match change.kind {
            ChangeKind::Appended { uid } => sel.appended(uid),
            ChangeKind::Expunged { uid } => sel.expunged(uid),
            ChangeKind::Flags { uid, flags } => {
                if env
                    .profile
                    .messages
                    .report_flag_change(change.origin, env.id)
                {
                    sel.flags_changed(uid, flags);
                }
            }
            // A rename keeps the mailbox (sessions follow it by id); only a deletion or a
            // new UIDVALIDITY ends the selection.
            ChangeKind::MailboxGone => {
                sel.gone |= env.store.mailbox(sel.mailbox.id).await?.is_none()
            }
            ChangeKind::UidValidity { .. } => sel.gone = true,
        }
    }
    Ok(())
}

/// Polls, then renders what may go out at this moment.
pub async fn flush(
    env: &Env,
    sel: &mut Selected,
    moment: Moment,
) -> Result<Vec<Response>, StoreError> {
    poll(env, sel).await?;
    claim_recent(env, sel).await?;
    let mut out = Vec::new();
    if let Some(n) = sel.take_exists() {
        out.push(Response::Data(Data::Exists(n as u32)));
        out.push(Response::Data(Data::Recent(sel.recent_count() as u32)));
    }
    if moment == Moment::Full {
        for seq in sel.take_expunges() {
            out.push(Response::Data(Data::Expunge(seq)));
        }
    }
    if moment != Moment::Unsolicited {
        for (seq, uid, flags) in sel.take_flags() {
            let items = vec![FetchValue::Flags(flag_list(&flags, sel.is_recent(uid)))];
            out.push(Response::Data(Data::Fetch { seq, items }));
        }
    }
    Ok(out)
}

/// Claims \Recent for messages that arrived since the last claim (read-write only: EXAMINE
/// must not take \Recent from other sessions, RFC 3501 §6.3.2).
async fn claim_recent(env: &Env, sel: &mut Selected) -> Result<(), StoreError> {
    let Some(from) = sel.unclaimed_from.take() else {
        return Ok(());
    };
    if sel.read_only {
        return Ok(());
    }
    let up_to = sel.next_uid();
    let old_floor = env.store.claim_recent(sel.mailbox.id, up_to).await?;
    sel.add_recent(old_floor.max(from), up_to);
    Ok(())
}
