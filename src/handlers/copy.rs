//! COPY, UID COPY (RFC 3501 §6.4.7) and MOVE, UID MOVE (RFC 6851): `[COPYUID]` where
//! UIDPLUS is on; for MOVE in the form the profile chooses (an untagged OK, or Exchange's
//! bare line), before the EXPUNGE lines.

use super::{existing, origin};
use crate::profile::model::MoveCopyUid;
use crate::session::state::{HandlerResult, Outcome};
use crate::session::texts::Refusal;
use crate::session::{status, Session};
use crate::wire::{Code, Data, MailboxName, Response, SequenceSet, StatusKind, UidSet};

pub async fn handle(
    s: &mut Session,
    set: &SequenceSet,
    target: &MailboxName,
    uid: bool,
    moving: bool,
) -> HandlerResult {
    let sel = s.state.selected().ok_or(Refusal::InvalidState)?;
    if moving && sel.read_only {
        return Err(Refusal::ReadOnly.into());
    }
    let uids = sel.resolve(set, uid)?;
    let source = sel.mailbox.id;
    let target = existing(s, target, Refusal::MailboxTryCreate).await?;
    if !target.selectable {
        return Err(Refusal::MailboxTryCreate.into());
    }
    if uids.is_empty() {
        return Ok(Outcome::ok());
    }
    let store = &s.env.store;
    let (uidvalidity, pairs) = if moving {
        store
            .move_messages(source, &uids, target.id, origin(s))
            .await?
    } else {
        store.copy(source, &uids, target.id, origin(s)).await?
    };
    let code =
        (s.profile().capabilities.enabled("UIDPLUS") && !pairs.is_empty()).then(|| Code::CopyUid {
            uidvalidity,
            source: UidSet::from_uids(&pairs.iter().map(|p| p.0).collect::<Vec<_>>()),
            destination: UidSet::from_uids(&pairs.iter().map(|p| p.1).collect::<Vec<_>>()),
        });
    if !moving {
        let mut outcome = Outcome::ok();
        outcome.code = code;
        return Ok(outcome);
    }
    let mut untagged = code
        .map(|c| copyuid_line(s, c))
        .into_iter()
        .collect::<Vec<_>>();
    let moved: Vec<u32> = pairs.iter().map(|p| p.0).collect();
    untagged.extend(super::expunge::report(s, &moved).await?);
    Ok(Outcome::with_untagged(untagged))
}

/// MOVE's COPYUID as the profile writes it (PROFILES.md "MOVE"): the bare form is the
/// untagged OK's bytes without `* OK ` and without text.
fn copyuid_line(s: &Session, code: Code) -> Response {
    let ok = status(None, StatusKind::Ok, Some(code), "Moved");
    match s.profile().responses.move_copyuid() {
        MoveCopyUid::UntaggedOk => ok,
        MoveCopyUid::BareLine => {
            let mut bytes = Vec::new();
            crate::wire::encode_response(&ok, &crate::wire::EncodeOptions::strict(), &mut bytes);
            let line = bytes.strip_prefix(b"* OK ").unwrap_or(&bytes);
            let end = line
                .iter()
                .rposition(|&b| b == b']')
                .map_or(line.len(), |i| i + 1);
            Response::Data(Data::Raw(line[..end].to_vec()))
        }
    }
}
