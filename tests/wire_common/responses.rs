//! Strategies for the responses a strict (`rfc3501`) profile sends: everything but the
//! extensions imap-codec 1.0 does not parse (NAMESPACE, ID) and the deliberate quirks (raw
//! lines, a bare `+`). Numbers are non-zero where RFC 3501 says nz-number.

use super::{atom, bytes, date_time, flag, mailbox, section, tag};
use imap_mimic::wire::*;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

fn nz() -> impl Strategy<Value = u32> {
    prop_oneof![1u32..=u32::MAX, 1u32..100]
}

fn text() -> impl Strategy<Value = String> {
    "[A-Za-z0-9][A-Za-z0-9 .,:()-]{0,20}"
}

fn uid_set() -> impl Strategy<Value = UidSet> {
    vec((nz(), nz()), 1..4).prop_map(UidSet)
}

fn code() -> BoxedStrategy<Code> {
    prop_oneof![
        prop_oneof![
            Just(Code::Alert),
            Just(Code::Parse),
            Just(Code::ReadOnly),
            Just(Code::ReadWrite),
            Just(Code::TryCreate)
        ],
        vec(
            prop_oneof![Just("US-ASCII".to_string()), Just("UTF-8".into())],
            0..3
        )
        .prop_map(Code::BadCharset),
        vec(atom(), 1..4).prop_map(|mut c| {
            c.insert(0, "IMAP4rev1".into());
            Code::Capability(c)
        }),
        vec(
            prop_oneof![
                flag()
                    .prop_filter("no \\Recent", |f| *f != Flag::Recent)
                    .prop_map(PermanentFlag::Flag),
                Just(PermanentFlag::Wildcard)
            ],
            0..4
        )
        .prop_map(Code::PermanentFlags),
        nz().prop_map(Code::UidNext),
        nz().prop_map(Code::UidValidity),
        nz().prop_map(Code::Unseen),
        (nz(), uid_set()).prop_map(|(uidvalidity, uids)| Code::AppendUid { uidvalidity, uids }),
        (nz(), uid_set(), uid_set()).prop_map(|(uidvalidity, source, destination)| Code::CopyUid {
            uidvalidity,
            source,
            destination
        }),
        ("[A-Z]{1,8}", option::of(text())).prop_map(|(atom, text)| Code::Other {
            atom: format!("X{atom}"),
            text
        }),
    ]
    .boxed()
}

fn status() -> BoxedStrategy<Response> {
    use StatusKind::*;
    let kind = prop_oneof![Just(Ok), Just(No), Just(Bad), Just(Bye)];
    (option::of(tag()), kind, option::of(code()), text())
        .prop_map(|(tag, kind, code, text)| {
            // BYE is untagged only (RFC 3501 §7.1.5).
            let tag = if kind == Bye { None } else { tag };
            Response::Status(StatusResponse {
                tag,
                kind,
                code,
                text,
            })
        })
        .boxed()
}

fn nstr() -> impl Strategy<Value = Option<Vec<u8>>> {
    option::of(bytes(12))
}

fn address() -> BoxedStrategy<Address> {
    (nstr(), nstr(), nstr(), nstr())
        .prop_map(|(name, adl, mailbox, host)| Address {
            name,
            adl,
            mailbox,
            host,
        })
        .boxed()
}

fn envelope() -> BoxedStrategy<Envelope> {
    let list = || vec(address(), 0..3);
    (
        (nstr(), nstr(), nstr(), nstr()),
        (list(), list(), list()),
        (list(), list(), list()),
    )
        .prop_map(
            |(
                (date, subject, in_reply_to, message_id),
                (from, sender, reply_to),
                (to, cc, bcc),
            )| Envelope {
                date,
                subject,
                from,
                sender,
                reply_to,
                to,
                cc,
                bcc,
                in_reply_to,
                message_id,
            },
        )
        .boxed()
}

fn params() -> impl Strategy<Value = Vec<(String, Vec<u8>)>> {
    vec(("[a-z]{1,8}", bytes(10)), 0..3)
}

fn fields(media_type: &'static str, subtype: &'static str) -> impl Strategy<Value = BodyFields> {
    (params(), nstr(), nstr(), "[0-9A-Za-z-]{1,8}", any::<u32>()).prop_map(
        move |(params, id, description, encoding, size)| BodyFields {
            media_type: media_type.into(),
            subtype: subtype.into(),
            params,
            id,
            description,
            encoding,
            size,
        },
    )
}

fn disposition() -> impl Strategy<Value = Option<Disposition>> {
    option::of(("[a-z]{1,10}", params()).prop_map(|(kind, params)| Disposition { kind, params }))
}

