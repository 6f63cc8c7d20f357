//! Typed IMAP values shared by commands and responses.
//!
//! Sits at the bottom of the command path: the decoder produces these, the handlers consume
//! them, the encoder renders them. Nothing here knows about sockets, storage or profiles.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A command tag. RFC 3501 §9 restricts it to ASTRING-CHAR minus `+`; Exchange accepts any
/// format (MS-STANXIMAP C0001), so the decoder decides what it accepts and this type only
/// guarantees that the tag is non-empty and has no SP, TAB, CR or LF.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Tag(String);

impl Tag {
    /// Builds a tag, refusing the empty string and the bytes that would break framing.
    pub fn new(tag: impl Into<String>) -> Option<Tag> {
        let tag = tag.into();
        let bad = |c: char| matches!(c, ' ' | '\t' | '\r' | '\n');
        (!tag.is_empty() && !tag.contains(bad)).then_some(Tag(tag))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A mailbox name as it travels on the wire: modified UTF-7 (RFC 3501 §5.1.3), not yet
/// validated or case-folded. `INBOX` normalisation and validation belong to the handlers.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MailboxName(pub Vec<u8>);

impl MailboxName {
    pub fn new(name: impl Into<Vec<u8>>) -> MailboxName {
        MailboxName(name.into())
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// True for any case variant of `INBOX` (RFC 3501 §5.1: INBOX is case-insensitive).
    pub fn is_inbox(&self) -> bool {
        self.0.eq_ignore_ascii_case(b"INBOX")
    }
}

/// A message flag. System flags are their own variants; `Keyword` is an atom without `\`;
/// `Extension` is a `\`-prefixed flag the server does not define (kept without the `\`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Flag {
    Seen,
    Answered,
    Flagged,
    Deleted,
    Draft,
    /// `\Recent`: only in responses; a client may not STORE it (RFC 3501 §2.3.2).
    Recent,
    Keyword(String),
    Extension(String),
}

/// A flag as it appears in `PERMANENTFLAGS`: a flag, or `\*` (clients may create keywords).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PermanentFlag {
    Flag(Flag),
    Wildcard,
}

/// One end of a sequence range: a number or `*` (the largest number in use).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeqNum {
    Value(u32),
    Star,
}

/// `a:b`, or a single number when `start == end`. Either end may be the larger one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeqRange {
    pub start: SeqNum,
    pub end: SeqNum,
}

/// A sequence set (RFC 3501 §9 `sequence-set`), either message sequence numbers or UIDs
/// depending on the command. Never empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SequenceSet(pub Vec<SeqRange>);

impl SequenceSet {
    /// True when `n` is in the set; `star` is the value `*` stands for (the largest number
    /// in use, or 0 for an empty mailbox).
    pub fn contains(&self, n: u32, star: u32) -> bool {
        self.0.iter().any(|r| {
            let a = resolve(r.start, star);
            let b = resolve(r.end, star);
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            lo <= n && n <= hi
        })
    }

    /// The ranges with `*` resolved and each range ordered low to high.
    pub fn resolved(&self, star: u32) -> impl Iterator<Item = (u32, u32)> + '_ {
        self.0.iter().map(move |r| {
            let a = resolve(r.start, star);
            let b = resolve(r.end, star);
            if a <= b {
                (a, b)
            } else {
                (b, a)
            }
        })
    }
}

fn resolve(n: SeqNum, star: u32) -> u32 {
    match n {
        SeqNum::Value(v) => v,
        SeqNum::Star => star,
    }
}

/// `date-time` of RFC 3501 §9: an instant plus the zone the client or server wrote it in,
/// so INTERNALDATE comes back exactly as APPEND gave it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImapDateTime {
    /// Seconds since the Unix epoch (UTC).
    pub timestamp: i64,
    /// Offset of the original zone from UTC, in minutes (`-0700` is -420).
    pub offset_minutes: i32,
}

/// `date` of RFC 3501 §9 (SEARCH BEFORE/ON/SINCE/SENT*), a calendar day without zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ImapDate {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

/// STATUS data items (RFC 3501 §6.3.10).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusItem {
    Messages,
    Recent,
    UidNext,
    UidValidity,
    Unseen,
}

/// A body section specifier (RFC 3501 §6.4.5 `section`): nested part numbers, then an
/// optional text part. `part` empty means the whole message.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Section {
    pub part: Vec<u32>,
    pub text: Option<SectionText>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SectionText {
    Header,
    /// Field names as the client wrote them (case kept: the response echoes them).
    HeaderFields(Vec<String>),
    HeaderFieldsNot(Vec<String>),
    Text,
    /// Only valid after a part number.
    Mime,
}

/// A FETCH data item (RFC 3501 §6.4.5). Macros (ALL, FAST, FULL) are expanded by the
/// decoder into these.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetchAttr {
    Envelope,
    Flags,
    InternalDate,
    Rfc822,
    Rfc822Header,
    Rfc822Size,
    Rfc822Text,
    /// `BODY` without a section: the non-extensible body structure.
    Body,
    BodyStructure,
    Uid,
    /// `BODY[section]<origin.count>` or `BODY.PEEK[...]`.
    BodySection {
        peek: bool,
        section: Section,
        partial: Option<(u32, u32)>,
    },
}

/// How STORE changes flags (RFC 3501 §6.4.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoreMode {
    Replace,
    Add,
    Remove,
}

