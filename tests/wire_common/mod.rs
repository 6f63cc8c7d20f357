//! proptest strategies for the wire codec's typed values: valid `Command`s (every
//! `CommandBody` variant, every search key and fetch attribute) and strict-profile
//! `Response`s. Shared by `wire_roundtrip`, `wire_fuzz` and `wire_oracle`.

#![allow(dead_code)]

mod responses;

#[allow(unused_imports)]
pub use responses::response;

use imap_mimic::secret::Secret;
use imap_mimic::wire::*;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

/// Any bytes a string may carry: everything but NUL (RFC 3501 CHAR8 excludes it).
pub fn bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        vec(1u8..=255, 0..max),
        vec(
            prop_oneof![Just(b'a'), Just(b' '), Just(b'"'), Just(b'\\'), Just(b'%')],
            0..max
        ),
        "[A-Za-z0-9]{1,8}".prop_map(String::into_bytes),
    ]
}

/// `atom` text (what keywords and mechanism names are made of).
pub fn atom() -> impl Strategy<Value = String> {
    "[A-Za-z0-9$_.+&=-]{1,10}"
}

pub fn tag() -> impl Strategy<Value = Tag> {
    "[A-Za-z0-9.!#$&'=\\]-]{1,8}".prop_filter_map("tag", Tag::new)
}

pub fn mailbox() -> impl Strategy<Value = MailboxName> {
    prop_oneof![
        Just(b"INBOX".to_vec()),
        "[A-Za-z &/.-]{0,12}".prop_map(String::into_bytes),
        bytes(12)
    ]
    .prop_map(MailboxName)
}

pub fn flag() -> impl Strategy<Value = Flag> {
    prop_oneof![
        Just(Flag::Seen),
        Just(Flag::Answered),
        Just(Flag::Flagged),
        Just(Flag::Deleted),
        Just(Flag::Draft),
        Just(Flag::Recent),
        atom().prop_map(Flag::Keyword),
        // Prefixed so it can never spell a system flag.
        atom().prop_map(|a| Flag::Extension(format!("X{a}"))),
    ]
}

pub fn seq_num() -> impl Strategy<Value = SeqNum> {
    prop_oneof![
        Just(SeqNum::Star),
        (1u32..=u32::MAX).prop_map(SeqNum::Value),
        (1u32..20).prop_map(SeqNum::Value)
    ]
}

pub fn sequence_set() -> impl Strategy<Value = SequenceSet> {
    vec((seq_num(), seq_num()), 1..5).prop_map(|ranges| {
        SequenceSet(
            ranges
                .into_iter()
                .map(|(start, end)| SeqRange { start, end })
                .collect(),
        )
    })
}

pub fn date() -> impl Strategy<Value = ImapDate> {
    (1000i32..=9999, 1u32..=12, 1u32..=28).prop_map(|(year, month, day)| ImapDate {
        year,
        month,
        day,
    })
}

/// Instants whose local rendering stays within years 0001 – 9998.
pub fn date_time() -> impl Strategy<Value = ImapDateTime> {
    (-62_000_000_000i64..253_370_000_000, -1439i32..=1439).prop_map(
        |(timestamp, offset_minutes)| ImapDateTime {
            timestamp,
            offset_minutes,
        },
    )
}

/// Any text without NUL, or a plain header-like name.
fn utf8() -> impl Strategy<Value = String> {
    prop_oneof!["[^\u{0}]{0,8}", "[A-Za-z-]{1,10}"]
}

pub fn search_key() -> impl Strategy<Value = SearchKey> {
    use SearchKey::*;
    let leaf = prop_oneof![
        prop_oneof![
            Just(All),
            Just(Answered),
            Just(Deleted),
            Just(Draft),
            Just(Flagged),
            Just(New),
            Just(Old),
            Just(Recent),
            Just(Seen),
            Just(Unanswered),
            Just(Undeleted),
            Just(Undraft),
            Just(Unflagged),
            Just(Unseen),
        ],
        prop_oneof![
            bytes(10).prop_map(Bcc),
            bytes(10).prop_map(Body),
            bytes(10).prop_map(Cc),
            bytes(10).prop_map(From),
            bytes(10).prop_map(Subject),
            bytes(10).prop_map(Text),
            bytes(10).prop_map(To),
            (utf8(), bytes(10)).prop_map(|(n, v)| Header(n, v)),
        ],
        prop_oneof![
            date().prop_map(Before),
            date().prop_map(On),
            date().prop_map(Since),
            date().prop_map(SentBefore),
            date().prop_map(SentOn),
            date().prop_map(SentSince),
        ],
        prop_oneof![
            atom().prop_map(Keyword),
            atom().prop_map(Unkeyword),
            any::<u32>().prop_map(Larger),
            any::<u32>().prop_map(Smaller),
            sequence_set().prop_map(Uid),
            sequence_set().prop_map(SequenceSet),
        ],
    ];
    leaf.prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            inner.clone().prop_map(|k| Not(Box::new(k))),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Or(Box::new(a), Box::new(b))),
            vec(inner, 1..3).prop_map(And),
        ]
    })
}