fn single_ext() -> BoxedStrategy<SingleExt> {
    (nstr(), disposition(), vec(bytes(5), 0..3), nstr())
        .prop_map(|(md5, disposition, language, location)| SingleExt {
            md5,
            disposition,
            language,
            location,
        })
        .boxed()
}

fn leaf_body() -> BoxedStrategy<BodyStructure> {
    prop_oneof![
        (fields("text", "plain"), any::<u32>(), single_ext()).prop_map(|(fields, lines, ext)| {
            BodyStructure::Single {
                fields,
                kind: SingleKind::Text { lines },
                ext,
            }
        }),
        (fields("application", "pdf"), single_ext()).prop_map(|(fields, ext)| {
            BodyStructure::Single {
                fields,
                kind: SingleKind::Basic,
                ext,
            }
        }),
    ]
    .boxed()
}

pub fn body_structure() -> BoxedStrategy<BodyStructure> {
    leaf_body()
        .prop_recursive(3, 12, 3, |inner| {
            let multi_ext = (params(), disposition(), vec(bytes(5), 0..3), nstr()).prop_map(
                |(params, disposition, language, location)| MultiExt {
                    params,
                    disposition,
                    language,
                    location,
                },
            );
            prop_oneof![
                (vec(inner.clone(), 1..4), "[a-z]{1,10}", multi_ext).prop_map(
                    |(parts, subtype, ext)| BodyStructure::Multi {
                        parts,
                        subtype,
                        ext
                    }
                ),
                (
                    fields("message", "rfc822"),
                    envelope(),
                    inner,
                    any::<u32>(),
                    single_ext()
                )
                    .prop_map(|(fields, envelope, body, lines, ext)| {
                        BodyStructure::Single {
                            fields,
                            kind: SingleKind::Message {
                                envelope: Box::new(envelope),
                                body: Box::new(body),
                                lines,
                            },
                            ext,
                        }
                    }),
            ]
        })
        .boxed()
}

fn fetch_value() -> BoxedStrategy<FetchValue> {
    use FetchValue::*;
    prop_oneof![
        vec(flag(), 0..4).prop_map(Flags),
        date_time().prop_map(InternalDate),
        any::<u32>().prop_map(Rfc822Size),
        nz().prop_map(Uid),
        envelope().prop_map(|e| Envelope(Box::new(e))),
        body_structure().prop_map(|b| Body(Box::new(b))),
        body_structure().prop_map(|b| BodyStructure(Box::new(b))),
        (section(), option::of(any::<u32>()), nstr()).prop_map(|(section, origin, data)| {
            BodySection {
                section,
                origin,
                data,
            }
        }),
        nstr().prop_map(Rfc822),
        nstr().prop_map(Rfc822Header),
        nstr().prop_map(Rfc822Text),
    ]
    .boxed()
}

fn list_item() -> BoxedStrategy<ListItem> {
    let attrs = vec(
        prop_oneof![
            Just("\\Noselect".to_string()),
            Just("\\HasChildren".into()),
            "[A-Za-z]{1,8}".prop_map(|a| format!("\\{a}"))
        ],
        0..3,
    );
    let delim = option::of(prop_oneof![Just('/'), Just('.'), Just('\\'), Just('"')]);
    (attrs, delim, mailbox())
        .prop_map(|(attributes, delimiter, mailbox)| ListItem {
            attributes,
            delimiter,
            mailbox,
        })
        .boxed()
}

fn data() -> BoxedStrategy<Data> {
    let items = vec(
        (
            prop_oneof![
                Just(StatusItem::Messages),
                Just(StatusItem::UidNext),
                Just(StatusItem::Unseen)
            ],
            any::<u32>(),
        ),
        0..3,
    );
    prop_oneof![
        vec(atom(), 0..4).prop_map(|mut c| {
            c.insert(0, "IMAP4rev1".into());
            Data::Capability(c)
        }),
        list_item().prop_map(Data::List),
        list_item().prop_map(Data::Lsub),
        (mailbox(), items).prop_map(|(mailbox, items)| Data::Status { mailbox, items }),
        vec(nz(), 0..5).prop_map(Data::Search),
        vec(flag(), 0..5).prop_map(Data::Flags),
        any::<u32>().prop_map(Data::Exists),
        any::<u32>().prop_map(Data::Recent),
        nz().prop_map(Data::Expunge),
        (nz(), vec(fetch_value(), 1..4)).prop_map(|(seq, items)| Data::Fetch { seq, items }),
    ]
    .boxed()
}

/// A response the strict profile may send.
pub fn response() -> BoxedStrategy<Response> {
    prop_oneof![
        status(),
        data().prop_map(Response::Data),
        text().prop_map(|t| Response::Continue(Continue::Text(t))),
        vec(any::<u8>(), 0..30).prop_map(|b| Response::Continue(Continue::Base64(b))),
    ]
    .boxed()
}
