//! FETCH and UID FETCH (RFC 3501 §6.4.5, §6.4.8): reads only what the items need, in
//! batches so a `1:*` over a large mailbox stays within bounded memory, and sets \Seen
//! implicitly for non-PEEK body items.

use super::messages::flag_list;
use super::origin;
use crate::session::selected::Selected;
use crate::session::state::{HandlerResult, Outcome, Refused};
use crate::session::texts::Refusal;
use crate::session::{data, Session};
use crate::storage::{FlagSet, MessageData, Want};
use crate::wire::encode::encode_response;
use crate::wire::{
    Data, FetchAttr, FetchValue, Response, Section, SectionText, SequenceSet, StoreMode,
};

/// Messages read per storage round trip; smaller when whole messages are read.
const BATCH: usize = 1000;
const RAW_BATCH: usize = 50;

pub async fn handle(
    s: &mut Session,
    set: &SequenceSet,
    attrs: &[FetchAttr],
    uid: bool,
) -> HandlerResult {
    let sel = s.state.selected().ok_or(Refusal::InvalidState)?;
    let uids = sel.resolve(set, uid)?;
    let mut attrs = attrs.to_vec();
    // UID FETCH always reports UIDs (RFC 3501 §6.4.8).
    if uid && !attrs.contains(&FetchAttr::Uid) {
        attrs.insert(0, FetchAttr::Uid);
    }
    let want = want(&attrs);
    let marks_seen = !sel.read_only && attrs.iter().any(sets_seen);
    let mailbox = sel.mailbox.id;
    // Each batch is encoded as soon as it is rendered: typed FETCH responses for a whole
    // 100,000-message mailbox would take several times the memory of their bytes. Hooks
    // see and edit untagged responses one by one, so with hooks they stay typed.
    let encode_now = s.profile().hooks.is_none();
    let mut out = Vec::new();
    let batch = if want.raw { RAW_BATCH } else { BATCH };
    for chunk in uids.chunks(batch) {
        let mut messages = s.env.store.fetch(mailbox, chunk, want).await?;
        let changed = if marks_seen {
            mark_seen(s, mailbox, &mut messages).await?
        } else {
            Vec::new()
        };
        let sel = s.state.selected().ok_or(Refusal::InvalidState)?;
        let mut rendered = Vec::with_capacity(messages.len());
        for m in &messages {
            let Some(seq) = sel.seq_of(m.uid) else {
                continue;
            };
            let items = render(s, sel, m, &attrs, changed.contains(&m.uid));
            rendered.push(data(Data::Fetch { seq, items }));
        }
        if encode_now {
            out.extend(encoded(s, &rendered));
        } else {
            out.extend(rendered);
        }
    }
    Ok(Outcome::with_untagged(out))
}

/// Responses as one pre-encoded `Raw` response (the encoder adds the final CRLF), with the
/// session's encoding options, so the bytes are those the connection would write.
fn encoded(s: &Session, responses: &[Response]) -> Option<Response> {
    if responses.is_empty() {
        return None;
    }
    let opts = s.profile().responses.encode_options();
    let mut bytes = Vec::new();
    for r in responses {
        encode_response(r, opts, &mut bytes);
    }
    bytes.truncate(bytes.len() - 2);
    Some(data(Data::Raw(bytes)))
}

/// What to read from storage for these items.
fn want(attrs: &[FetchAttr]) -> Want {
    let mut w = Want::default();
    for a in attrs {
        match a {
            FetchAttr::Envelope => w.envelope = true,
            FetchAttr::Body | FetchAttr::BodyStructure => w.body = true,
            FetchAttr::Rfc822Header => w.header = true,
            FetchAttr::BodySection { section, .. } if is_top_header(section) => w.header = true,
            FetchAttr::Rfc822 | FetchAttr::Rfc822Text | FetchAttr::BodySection { .. } => {
                w.raw = true
            }
            _ => {}
        }
    }
    w
}

fn is_top_header(section: &Section) -> bool {
    section.part.is_empty()
        && matches!(
            section.text,
            Some(
                SectionText::Header
                    | SectionText::HeaderFields(_)
                    | SectionText::HeaderFieldsNot(_)
            )
        )
}

/// RFC 3501 §6.4.5: BODY[...] without .PEEK, RFC822 and RFC822.TEXT set \Seen.
fn sets_seen(a: &FetchAttr) -> bool {
    matches!(
        a,
        FetchAttr::Rfc822 | FetchAttr::Rfc822Text | FetchAttr::BodySection { peek: false, .. }
    )
}

