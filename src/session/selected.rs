//! The selected mailbox as one session sees it: its own sequence numbers (index + 1 into
//! `uids`), the \Recent messages it owns, and the updates it has not told the client yet.
//!
//! Changes arrive from the change feed and are applied idempotently (a change already
//! reflected is ignored); `flush` turns pending ones into EXPUNGE / EXISTS / RECENT / FETCH
//! responses when the command in progress allows them (RFC 3501 §7.4.1, §5.2, §5.5).

use super::texts::Refusal;
use crate::storage::{FlagSet, Mailbox, Snapshot};
use crate::wire::{SeqNum, SequenceSet};
use std::collections::BTreeMap;

#[derive(Debug)]
pub struct Selected {
    pub mailbox: Mailbox,
    pub read_only: bool,
    /// UIDs in sequence order, including expunged ones not yet reported.
    uids: Vec<u32>,
    /// UID ranges `[from, to)` whose \Recent this session owns.
    recent: Vec<(u32, u32)>,
    /// Expunged UIDs still in `uids` because the client has not been told.
    expunged: Vec<u32>,
    /// Flag changes to report as untagged FETCH.
    flags: BTreeMap<u32, FlagSet>,
    /// The EXISTS count the client last heard.
    reported_exists: usize,
    /// Feed position this state reflects.
    pub feed_position: i64,
    /// Highest UID seen + 1 (the floor for new UIDs).
    next_uid: u32,
    /// New messages arrived whose \Recent has not been claimed yet.
    pub unclaimed_from: Option<u32>,
    /// The mailbox was deleted or renumbered: the session must leave it.
    pub gone: bool,
}

impl Selected {
    /// The state right after SELECT / EXAMINE: `recent_from` is the first UID this session
    /// owns \Recent for (its claim), or for EXAMINE the unclaimed floor it only shows.
    pub fn new(snapshot: Snapshot, read_only: bool, recent_from: u32) -> Selected {
        let next_uid = snapshot
            .uids
            .last()
            .map_or(1, |u| u + 1)
            .max(snapshot.mailbox.uidnext);
        Selected {
            reported_exists: snapshot.uids.len(),
            recent: vec![(recent_from, next_uid)],
            uids: snapshot.uids,
            expunged: Vec::new(),
            flags: BTreeMap::new(),
            feed_position: snapshot.feed_position,
            next_uid,
            mailbox: snapshot.mailbox,
            read_only,
            unclaimed_from: None,
            gone: false,
        }
    }

    pub fn exists(&self) -> usize {
        self.uids.len()
    }

    pub fn uids(&self) -> &[u32] {
        &self.uids
    }

    pub fn seq_of(&self, uid: u32) -> Option<u32> {
        self.uids.binary_search(&uid).ok().map(|i| i as u32 + 1)
    }

    pub fn is_recent(&self, uid: u32) -> bool {
        self.recent.iter().any(|&(a, b)| a <= uid && uid < b)
    }

    /// Number of messages with \Recent for this session.
    pub fn recent_count(&self) -> usize {
        self.recent
            .iter()
            .map(|&(a, b)| {
                self.uids.partition_point(|&u| u < b) - self.uids.partition_point(|&u| u < a)
            })
            .sum()
    }

    pub fn add_recent(&mut self, from: u32, to: u32) {
        if from < to {
            self.recent.push((from, to));
        }
    }

