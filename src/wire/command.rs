//! Client commands as typed values (RFC 3501 §6 plus the extensions the profiles advertise).
//!
//! The decoder (`wire::decode`) builds these from framed bytes; `session::gate` and the
//! handlers consume them.

use super::types::*;
use crate::secret::Secret;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    pub tag: Tag,
    pub body: CommandBody,
}

/// The SASL initial response of `AUTHENTICATE mech <ir>` (RFC 4959): decoded base64, where
/// `=` stands for an empty response.
pub type InitialResponse = Secret;

/// RFC 2971 ID parameters: field name and value (NIL as None).
pub type IdParams = Vec<(Vec<u8>, Option<Vec<u8>>)>;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CommandBody {
    // Any state (RFC 3501 §6.1)
    Capability,
    Noop,
    Logout,
    /// RFC 2971. `None` is `ID NIL`.
    Id(Option<IdParams>),

    // Not authenticated (§6.2)
    StartTls,
    Authenticate {
        /// Upper-cased mechanism name.
        mechanism: String,
        initial_response: Option<InitialResponse>,
    },
    Login {
        username: Vec<u8>,
        password: Secret,
    },

    // Authenticated (§6.3)
    Select(MailboxName),
    Examine(MailboxName),
    Create(MailboxName),
    Delete(MailboxName),
    Rename {
        from: MailboxName,
        to: MailboxName,
    },
    Subscribe(MailboxName),
    Unsubscribe(MailboxName),
    List {
        reference: MailboxName,
        /// `list-mailbox`: may hold `%` and `*`.
        pattern: Vec<u8>,
    },
    Lsub {
        reference: MailboxName,
        pattern: Vec<u8>,
    },
    Status {
        mailbox: MailboxName,
        items: Vec<StatusItem>,
    },
    Append {
        mailbox: MailboxName,
        flags: Vec<Flag>,
        date: Option<ImapDateTime>,
        message: Vec<u8>,
    },
    /// RFC 2177
    Idle,
    /// RFC 2342
    Namespace,

    // Selected (§6.4)
    Check,
    Close,
    /// RFC 3691
    Unselect,
    Expunge,
    /// RFC 4315 `UID EXPUNGE`
    UidExpunge(SequenceSet),
    Search {
        charset: Option<String>,
        /// Always `SearchKey::And` of the top-level keys.
        criteria: SearchKey,
        uid: bool,
    },
    Fetch {
        set: SequenceSet,
        attrs: Vec<FetchAttr>,
        uid: bool,
    },
    Store {
        set: SequenceSet,
        mode: StoreMode,
        silent: bool,
        flags: Vec<Flag>,
        uid: bool,
    },
    Copy {
        set: SequenceSet,
        mailbox: MailboxName,
        uid: bool,
    },
    /// RFC 6851
    Move {
        set: SequenceSet,
        mailbox: MailboxName,
        uid: bool,
    },
}

impl CommandBody {
    /// The command word in upper case as it appears in completion texts
    /// (`OK FETCH completed.`); UID commands keep the inner word (`UID FETCH` -> `FETCH`).
    pub fn name(&self) -> &'static str {
        use CommandBody::*;
        match self {
            Capability => "CAPABILITY",
            Noop => "NOOP",
            Logout => "LOGOUT",
            Id(_) => "ID",
            StartTls => "STARTTLS",
            Authenticate { .. } => "AUTHENTICATE",
            Login { .. } => "LOGIN",
            Select(_) => "SELECT",
            Examine(_) => "EXAMINE",
            Create(_) => "CREATE",
            Delete(_) => "DELETE",
            Rename { .. } => "RENAME",
            Subscribe(_) => "SUBSCRIBE",
            Unsubscribe(_) => "UNSUBSCRIBE",
            List { .. } => "LIST",
            Lsub { .. } => "LSUB",
            Status { .. } => "STATUS",
            Append { .. } => "APPEND",
            Idle => "IDLE",
            Namespace => "NAMESPACE",
            Check => "CHECK",
            Close => "CLOSE",
            Unselect => "UNSELECT",
            Expunge => "EXPUNGE",
            UidExpunge(_) => "EXPUNGE",
            Search { .. } => "SEARCH",
            Fetch { .. } => "FETCH",
            Store { .. } => "STORE",
            Copy { .. } => "COPY",
            Move { .. } => "MOVE",
        }
    }

    /// True for the `UID` forms (UID FETCH, UID SEARCH, ...).
    pub fn is_uid(&self) -> bool {
        use CommandBody::*;
        match self {
            UidExpunge(_) => true,
            Search { uid, .. } | Fetch { uid, .. } | Store { uid, .. } => *uid,
            Copy { uid, .. } | Move { uid, .. } => *uid,
            _ => false,
        }
    }
}