/// Sets \Seen on the unseen messages of a batch; returns the UIDs whose flags changed.
async fn mark_seen(
    s: &mut Session,
    mailbox: i64,
    messages: &mut [MessageData],
) -> Result<Vec<u32>, Refused> {
    let unseen: Vec<u32> = messages
        .iter()
        .filter(|m| !m.flags.has(FlagSet::SEEN))
        .map(|m| m.uid)
        .collect();
    if unseen.is_empty() {
        return Ok(unseen);
    }
    let seen = FlagSet {
        system: FlagSet::SEEN,
        keywords: Vec::new(),
    };
    let updated = s
        .env
        .store
        .store_flags(mailbox, &unseen, StoreMode::Add, &seen, origin(s))
        .await?;
    for (uid, flags) in updated {
        if let Some(m) = messages.iter_mut().find(|m| m.uid == uid) {
            m.flags = flags;
        }
    }
    if let Some(sel) = s.state.selected_mut() {
        unseen.iter().for_each(|&u| sel.forget_flags(u));
    }
    Ok(unseen)
}

/// The items of one FETCH response, in the order asked; FLAGS added when \Seen was set
/// implicitly and FLAGS was not asked for.
fn render(
    s: &Session,
    sel: &Selected,
    m: &MessageData,
    attrs: &[FetchAttr],
    seen_changed: bool,
) -> Vec<FetchValue> {
    let mut items: Vec<FetchValue> = attrs.iter().map(|a| item(s, sel, m, a)).collect();
    if seen_changed && !attrs.contains(&FetchAttr::Flags) {
        items.push(FetchValue::Flags(flag_list(&m.flags, sel.is_recent(m.uid))));
    }
    items
}

fn item(s: &Session, sel: &Selected, m: &MessageData, attr: &FetchAttr) -> FetchValue {
    let raw = || m.raw.as_deref().unwrap_or_default();
    let header = || m.header.as_deref().or(m.raw.as_deref()).unwrap_or_default();
    match attr {
        FetchAttr::Uid => FetchValue::Uid(m.uid),
        FetchAttr::Flags => FetchValue::Flags(flag_list(&m.flags, sel.is_recent(m.uid))),
        FetchAttr::InternalDate => FetchValue::InternalDate(m.internal_date),
        FetchAttr::Rfc822Size => FetchValue::Rfc822Size(s.profile().messages.rfc822_size(m)),
        FetchAttr::Envelope => {
            FetchValue::Envelope(Box::new(m.envelope.clone().unwrap_or_default()))
        }
        FetchAttr::Body => FetchValue::Body(Box::new(structure(m))),
        FetchAttr::BodyStructure => FetchValue::BodyStructure(Box::new(structure(m))),
        FetchAttr::Rfc822 => FetchValue::Rfc822(Some(raw().to_vec())),
        FetchAttr::Rfc822Header => FetchValue::Rfc822Header(Some(header_block(header()))),
        FetchAttr::Rfc822Text => {
            FetchValue::Rfc822Text(crate::mime::section(raw(), &text_section()))
        }
        FetchAttr::BodySection {
            section, partial, ..
        } => {
            let source = if is_top_header(section) {
                header()
            } else {
                raw()
            };
            let bytes = crate::mime::section(source, section);
            body_section(section, *partial, bytes)
        }
    }
}

fn text_section() -> Section {
    Section {
        part: Vec::new(),
        text: Some(SectionText::Text),
    }
}

fn header_block(header: &[u8]) -> Vec<u8> {
    crate::mime::section(
        header,
        &Section {
            part: Vec::new(),
            text: Some(SectionText::Header),
        },
    )
    .unwrap_or_else(|| header.to_vec())
}

/// `BODY[section]<origin>`: a partial beyond the end is the empty string (RFC 3501 §6.4.5).
fn body_section(
    section: &Section,
    partial: Option<(u32, u32)>,
    bytes: Option<Vec<u8>>,
) -> FetchValue {
    let (origin, data) = match (partial, bytes) {
        (Some((start, count)), Some(b)) => {
            let from = (start as usize).min(b.len());
            let to = from.saturating_add(count as usize).min(b.len());
            (Some(start), Some(b[from..to].to_vec()))
        }
        (Some((start, _)), None) => (Some(start), None),
        (None, b) => (None, b),
    };
    FetchValue::BodySection {
        section: section.clone(),
        origin,
        data,
    }
}

fn structure(m: &MessageData) -> crate::wire::BodyStructure {
    m.body
        .clone()
        .unwrap_or_else(|| crate::mime::analyze(m.raw.as_deref().unwrap_or_default()).body)
}
