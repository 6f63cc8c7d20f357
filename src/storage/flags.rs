//! Flags: how a `FlagSet` is stored (a bitmask plus a space-separated keyword list) and
//! STORE (RFC 3501 §6.4.6) as one transaction.
//!
//! Keywords compare case-insensitively (RFC 3501 §2.3.2 flags are atoms matched without
//! case); the first spelling a message received is the one kept. Keywords are atoms, so
//! they contain no space and a space is a safe separator.
//!
//! STORE over a whole large mailbox must not become one statement per message: the new
//! flags are computed in Rust, messages are grouped by their new value, and each group is
//! written with the few conditions `uids::chunks` makes of its UIDs (`BETWEEN` for runs,
//! `IN` lists for the rest). A `BETWEEN` group's `Flags` changes are logged set-based from
//! the table at commit.

use super::changes::WriteTx;
use super::db::Arg;
use super::uids::{chunks, UidChunk};
use super::{ChangeKind, FlagSet, MailboxId, Origin, Result, Store, StoreError};
use crate::wire::types::StoreMode;
use std::collections::BTreeMap;

/// Sorts keywords case-insensitively and drops case-insensitive duplicates (and empty ones).
pub(crate) fn normalize(keywords: &[String]) -> Vec<String> {
    let mut out: Vec<String> = keywords.iter().filter(|k| !k.is_empty()).cloned().collect();
    out.sort_by_key(|k| k.to_ascii_lowercase());
    out.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    out
}

pub(crate) fn encode_keywords(keywords: &[String]) -> String {
    keywords.join(" ")
}

pub(crate) fn decode_flags(system: i64, keywords: &str) -> Result<FlagSet> {
    let system = u8::try_from(system)
        .map_err(|_| StoreError::Corrupt(format!("flag bits {system} out of range")))?;
    Ok(FlagSet {
        system,
        keywords: keywords
            .split(' ')
            .filter(|k| !k.is_empty())
            .map(String::from)
            .collect(),
    })
}

/// The flags a message has after a STORE of `given` in `mode`. `old` and the result are
/// normalized.
pub(crate) fn apply(mode: StoreMode, old: &FlagSet, given: &FlagSet) -> FlagSet {
    match mode {
        StoreMode::Replace => FlagSet {
            system: given.system,
            keywords: normalize(&given.keywords),
        },
        StoreMode::Add => {
            let mut all = old.keywords.clone();
            all.extend(given.keywords.iter().cloned());
            FlagSet {
                system: old.system | given.system,
                keywords: normalize(&all),
            }
        }
        StoreMode::Remove => FlagSet {
            system: old.system & !given.system,
            keywords: old
                .keywords
                .iter()
                .filter(|k| !given.keywords.iter().any(|g| g.eq_ignore_ascii_case(k)))
                .cloned()
                .collect(),
        },
    }
}

impl Store {
    /// Changes flags; returns the new flags of every message that still exists (changed or
    /// not), and appends a `Flags` change for each one that changed.
    pub async fn store_flags(
        &self,
        mailbox: MailboxId,
        uids: &[u32],
        mode: StoreMode,
        flags: &FlagSet,
        origin: Origin,
    ) -> Result<Vec<(u32, FlagSet)>> {
        let mut w = self.write().await?;
        self.lock_mailbox(&mut w, mailbox).await?;
        let mut result = Vec::new();
        // New value -> UIDs (ascending) that change to it.
        let mut groups: BTreeMap<(u8, String), Vec<u32>> = BTreeMap::new();
        for chunk in chunks(uids) {
            let sql = format!(
                "SELECT uid, flags, keywords FROM messages WHERE mailbox_id = $1 AND {} \
                 ORDER BY uid",
                chunk.condition("uid", 2)
            );
            let mut args = vec![Arg::Int(mailbox)];
            args.extend(chunk.args());
            for row in w.conn().fetch_all(&sql, &args).await? {
                let uid = row.u32(0)?;
                let old = decode_flags(row.i64(1)?, &row.text(2)?)?;
                let new = apply(mode, &old, flags);
                if new != old {
                    let key = (new.system, encode_keywords(&new.keywords));
                    groups.entry(key).or_default().push(uid);
                }
                result.push((uid, new));
            }
        }
        let mut written = Vec::new();
        for ((system, keywords), uids) in &groups {
            let new = decode_flags((*system).into(), keywords)?;
            for chunk in chunks(uids) {
                write_group(&mut w, mailbox, (&new, keywords), &chunk).await?;
                written.push((chunk, new.clone()));
            }
        }
        // Log in UID order, whatever the grouping.
        written.sort_unstable_by_key(|(chunk, _)| chunk.first());
        for (chunk, new) in written {
            match chunk {
                UidChunk::Range(lo, hi) => w.log_range(mailbox, origin, true, lo, hi),
                UidChunk::List(uids) => {
                    for uid in uids {
                        let flags = new.clone();
                        w.log(mailbox, origin, ChangeKind::Flags { uid, flags });
                    }
                }
            }
        }
        w.finish(self.feed()).await?;
        Ok(result)
    }
}

/// Sets the flags of exactly the UIDs of `chunk` to `new` (and its encoded keywords).
async fn write_group(
    w: &mut WriteTx,
    mailbox: MailboxId,
    (new, keywords): (&FlagSet, &str),
    chunk: &UidChunk,
) -> Result<()> {
    let sql = format!(
        "UPDATE messages SET flags = $1, keywords = $2 WHERE mailbox_id = $3 AND {}",
        chunk.condition("uid", 4)
    );
    let mut args = vec![
        Arg::Int(new.system.into()),
        Arg::Text(keywords),
        Arg::Int(mailbox),
    ];
    args.extend(chunk.args());
    w.conn().execute(&sql, &args).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kw(system: u8, k: &[&str]) -> FlagSet {
        FlagSet {
            system,
            keywords: k.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn keywords_are_case_insensitive_and_sorted() {
        let old = kw(0, &["Foo", "bar"]);
        let old = FlagSet {
            keywords: normalize(&old.keywords),
            ..old
        };
        assert_eq!(old.keywords, vec!["bar", "Foo"]);
        assert_eq!(
            apply(StoreMode::Add, &old, &kw(1, &["FOO", "baz"])),
            kw(1, &["bar", "baz", "Foo"])
        );
        assert_eq!(
            apply(StoreMode::Remove, &old, &kw(0, &["BAR"])),
            kw(0, &["Foo"])
        );
        assert_eq!(
            apply(StoreMode::Replace, &old, &kw(8, &["x", "X"])),
            kw(8, &["x"])
        );
    }

    #[test]
    fn round_trip() {
        let f = kw(5, &["$MDNSent", "a"]);
        assert_eq!(decode_flags(5, &encode_keywords(&f.keywords)).ok(), Some(f));
        assert!(decode_flags(300, "").is_err());
    }
}
