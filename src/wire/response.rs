//! Server responses as typed values (RFC 3501 §7). Handlers build these; `wire::encode`
//! turns them into exact bytes under the profile's encoding options.

use super::types::*;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Response {
    Status(StatusResponse),
    Data(Data),
    Continue(Continue),
}

/// `+` continuation request (RFC 3501 §7.5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Continue {
    /// `+ text`.
    Text(String),
    /// `+ <base64>` for SASL challenges; an empty challenge is `+ ` (RFC 3501 §7.5).
    Base64(Vec<u8>),
    /// `+` with nothing after it, as Exchange prompts for an AUTHENTICATE response.
    Bare,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusKind {
    Ok,
    No,
    Bad,
    PreAuth,
    Bye,
}

/// OK / NO / BAD / PREAUTH / BYE, tagged or untagged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusResponse {
    pub tag: Option<Tag>,
    pub kind: StatusKind,
    pub code: Option<Code>,
    pub text: String,
}

impl StatusResponse {
    pub fn tagged(tag: Tag, kind: StatusKind, code: Option<Code>, text: impl Into<String>) -> Self {
        StatusResponse {
            tag: Some(tag),
            kind,
            code,
            text: text.into(),
        }
    }

    pub fn untagged(kind: StatusKind, code: Option<Code>, text: impl Into<String>) -> Self {
        StatusResponse {
            tag: None,
            kind,
            code,
            text: text.into(),
        }
    }
}

/// A set of UIDs as used by UIDPLUS response codes (RFC 4315 `uid-set`), kept in the order
/// the source and destination correspond.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UidSet(pub Vec<(u32, u32)>);

impl UidSet {
    /// Compresses an ordered list of UIDs into ranges, keeping the order (COPYUID pairs
    /// source and destination UIDs by position).
    pub fn from_uids(uids: &[u32]) -> UidSet {
        let mut ranges: Vec<(u32, u32)> = Vec::new();
        for &uid in uids {
            match ranges.last_mut() {
                Some((_, end)) if end.checked_add(1) == Some(uid) => *end = uid,
                _ => ranges.push((uid, uid)),
            }
        }
        UidSet(ranges)
    }
}

/// Response codes (RFC 3501 §7.1, RFC 4315, RFC 5530, RFC 5162-free).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Code {
    Alert,
    BadCharset(Vec<String>),
    Capability(Vec<String>),
    Parse,
    PermanentFlags(Vec<PermanentFlag>),
    ReadOnly,
    ReadWrite,
    TryCreate,
    UidNext(u32),
    UidValidity(u32),
    Unseen(u32),
    AppendUid {
        uidvalidity: u32,
        uids: UidSet,
    },
    CopyUid {
        uidvalidity: u32,
        source: UidSet,
        destination: UidSet,
    },
    /// Any other code: an atom and optional text, e.g. RFC 5530's `ALREADYEXISTS`,
    /// `NONEXISTENT`, `CANNOT`, `LIMIT`, `UNAVAILABLE`, or a hook's `THROTTLED`.
    Other {
        atom: String,
        text: Option<String>,
    },
}

/// Untagged data responses (RFC 3501 §7.2 – §7.4 and extensions).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Data {
    Capability(Vec<String>),
    List(ListItem),
    Lsub(ListItem),
    Status {
        mailbox: MailboxName,
        items: Vec<(StatusItem, u32)>,
    },
    Search(Vec<u32>),
    Flags(Vec<Flag>),
    Exists(u32),
    Recent(u32),
    Expunge(u32),
    Fetch {
        seq: u32,
        items: Vec<FetchValue>,
    },
    /// RFC 2342: personal, other users', shared; each a list of (prefix, delimiter), None
    /// for NIL.
    Namespace {
        personal: Option<Vec<(MailboxName, Option<char>)>>,
        other: Option<Vec<(MailboxName, Option<char>)>>,
        shared: Option<Vec<(MailboxName, Option<char>)>>,
    },
    /// RFC 2971; `None` is `* ID NIL`.
    Id(Option<Vec<(String, Option<String>)>>),
    /// A line sent exactly as given (without CRLF, which the encoder adds). Only for
    /// deliberate protocol quirks, such as Exchange's bare `[COPYUID ...]` line during MOVE,
    /// and for hooks that ask for raw lines.
    Raw(Vec<u8>),
}

/// One LIST or LSUB line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListItem {
    /// Name attributes with their backslash, e.g. `\Noselect`, `\HasChildren`.
    pub attributes: Vec<String>,
    /// `None` renders as NIL (flat namespace).
    pub delimiter: Option<char>,
    pub mailbox: MailboxName,
}

/// One item of a FETCH response (RFC 3501 §7.4.2 `msg-att`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetchValue {
    Flags(Vec<Flag>),
    InternalDate(ImapDateTime),
    Rfc822Size(u32),
    Uid(u32),
    Envelope(Box<Envelope>),
    /// `BODY` (never extension data).
    Body(Box<BodyStructure>),
    /// `BODYSTRUCTURE` (extension data as the profile says).
    BodyStructure(Box<BodyStructure>),
    /// `BODY[section]<origin> data`; `data: None` renders NIL.
    BodySection {
        section: Section,
        origin: Option<u32>,
        data: Option<Vec<u8>>,
    },
    Rfc822(Option<Vec<u8>>),
    Rfc822Header(Option<Vec<u8>>),
    Rfc822Text(Option<Vec<u8>>),
}
