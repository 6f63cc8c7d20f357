//! STORE and UID STORE (RFC 3501 §6.4.6): only the flags the profile accepts are stored
//! (V0005); the new flags come back as FETCH unless `.SILENT`.

use super::messages::flag_list;
use super::origin;
use crate::session::state::{HandlerResult, Outcome};
use crate::session::texts::Refusal;
use crate::session::{data, Session};
use crate::wire::{Data, FetchValue, Flag, SequenceSet, StoreMode};

pub async fn handle(
    s: &mut Session,
    set: &SequenceSet,
    mode: StoreMode,
    silent: bool,
    flags: &[Flag],
    uid: bool,
) -> HandlerResult {
    let sel = s.state.selected().ok_or(Refusal::InvalidState)?;
    if sel.read_only {
        return Err(Refusal::ReadOnly.into());
    }
    let uids = sel.resolve(set, uid)?;
    let mailbox = sel.mailbox.id;
    let flags = s.profile().messages.settable(flags);
    let updated = if uids.is_empty() {
        Vec::new()
    } else {
        s.env
            .store
            .store_flags(mailbox, &uids, mode, &flags, origin(s))
            .await?
    };
    let sel = s.state.selected_mut().ok_or(Refusal::InvalidState)?;
    let mut out = Vec::new();
    for (u, new_flags) in updated {
        sel.forget_flags(u);
        if silent {
            continue;
        }
        let Some(seq) = sel.seq_of(u) else { continue };
        let mut items = vec![FetchValue::Flags(flag_list(&new_flags, sel.is_recent(u)))];
        if uid {
            items.insert(0, FetchValue::Uid(u));
        }
        out.push(data(Data::Fetch { seq, items }));
    }
    Ok(Outcome::with_untagged(out))
}
