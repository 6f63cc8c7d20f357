//! SEARCH and UID SEARCH (RFC 3501 §6.4.4, §6.4.8): charset and nesting checked against
//! the profile (V0037, V0038, V0043), then every key evaluated in memory over batches of
//! messages, reading headers or bodies only when a key needs them.

use super::messages::MessagePolicy;
use crate::mime::{self, TextScope};
use crate::session::selected::Selected;
use crate::session::state::{HandlerResult, Outcome, Refused};
use crate::session::texts::Refusal;
use crate::session::{data, Session};
use crate::storage::{FlagSet, MessageData, Want};
use crate::wire::{Code, Data, ImapDate, ImapDateTime, SearchKey};

const BATCH: usize = 1000;
const RAW_BATCH: usize = 100;

pub async fn handle(
    s: &mut Session,
    charset: Option<&str>,
    criteria: &SearchKey,
    uid: bool,
) -> HandlerResult {
    let policy = &s.profile().messages;
    if let Some(c) = charset.filter(|c| !policy.charset_supported(c)) {
        tracing::debug!(charset = c, "SEARCH charset refused");
        return Err(Refused {
            code: Some(Box::new(Code::BadCharset(policy.charsets().to_vec()))),
            ..Refusal::BadCharset.into()
        });
    }
    if !policy.search_depth_ok(criteria.criteria_depth()) {
        return Err(Refusal::SearchTooDeep.into());
    }
    let sel = s.state.selected().ok_or(Refusal::InvalidState)?;
    let want = want(criteria);
    let batch = if want.raw { RAW_BATCH } else { BATCH };
    let mut found = Vec::new();
    let uids = sel.uids().to_vec();
    for chunk in uids.chunks(batch) {
        let messages = s.env.store.fetch(sel.mailbox.id, chunk, want).await?;
        for m in &messages {
            let Some(seq) = sel.seq_of(m.uid) else {
                continue;
            };
            let ctx = Ctx {
                policy,
                sel,
                seq,
                m,
            };
            if ctx.eval(criteria) {
                found.push(if uid { m.uid } else { seq });
            }
        }
    }
    Ok(Outcome::with_untagged(vec![data(Data::Search(found))]))
}

/// What the keys need beyond flags, dates and sizes.
fn want(key: &SearchKey) -> Want {
    let mut w = Want::default();
    visit(key, &mut |k| match k {
        SearchKey::Body(_) | SearchKey::Text(_) => w.raw = true,
        SearchKey::Bcc(_)
        | SearchKey::Cc(_)
        | SearchKey::From(_)
        | SearchKey::To(_)
        | SearchKey::Subject(_)
        | SearchKey::Header(..)
        | SearchKey::SentBefore(_)
        | SearchKey::SentOn(_)
        | SearchKey::SentSince(_) => w.header = true,
        _ => {}
    });
    w
}

fn visit(key: &SearchKey, f: &mut dyn FnMut(&SearchKey)) {
    f(key);
    match key {
        SearchKey::Not(k) => visit(k, f),
        SearchKey::Or(a, b) => {
            visit(a, f);
            visit(b, f);
        }
        SearchKey::And(keys) => keys.iter().for_each(|k| visit(k, f)),
        _ => {}
    }
}

struct Ctx<'a> {
    policy: &'a MessagePolicy,
    sel: &'a Selected,
    seq: u32,
    m: &'a MessageData,
}

impl Ctx<'_> {
    fn eval(&self, key: &SearchKey) -> bool {
        use SearchKey::*;
        let m = self.m;
        match key {
            All => true,
            And(keys) => keys.iter().all(|k| self.eval(k)),
            Or(a, b) => self.eval(a) || self.eval(b),
            Not(k) => !self.eval(k),
            Answered => m.flags.has(FlagSet::ANSWERED),
            Deleted => m.flags.has(FlagSet::DELETED),
            Draft => m.flags.has(FlagSet::DRAFT),
            Flagged => m.flags.has(FlagSet::FLAGGED),
            Seen => m.flags.has(FlagSet::SEEN),
            Unanswered => !m.flags.has(FlagSet::ANSWERED),
            Undeleted => !m.flags.has(FlagSet::DELETED),
            Undraft => !m.flags.has(FlagSet::DRAFT),
            Unflagged => !m.flags.has(FlagSet::FLAGGED),
            Unseen => !m.flags.has(FlagSet::SEEN),
            Recent => self.recent(),
            New => self.recent() && !m.flags.has(FlagSet::SEEN),
            Old => !self.recent(),
            Keyword(k) => self.keyword(k),
            Unkeyword(k) => !self.keyword(k),
            Larger(n) => self.policy.rfc822_size(m) > *n,
            Smaller(n) => self.policy.rfc822_size(m) < *n,
            Before(d) => internal_date(m.internal_date) < *d,
            On(d) => internal_date(m.internal_date) == *d,
            Since(d) => internal_date(m.internal_date) >= *d,
            SentBefore(d) => self.sent().is_some_and(|s| s < *d),
            SentOn(d) => self.sent().is_some_and(|s| s == *d),
            SentSince(d) => self.sent().is_some_and(|s| s >= *d),
            Uid(set) => set.contains(m.uid, self.sel.uids().last().copied().unwrap_or(0)),
            SequenceSet(set) => set.contains(self.seq, self.sel.exists() as u32),
            Bcc(n) => self.header("Bcc", n),
            Cc(n) => self.header("Cc", n),
            From(n) => self.header("From", n),
            To(n) => self.header("To", n),
            Subject(n) => self.header("Subject", n),
            Header(field, n) => self.header(field, n),
            Body(n) => mime::matches(self.raw(), TextScope::Body, n),
            Text(n) => mime::matches(self.raw(), TextScope::Text, n),
        }
    }

    fn recent(&self) -> bool {
        self.sel.is_recent(self.m.uid)
    }

    /// KEYWORD matches only keywords the profile allows (V0039, V0042).
    fn keyword(&self, k: &str) -> bool {
        self.policy.keyword_allowed(k)
            && self
                .m
                .flags
                .keywords
                .iter()
                .any(|x| x.eq_ignore_ascii_case(k))
    }

    fn header(&self, field: &str, needle: &[u8]) -> bool {
        mime::matches(self.header_bytes(), TextScope::Header(field), needle)
    }

    fn sent(&self) -> Option<ImapDate> {
        mime::sent_date(self.header_bytes())
    }

    fn header_bytes(&self) -> &[u8] {
        self.m
            .header
            .as_deref()
            .or(self.m.raw.as_deref())
            .unwrap_or_default()
    }

    fn raw(&self) -> &[u8] {
        self.m.raw.as_deref().unwrap_or_default()
    }
}

/// The calendar date of an internal date in its own zone (RFC 3501: time and zone are
/// disregarded).
fn internal_date(d: ImapDateTime) -> ImapDate {
    use chrono::Datelike;
    let local = d.timestamp + i64::from(d.offset_minutes) * 60;
    let date = chrono::DateTime::from_timestamp(local, 0)
        .map(|t| t.date_naive())
        .unwrap_or_default();
    ImapDate {
        year: date.year(),
        month: date.month(),
        day: date.day(),
    }
}
