//! Storage benchmark on SQLite (ignored by default). Run in release mode:
//!
//! ```text
//! cargo test --release --test storage_bench -- --ignored --nocapture
//! ```
//!
//! `IMAP_MIMIC_BENCH_N` sets the number of messages (default 100,000, ~5 KB each);
//! `IMAP_MIMIC_BENCH_URL` runs it against another database URL (e.g. a PostgreSQL schema).
//! Targets: append >= 3,000/s from one task, snapshot < 20 ms, metadata fetch of all
//! < 300 ms, STORE +FLAGS \Seen on all < 2 s.

#[path = "storage/harness.rs"]
#[allow(dead_code)]
mod harness;

use harness::{flags, Msg};
use imap_mimic::storage::{FlagSet, Origin, Store, Want};
use imap_mimic::wire::types::StoreMode;
use std::time::Instant;

fn report(what: &str, n: usize, start: Instant) -> f64 {
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{what:<36} {:>9.1} ms  ({:>9.0}/s)",
        secs * 1000.0,
        n as f64 / secs
    );
    secs
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run in release mode with --ignored --nocapture"]
async fn bench_sqlite_100k() {
    let n: usize = std::env::var("IMAP_MIMIC_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    let url = std::env::var("IMAP_MIMIC_BENCH_URL")
        .unwrap_or_else(|_| format!("sqlite:{}", dir.path().join("bench.db").display()));
    let s = Store::open(&url).await.unwrap();
    let name = format!("bench{}", rand::random::<u32>());
    let u = s.create_user(&name, "h").await.unwrap();
    let inbox = s.create_mailbox(u.id, "INBOX", true).await.unwrap().id;
    let msgs: Vec<Msg> = (0..16)
        .map(|i| Msg::sized(&format!("message {i}"), 5000))
        .collect();
    println!("{n} messages of {} octets", msgs[0].raw.len());

    let start = Instant::now();
    for i in 0..n {
        s.append(inbox, msgs[i % 16].plain(), Origin::External)
            .await
            .unwrap();
    }
    report("append (sequential, one task)", n, start);
    // Let the WAL checkpoint of the appends settle before timing reads.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;

    // Reads twice: the first run after the appends also pays for a cold cache.
    let mut snap = None;
    for run in ["cold", "warm"] {
        let start = Instant::now();
        snap = Some(s.snapshot(inbox).await.unwrap());
        report(&format!("snapshot ({run})"), n, start);
    }
    let snap = snap.unwrap();
    assert_eq!(snap.uids.len(), n);
    let start = Instant::now();
    let counts = s.counts(inbox).await.unwrap();
    report("counts", n, start);
    assert_eq!(counts.unseen as usize, n);

    for (what, want) in [
        ("fetch metadata, all", Want::default()),
        (
            "fetch header, all",
            Want {
                header: true,
                ..Want::default()
            },
        ),
        (
            "fetch envelope + body, all",
            Want {
                envelope: true,
                body: true,
                ..Want::default()
            },
        ),
        (
            "fetch raw, all",
            Want {
                raw: true,
                ..Want::default()
            },
        ),
    ] {
        for run in ["cold", "warm"] {
            let start = Instant::now();
            let got = s.fetch(inbox, &snap.uids, want).await.unwrap();
            report(&format!("{what} ({run})"), n, start);
            assert_eq!(got.len(), n);
        }
    }
    let odd: Vec<u32> = snap.uids.iter().copied().filter(|u| u % 2 == 1).collect();
    let start = Instant::now();
    s.fetch(inbox, &odd, Want::default()).await.unwrap();
    report("fetch metadata, every other UID", odd.len(), start);

    let seen = flags(FlagSet::SEEN, &[]);
    let start = Instant::now();
    s.store_flags(inbox, &snap.uids, StoreMode::Add, &seen, Origin::Session(1))
        .await
        .unwrap();
    report("store_flags +\\Seen, all", n, start);
    let start = Instant::now();
    s.store_flags(
        inbox,
        &odd,
        StoreMode::Add,
        &flags(0, &["$Junk"]),
        Origin::Session(1),
    )
    .await
    .unwrap();
    report("store_flags +$Junk, every other UID", odd.len(), start);
    let start = Instant::now();
    let snap2 = s.snapshot(inbox).await.unwrap();
    report("snapshot (all seen)", n, start);
    let start = Instant::now();
    let changes = s.changes_since(inbox, snap.feed_position).await.unwrap();
    report("changes_since (all flag changes)", changes.len(), start);

    let archive = s.create_mailbox(u.id, "Archive", true).await.unwrap().id;
    let start = Instant::now();
    s.copy(inbox, &snap2.uids, archive, Origin::Session(1))
        .await
        .unwrap();
    report("copy, all", n, start);
    let deleted = flags(FlagSet::DELETED, &[]);
    s.store_flags(
        inbox,
        &snap2.uids,
        StoreMode::Add,
        &deleted,
        Origin::Session(1),
    )
    .await
    .unwrap();
    let start = Instant::now();
    let gone = s.expunge(inbox, None, Origin::Session(1)).await.unwrap();
    report("expunge, all (blobs kept by copies)", gone.len(), start);
    let start = Instant::now();
    s.delete_mailbox(archive, Origin::Session(1)).await.unwrap();
    report("delete mailbox (blobs collected)", n, start);
}
