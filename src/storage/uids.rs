//! Turns a UID list (possibly 100,000 long) into a few SQL conditions.
//!
//! Runs of consecutive UIDs become `uid BETWEEN a AND b` (one index range scan each); the
//! stragglers between them are gathered into `uid IN (...)` lists. Lists are padded to a few
//! fixed lengths (repeating the last UID, which changes nothing) so the per-connection
//! prepared-statement cache sees a handful of statement texts, not one per list length.
//! Chunks come out in ascending UID order, so results read chunk by chunk stay sorted.

use super::db::Arg;

/// A run shorter than this goes into an `IN` list instead of its own statement.
const MIN_RANGE: usize = 8;
/// Most UIDs in one range: a statement over a range reads its rows into memory at once
/// (`fetch_all`), so `STORE 1:*` over 100,000 messages reads 4,096 rows at a time rather
/// than all of them (which cost over 100 MB of peak memory).
const MAX_RANGE: usize = 4096;
/// Padded lengths of `IN` lists; the last is the largest list.
const LIST_SIZES: [usize; 5] = [1, 4, 16, 64, 256];

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum UidChunk {
    /// Every UID in `lo..=hi` (made only of consecutive UIDs of the input, so it matches
    /// exactly those).
    Range(u32, u32),
    /// Exactly these UIDs, ascending.
    List(Vec<u32>),
}

impl UidChunk {
    /// The condition on `column`, with placeholders numbered from `$first`.
    pub(crate) fn condition(&self, column: &str, first: usize) -> String {
        match self {
            UidChunk::Range(..) => format!("{column} BETWEEN ${first} AND ${}", first + 1),
            UidChunk::List(uids) => {
                let n = padded_len(uids.len());
                let p: Vec<String> = (first..first + n).map(|i| format!("${i}")).collect();
                format!("{column} IN ({})", p.join(", "))
            }
        }
    }

    /// The values for `condition`'s placeholders.
    pub(crate) fn args(&self) -> Vec<Arg<'static>> {
        match self {
            UidChunk::Range(lo, hi) => vec![Arg::Int((*lo).into()), Arg::Int((*hi).into())],
            UidChunk::List(uids) => {
                let last = uids.last().copied().unwrap_or(0);
                let pad = padded_len(uids.len()) - uids.len();
                uids.iter()
                    .copied()
                    .chain(std::iter::repeat_n(last, pad))
                    .map(|u| Arg::Int(u.into()))
                    .collect()
            }
        }
    }

    /// The lowest UID of the chunk.
    pub(crate) fn first(&self) -> u32 {
        match self {
            UidChunk::Range(lo, _) => *lo,
            UidChunk::List(uids) => uids.first().copied().unwrap_or(0),
        }
    }
}

fn padded_len(n: usize) -> usize {
    LIST_SIZES.into_iter().find(|&s| s >= n).unwrap_or(n)
}

/// Splits `uids` (ascending expected; sorted and deduplicated here if not) into chunks.
pub(crate) fn chunks(uids: &[u32]) -> Vec<UidChunk> {
    let sorted;
    let uids = if uids.windows(2).all(|w| w[0] < w[1]) {
        uids
    } else {
        let mut v = uids.to_vec();
        v.sort_unstable();
        v.dedup();
        sorted = v;
        &sorted
    };
    let max_list = LIST_SIZES[LIST_SIZES.len() - 1];
    let mut out = Vec::new();
    let mut list = Vec::new();
    let mut start = 0;
    while start < uids.len() {
        let mut end = start + 1;
        while end < uids.len() && uids[end] == uids[end - 1] + 1 {
            end += 1;
        }
        let run = &uids[start..end];
        if run.len() >= MIN_RANGE {
            if !list.is_empty() {
                out.push(UidChunk::List(std::mem::take(&mut list)));
            }
            for piece in run.chunks(MAX_RANGE) {
                out.push(UidChunk::Range(piece[0], piece[piece.len() - 1]));
            }
        } else {
            for &u in run {
                list.push(u);
                if list.len() == max_list {
                    out.push(UidChunk::List(std::mem::take(&mut list)));
                }
            }
        }
        start = end;
    }
    if !list.is_empty() {
        out.push(UidChunk::List(list));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_runs_become_ranges_and_stragglers_lists() {
        let mut uids: Vec<u32> = (1..=100).collect();
        uids.extend([200, 202, 204]);
        uids.extend(300..=310);
        uids.push(400);
        assert_eq!(
            chunks(&uids),
            vec![
                UidChunk::Range(1, 100),
                UidChunk::List(vec![200, 202, 204]),
                UidChunk::Range(300, 310),
                UidChunk::List(vec![400]),
            ]
        );
    }

    #[test]
    fn long_ranges_are_split_to_bound_the_rows_read_at_once() {
        let uids: Vec<u32> = (1..=10_000).collect();
        assert_eq!(
            chunks(&uids),
            vec![
                UidChunk::Range(1, 4096),
                UidChunk::Range(4097, 8192),
                UidChunk::Range(8193, 10_000),
            ]
        );
    }

    #[test]
    fn lists_are_padded_and_capped() {
        let uids: Vec<u32> = (0..600).map(|i| i * 2 + 1).collect();
        let c = chunks(&uids);
        assert_eq!(c.len(), 3);
        assert_eq!(c[2].args().len(), 256);
        assert!(c[2].condition("uid", 2).starts_with("uid IN ($2, $3"));
    }

    #[test]
    fn unsorted_input_is_sorted() {
        assert_eq!(chunks(&[5, 3, 3]), vec![UidChunk::List(vec![3, 5])]);
        assert_eq!(
            chunks(&[u32::MAX - 1, u32::MAX]),
            vec![UidChunk::List(vec![u32::MAX - 1, u32::MAX])]
        );
    }
}
