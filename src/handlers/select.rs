//! SELECT and EXAMINE (RFC 3501 §6.3.1, §6.3.2): the untagged block in PROFILES.md's order,
//! then `[READ-WRITE]` or `[READ-ONLY]`.

use super::existing;
use crate::session::selected::Selected;
use crate::session::state::{HandlerResult, Outcome, Refused, Transition};
use crate::session::texts::Refusal;
use crate::session::{data, status, Session};
use crate::wire::{Code, Data, MailboxName, Response, StatusKind};

pub async fn handle(s: &mut Session, name: &MailboxName, read_only: bool) -> HandlerResult {
    // A failed SELECT leaves no mailbox selected (RFC 3501 §6.3.1).
    let leave = |r: Refused| Refused {
        transition: Some(Transition::Unselect),
        ..r
    };
    let mailbox = existing(s, name, Refusal::MailboxNotFound)
        .await
        .map_err(leave)?;
    if !mailbox.selectable {
        return Err(leave(Refusal::MailboxNotSelectable.into()));
    }
    let store = &s.env.store;
    let snapshot = store
        .snapshot(mailbox.id)
        .await
        .map_err(|e| leave(e.into()))?;
    let next_uid = snapshot
        .uids
        .last()
        .map_or(1, |u| u + 1)
        .max(snapshot.mailbox.uidnext);
    let recent_from = if read_only {
        snapshot.recent_floor
    } else {
        store
            .claim_recent(mailbox.id, next_uid)
            .await
            .map_err(|e| leave(e.into()))?
    };
    let first_unseen = snapshot.first_unseen_uid;
    let selected = Selected::new(snapshot, read_only, recent_from);
    let untagged = untagged_block(s, &selected, first_unseen, read_only);
    let code = if read_only {
        Code::ReadOnly
    } else {
        Code::ReadWrite
    };
    Ok(Outcome::with_untagged(untagged)
        .code(code)
        .transition(Transition::Select(Box::new(selected))))
}

fn untagged_block(
    s: &Session,
    sel: &Selected,
    first_unseen: Option<u32>,
    read_only: bool,
) -> Vec<Response> {
    let texts = s.profile().texts.texts();
    let messages = &s.profile().messages;
    let ok = |code, text: &str| status(None, StatusKind::Ok, Some(code), text);
    let permanent = if read_only {
        Vec::new()
    } else {
        messages.permanent_flags()
    };
    let mut out = vec![
        data(Data::Exists(sel.exists() as u32)),
        data(Data::Recent(sel.recent_count() as u32)),
        data(Data::Flags(messages.flags())),
        ok(Code::PermanentFlags(permanent), &texts.permanent_flags),
    ];
    if let Some(seq) = first_unseen.and_then(|uid| sel.seq_of(uid)) {
        out.push(ok(Code::Unseen(seq), &texts.first_unseen));
    }
    out.push(ok(
        Code::UidValidity(sel.mailbox.uidvalidity),
        &texts.uidvalidity,
    ));
    out.push(ok(Code::UidNext(sel.next_uid()), &texts.uidnext));
    out
}
