//! Command handlers, one file per command (or per family sharing one shape: LIST and LSUB,
//! COPY and MOVE). Handlers return an `Outcome` or a `Refused`; they never write bytes and
//! never change the session state themselves (`session::dispatch` does, from the outcome).
//!
//! LOGIN, AUTHENTICATE and IDLE are interactive sub-protocols and live in `session`.

pub mod append;
pub mod capability;
pub mod close;
pub mod copy;
pub mod create;
pub mod delete;
pub mod expunge;
pub mod fetch;
pub mod id;
pub mod list;
pub mod logout;
pub mod messages;
pub mod names;
pub mod namespace;
pub mod rename;
pub mod search;
pub mod select;
pub mod starttls;
pub mod status;
pub mod store;
pub mod subscribe;

use crate::session::state::{HandlerResult, Outcome, Refused};
use crate::session::texts::Refusal;
use crate::session::Session;
use crate::storage::{Mailbox, Origin, User};
use crate::wire::{CommandBody, MailboxName};

/// Routes a gated command to its handler.
pub async fn run(s: &mut Session, body: CommandBody) -> HandlerResult {
    use CommandBody::*;
    match body {
        Capability => capability::handle(s),
        Noop | Check => Ok(Outcome::ok()),
        Logout => logout::handle(s),
        Id(params) => id::handle(s, params),
        StartTls => starttls::handle(s),
        Select(name) => select::handle(s, &name, false).await,
        Examine(name) => select::handle(s, &name, true).await,
        Create(name) => create::handle(s, &name).await,
        Delete(name) => delete::handle(s, &name).await,
        Rename { from, to } => rename::handle(s, &from, &to).await,
        Subscribe(name) => subscribe::subscribe(s, &name).await,
        Unsubscribe(name) => subscribe::unsubscribe(s, &name).await,
        List { reference, pattern } => list::list(s, &reference, &pattern).await,
        Lsub { reference, pattern } => list::lsub(s, &reference, &pattern).await,
        Status { mailbox, items } => status::handle(s, &mailbox, &items).await,
        Append {
            mailbox,
            flags,
            date,
            message,
        } => append::handle(s, &mailbox, &flags, date, message).await,
        Namespace => namespace::handle(s),
        Close => close::close(s).await,
        Unselect => close::unselect(),
        Expunge => expunge::handle(s, None).await,
        UidExpunge(set) => expunge::handle(s, Some(&set)).await,
        Search {
            charset,
            criteria,
            uid,
        } => search::handle(s, charset.as_deref(), &criteria, uid).await,
        Fetch { set, attrs, uid } => fetch::handle(s, &set, &attrs, uid).await,
        Store {
            set,
            mode,
            silent,
            flags,
            uid,
        } => store::handle(s, &set, mode, silent, &flags, uid).await,
        Copy { set, mailbox, uid } => copy::handle(s, &set, &mailbox, uid, false).await,
        Move { set, mailbox, uid } => copy::handle(s, &set, &mailbox, uid, true).await,
        // Interactive commands are routed by the session before handlers run.
        Authenticate { .. } | Login { .. } | Idle => Err(Refusal::InvalidState.into()),
    }
}

/// The authenticated user (the gate guarantees one for every command that asks).
pub(crate) fn user(s: &Session) -> Result<&User, Refused> {
    s.state.user().ok_or_else(|| Refusal::InvalidState.into())
}

/// The origin of changes this session makes.
pub(crate) fn origin(s: &Session) -> Origin {
    Origin::Session(s.env.id)
}

/// All of the user's mailboxes.
pub(crate) async fn mailboxes(s: &Session) -> Result<Vec<Mailbox>, Refused> {
    let user = user(s)?.id;
    Ok(s.env.store.list_mailboxes(user).await?)
}

/// Parses a name and finds the existing mailbox it denotes.
pub(crate) async fn existing(
    s: &Session,
    name: &MailboxName,
    missing: Refusal,
) -> Result<Mailbox, Refused> {
    let name = s.profile().names.parse(name)?;
    let all = mailboxes(s).await?;
    s.profile()
        .names
        .find(&all, &name)
        .cloned()
        .ok_or_else(|| missing.into())
}