pub fn section() -> impl Strategy<Value = Section> {
    let names = vec(utf8(), 1..3);
    (vec(1u32..=u32::MAX, 0..3), 0u8..6, names).prop_map(|(part, text, names)| {
        let text = match text {
            0 => None,
            1 => Some(SectionText::Header),
            2 => Some(SectionText::HeaderFields(names)),
            3 => Some(SectionText::HeaderFieldsNot(names)),
            4 => Some(SectionText::Text),
            _ if part.is_empty() => Some(SectionText::Text),
            _ => Some(SectionText::Mime),
        };
        Section { part, text }
    })
}

pub fn fetch_attr() -> impl Strategy<Value = FetchAttr> {
    use FetchAttr::*;
    prop_oneof![
        prop_oneof![
            Just(Envelope),
            Just(Flags),
            Just(InternalDate),
            Just(Rfc822),
            Just(Rfc822Header),
            Just(Rfc822Size),
            Just(Rfc822Text),
            Just(Body),
            Just(BodyStructure),
            Just(Uid),
        ],
        (
            any::<bool>(),
            section(),
            option::of((any::<u32>(), 1u32..=u32::MAX))
        )
            .prop_map(|(peek, section, partial)| BodySection {
                peek,
                section,
                partial
            }),
    ]
}

fn status_item() -> impl Strategy<Value = StatusItem> {
    use StatusItem::*;
    prop_oneof![
        Just(Messages),
        Just(Recent),
        Just(UidNext),
        Just(UidValidity),
        Just(Unseen)
    ]
}

fn store_mode() -> impl Strategy<Value = StoreMode> {
    prop_oneof![
        Just(StoreMode::Replace),
        Just(StoreMode::Add),
        Just(StoreMode::Remove)
    ]
}

fn any_state_body() -> impl Strategy<Value = CommandBody> {
    use CommandBody::*;
    prop_oneof![
        prop_oneof![
            Just(Capability),
            Just(Noop),
            Just(Logout),
            Just(StartTls),
            Just(Idle),
            Just(Namespace)
        ],
        prop_oneof![Just(Check), Just(Close), Just(Unselect), Just(Expunge)],
        option::of(vec((bytes(8), option::of(bytes(8))), 0..3)).prop_map(Id),
        ("[A-Z0-9-]{1,10}", option::of(vec(any::<u8>(), 0..20))).prop_map(|(mechanism, ir)| {
            Authenticate {
                mechanism,
                initial_response: ir.map(Secret::new),
            }
        }),
        (bytes(10), bytes(10)).prop_map(|(username, p)| Login {
            username,
            password: Secret::new(p)
        }),
    ]
}

fn mailbox_body() -> impl Strategy<Value = CommandBody> {
    use CommandBody::*;
    prop_oneof![
        mailbox().prop_map(Select),
        mailbox().prop_map(Examine),
        mailbox().prop_map(Create),
        mailbox().prop_map(Delete),
        mailbox().prop_map(Subscribe),
        mailbox().prop_map(Unsubscribe),
        (mailbox(), mailbox()).prop_map(|(from, to)| Rename { from, to }),
        (mailbox(), bytes(8)).prop_map(|(reference, pattern)| List { reference, pattern }),
        (mailbox(), bytes(8)).prop_map(|(reference, pattern)| Lsub { reference, pattern }),
        (mailbox(), vec(status_item(), 1..5))
            .prop_map(|(mailbox, items)| Status { mailbox, items }),
        (
            mailbox(),
            vec(flag(), 0..3),
            option::of(date_time()),
            bytes(40)
        )
            .prop_map(|(mailbox, flags, date, message)| Append {
                mailbox,
                flags,
                date,
                message
            }),
    ]
}

fn selected_body() -> impl Strategy<Value = CommandBody> {
    use CommandBody::*;
    let charset = option::of(prop_oneof![
        Just("US-ASCII".to_string()),
        Just("UTF-8".into()),
        atom()
    ]);
    prop_oneof![
        sequence_set().prop_map(UidExpunge),
        (charset, vec(search_key(), 1..4), any::<bool>()).prop_map(|(charset, keys, uid)| Search {
            charset,
            criteria: SearchKey::And(keys),
            uid
        }),
        (sequence_set(), vec(fetch_attr(), 1..5), any::<bool>())
            .prop_map(|(set, attrs, uid)| Fetch { set, attrs, uid }),
        (
            sequence_set(),
            store_mode(),
            any::<bool>(),
            vec(flag(), 0..4),
            any::<bool>()
        )
            .prop_map(|(set, mode, silent, flags, uid)| Store {
                set,
                mode,
                silent,
                flags,
                uid
            }),
        (sequence_set(), mailbox(), any::<bool>()).prop_map(|(set, mailbox, uid)| Copy {
            set,
            mailbox,
            uid
        }),
        (sequence_set(), mailbox(), any::<bool>()).prop_map(|(set, mailbox, uid)| Move {
            set,
            mailbox,
            uid
        }),
    ]
}

/// A valid command of any kind.
pub fn command() -> impl Strategy<Value = Command> {
    let body = prop_oneof![any_state_body(), mailbox_body(), selected_body()];
    (tag(), body).prop_map(|(tag, body)| Command { tag, body })
}

pub fn encode(cmd: &Command) -> Vec<u8> {
    let mut out = Vec::new();
    encode_command(cmd, &mut out);
    out
}
