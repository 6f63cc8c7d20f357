//! UIDs under pressure: reopen, concurrent writers (tasks, stores), cancelled writes,
//! corrupt data.

use crate::harness::{flags, Backend, Msg};
use crate::messages::{append_n, setup};
use imap_mimic::storage::{FlagSet, Origin, Want};
use imap_mimic::wire::types::StoreMode;

pub async fn uids_survive_expunge_and_reopen(b: &Backend) {
    let (s, inbox) = setup(b).await;
    let uids = append_n(&s, inbox, 3).await;
    s.store_flags(
        inbox,
        &uids,
        StoreMode::Add,
        &flags(FlagSet::DELETED, &[]),
        Origin::External,
    )
    .await
    .unwrap();
    assert_eq!(
        s.expunge(inbox, None, Origin::External).await.unwrap(),
        uids
    );
    assert_eq!(append_n(&s, inbox, 1).await, [4]);
    let uidvalidity = s.mailbox(inbox).await.unwrap().unwrap().uidvalidity;
    drop(s);
    let s = b.open().await;
    assert_eq!(append_n(&s, inbox, 1).await, [5]);
    let mb = s.mailbox(inbox).await.unwrap().unwrap();
    assert_eq!((mb.uidvalidity, mb.uidnext), (uidvalidity, 6));
    assert_eq!(s.snapshot(inbox).await.unwrap().uids, [4, 5]);
}

pub async fn concurrent_appends(b: &Backend) {
    let (s, inbox) = setup(b).await;
    let tasks: Vec<_> = (0..4)
        .map(|t| {
            let s = s.clone();
            tokio::spawn(async move {
                let m = Msg::new(&format!("task {t}"));
                let mut mine = Vec::new();
                for _ in 0..250 {
                    mine.push(
                        s.append(inbox, m.plain(), Origin::Session(t))
                            .await
                            .unwrap()
                            .1,
                    );
                }
                mine
            })
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        let mine = t.await.unwrap();
        assert!(
            mine.windows(2).all(|w| w[0] < w[1]),
            "each task sees ascending UIDs"
        );
        all.extend(mine);
    }
    all.sort_unstable();
    assert_eq!(all, (1..=1000).collect::<Vec<u32>>());
    assert_eq!(s.snapshot(inbox).await.unwrap().uids, all);
}

/// Two stores on one database (two processes, or two instances on PostgreSQL) appending at
/// once: UIDs stay unique and ascending.
pub async fn concurrent_appends_two_stores(b: &Backend) {
    let (first, inbox) = setup(b).await;
    let second = b.open().await;
    let tasks: Vec<_> = [first.clone(), first.clone(), second.clone(), second]
        .into_iter()
        .enumerate()
        .map(|(t, s)| {
            tokio::spawn(async move {
                let m = Msg::new(&format!("task {t}"));
                let mut mine = Vec::new();
                for _ in 0..100 {
                    mine.push(
                        s.append(inbox, m.plain(), Origin::Session(t as i64))
                            .await
                            .unwrap()
                            .1,
                    );
                }
                mine
            })
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        let mine = t.await.unwrap();
        assert!(mine.windows(2).all(|w| w[0] < w[1]));
        all.extend(mine);
    }
    all.sort_unstable();
    assert_eq!(all, (1..=400).collect::<Vec<u32>>());
}

/// A write abandoned half-way (its task aborted) leaves nothing behind and blocks no one.
pub async fn cancelled_writes_roll_back(b: &Backend) {
    let (s, inbox) = setup(b).await;
    let writer = s.clone();
    let task = tokio::spawn(async move {
        let m = Msg::sized("big", 200_000);
        loop {
            writer
                .append(inbox, m.plain(), Origin::External)
                .await
                .unwrap();
        }
    });
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    task.abort();
    let _ = task.await;
    let m = Msg::new("after");
    let appended = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        s.append(inbox, m.plain(), Origin::External),
    )
    .await
    .expect("the writer is free again")
    .unwrap();
    let snap = s.snapshot(inbox).await.unwrap();
    assert_eq!(snap.uids.last(), Some(&appended.1));
    assert_eq!(snap.mailbox.uidnext, appended.1 + 1);
    // Every UID handed out is either a stored message or burned, never reused; every
    // stored message is whole.
    let all = s
        .fetch(
            inbox,
            &snap.uids,
            Want {
                raw: true,
                ..Want::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(all.len(), snap.uids.len());
    assert_eq!(
        b.scalar("SELECT COUNT(*) FROM blobs").await,
        snap.uids.len() as i64
    );
    let changes = s.changes_since(inbox, 0).await.unwrap();
    assert_eq!(
        changes.len(),
        snap.uids.len(),
        "one Appended per stored message"
    );
}

/// Data the store cannot decode is reported as `Corrupt`, never a panic.
pub async fn corrupt_data_is_an_error(b: &Backend) {
    let (s, inbox) = setup(b).await;
    s.append(inbox, Msg::new("x").plain(), Origin::External)
        .await
        .unwrap();
    b.execute("UPDATE blobs SET envelope = '{not json'").await;
    let err = s
        .fetch(
            inbox,
            &[1],
            Want {
                envelope: true,
                ..Want::default()
            },
        )
        .await;
    assert!(
        matches!(err, Err(imap_mimic::storage::StoreError::Corrupt(_))),
        "{err:?}"
    );
    b.execute("UPDATE messages SET flags = 4096").await;
    let err = s.fetch(inbox, &[1], Want::default()).await;
    assert!(
        matches!(err, Err(imap_mimic::storage::StoreError::Corrupt(_))),
        "{err:?}"
    );
    b.execute("UPDATE messages SET flags = 0, uid = 5000000000")
        .await;
    assert!(matches!(
        s.snapshot(inbox).await,
        Err(imap_mimic::storage::StoreError::Corrupt(_))
    ));
}