    /// The UIDs a sequence set names, ascending and without duplicates. Sequence numbers
    /// beyond the mailbox are an error (RFC 3501 §9 `seq-number`); UIDs that do not exist
    /// are simply not matched (§6.4.8).
    pub fn resolve(&self, set: &SequenceSet, uid: bool) -> Result<Vec<u32>, Refusal> {
        let mut out = Vec::new();
        if uid {
            let star = self.uids.last().copied().unwrap_or(0);
            for (lo, hi) in set.resolved(star) {
                let a = self.uids.partition_point(|&u| u < lo);
                let b = self.uids.partition_point(|&u| u <= hi);
                out.extend_from_slice(&self.uids[a..b.max(a)]);
            }
        } else {
            let count = self.uids.len() as u32;
            for range in &set.0 {
                // `n:*` is always valid (it names the last message, or nothing when the
                // mailbox is empty); a number alone must name a message.
                let has_star = range.start == SeqNum::Star || range.end == SeqNum::Star;
                for end in [range.start, range.end] {
                    if matches!(end, SeqNum::Value(n) if n == 0 || (n > count && !has_star)) {
                        return Err(Refusal::InvalidSequence);
                    }
                }
            }
            for (lo, hi) in set.resolved(count) {
                let (lo, hi) = (lo.max(1), hi.min(count));
                if lo <= hi {
                    out.extend_from_slice(&self.uids[lo as usize - 1..hi as usize]);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    // --- applying changes (idempotent) ---

    pub fn appended(&mut self, uid: u32) {
        if uid >= self.next_uid {
            self.uids.push(uid);
            self.next_uid = uid + 1;
            self.unclaimed_from.get_or_insert(uid);
        }
    }

    pub fn expunged(&mut self, uid: u32) {
        if self.uids.binary_search(&uid).is_ok() && !self.expunged.contains(&uid) {
            self.expunged.push(uid);
            self.flags.remove(&uid);
        }
    }

    pub fn flags_changed(&mut self, uid: u32, flags: FlagSet) {
        if self.uids.binary_search(&uid).is_ok() && !self.expunged.contains(&uid) {
            self.flags.insert(uid, flags);
        }
    }

    /// Drops a flag update the session's own response already carries.
    pub fn forget_flags(&mut self, uid: u32) {
        self.flags.remove(&uid);
    }

    pub fn next_uid(&self) -> u32 {
        self.next_uid
    }

    // --- reporting ---

    /// Removes pending expunges, returning their sequence numbers in the order the
    /// EXPUNGE responses must carry them (each computed after the previous removal).
    pub fn take_expunges(&mut self) -> Vec<u32> {
        let mut pending = std::mem::take(&mut self.expunged);
        pending.sort_unstable();
        let mut seqs = Vec::with_capacity(pending.len());
        // Lowest first, each number computed after the previous removal (so `* 2 EXPUNGE`
        // twice for messages 2 and 3), as RFC 3501 §7.4.1's example does.
        for uid in pending {
            if let Ok(i) = self.uids.binary_search(&uid) {
                self.uids.remove(i);
                seqs.push(i as u32 + 1);
            }
        }
        // Callers announce EXISTS before expunges, so every EXPUNGE is of a message the client
        // knows and lowers its count by one.
        self.reported_exists = self.reported_exists.saturating_sub(seqs.len());
        seqs
    }

    /// Marks UIDs this session expunged itself, so the next flush reports them with any
    /// other pending expunges.
    pub fn mark_expunged(&mut self, uids: &[u32]) {
        for &uid in uids {
            self.expunged(uid);
        }
    }

    /// The new message count when it grew since the client last heard it; marks it heard.
    pub fn take_exists(&mut self) -> Option<usize> {
        let now = self.uids.len();
        (now > self.reported_exists).then(|| {
            self.reported_exists = now;
            now
        })
    }

    /// The message count as the client knows it (for EXPUNGE's trailing EXISTS, V0055).
    pub fn reported_exists(&self) -> usize {
        self.reported_exists
    }

    /// Pending flag changes as (sequence number, uid, flags).
    pub fn take_flags(&mut self) -> Vec<(u32, u32, FlagSet)> {
        std::mem::take(&mut self.flags)
            .into_iter()
            .filter_map(|(uid, f)| self.seq_of(uid).map(|s| (s, uid, f)))
            .collect()
    }

    pub fn has_pending_expunges(&self) -> bool {
        !self.expunged.is_empty()
    }
}