/// A search key (RFC 3501 §6.4.4). String arguments are raw bytes in the command's CHARSET.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SearchKey {
    All,
    Answered,
    Bcc(Vec<u8>),
    Before(ImapDate),
    Body(Vec<u8>),
    Cc(Vec<u8>),
    Deleted,
    Draft,
    Flagged,
    From(Vec<u8>),
    Header(String, Vec<u8>),
    Keyword(String),
    Larger(u32),
    New,
    Not(Box<SearchKey>),
    Old,
    On(ImapDate),
    Or(Box<SearchKey>, Box<SearchKey>),
    Recent,
    Seen,
    SentBefore(ImapDate),
    SentOn(ImapDate),
    SentSince(ImapDate),
    Since(ImapDate),
    Smaller(u32),
    Subject(Vec<u8>),
    Text(Vec<u8>),
    To(Vec<u8>),
    Uid(SequenceSet),
    Unanswered,
    Undeleted,
    Undraft,
    Unflagged,
    Unkeyword(String),
    Unseen,
    SequenceSet(SequenceSet),
    /// A parenthesised list, or the top-level list of keys (all must match).
    And(Vec<SearchKey>),
}

impl SearchKey {
    /// Levels of parentheses in SEARCH criteria, as MS-STANXIMAP V0043 counts them:
    /// `SEEN` is 0, `(SEEN)` is 1, `(A (OR B (OR C D)))` is 3. Call it on the command's
    /// top-level `And`, which is not itself a parenthesised list.
    pub fn criteria_depth(&self) -> usize {
        match self {
            SearchKey::And(keys) => keys.iter().map(SearchKey::depth).max().unwrap_or(0),
            key => key.depth(),
        }
    }

    /// Parenthesis depth of one key: a parenthesised list (`And`) adds one level.
    pub fn depth(&self) -> usize {
        match self {
            SearchKey::Not(k) => k.depth(),
            SearchKey::Or(a, b) => a.depth().max(b.depth()),
            SearchKey::And(keys) => 1 + keys.iter().map(SearchKey::depth).max().unwrap_or(0),
            _ => 0,
        }
    }
}

/// The ENVELOPE structure (RFC 3501 §7.4.2), computed once at APPEND and stored.
///
/// Strings are the raw header bytes (unfolded, RFC 2047 words kept). `None` means the header
/// is absent; `Some(empty)` means present but empty, which a profile may render as `""` or as
/// NIL (MS-STANXIMAP V0057).
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Envelope {
    pub date: Option<Vec<u8>>,
    pub subject: Option<Vec<u8>>,
    pub from: Vec<Address>,
    pub sender: Vec<Address>,
    pub reply_to: Vec<Address>,
    pub to: Vec<Address>,
    pub cc: Vec<Address>,
    pub bcc: Vec<Address>,
    pub in_reply_to: Option<Vec<u8>>,
    pub message_id: Option<Vec<u8>>,
}

/// One address of an ENVELOPE address list. A group is written as RFC 3501 says: a start
/// marker (`mailbox` = group name, `host` = None) then members then an end marker (both
/// None).
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Address {
    pub name: Option<Vec<u8>>,
    pub adl: Option<Vec<u8>>,
    pub mailbox: Option<Vec<u8>>,
    pub host: Option<Vec<u8>>,
}

/// BODYSTRUCTURE (RFC 3501 §7.4.2), computed once at APPEND and stored. Extension data is
/// always kept; whether it is sent is the encoder's decision (BODY never has it; a profile
/// may drop it from BODYSTRUCTURE, MS-STANXIMAP V0056).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BodyStructure {
    Single {
        fields: BodyFields,
        kind: SingleKind,
        ext: SingleExt,
    },
    Multi {
        parts: Vec<BodyStructure>,
        /// e.g. `mixed` (the type is always `multipart`).
        subtype: String,
        ext: MultiExt,
    },
}

/// `body-fields` plus the media type: shared by every non-multipart body.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BodyFields {
    pub media_type: String,
    pub subtype: String,
    /// `body-fld-param`: attribute/value pairs, attribute as written.
    pub params: Vec<(String, Vec<u8>)>,
    pub id: Option<Vec<u8>>,
    pub description: Option<Vec<u8>>,
    /// Content-Transfer-Encoding as written, `7BIT` when absent.
    pub encoding: String,
    /// Octets of the encoded body.
    pub size: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SingleKind {
    Basic,
    /// `text/*`: size in lines of the encoded body.
    Text {
        lines: u32,
    },
    /// `message/rfc822`: the encapsulated message.
    Message {
        envelope: Box<Envelope>,
        body: Box<BodyStructure>,
        lines: u32,
    },
}

/// Extension data of a non-multipart body (`body-ext-1part`).
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SingleExt {
    pub md5: Option<Vec<u8>>,
    pub disposition: Option<Disposition>,
    pub language: Vec<Vec<u8>>,
    pub location: Option<Vec<u8>>,
}

/// Extension data of a multipart body (`body-ext-mpart`).
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MultiExt {
    pub params: Vec<(String, Vec<u8>)>,
    pub disposition: Option<Disposition>,
    pub language: Vec<Vec<u8>>,
    pub location: Option<Vec<u8>>,
}

/// Content-Disposition: type (`attachment`, `inline`, ...) and parameters.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Disposition {
    pub kind: String,
    pub params: Vec<(String, Vec<u8>)>,
}
