//! COPY, MOVE, EXPUNGE, remove, and blob sharing.

use crate::harness::{flags, Backend, Msg};
use imap_mimic::storage::{ChangeKind, FlagSet, Origin, Store, StoreError, Want};
use imap_mimic::wire::types::StoreMode;

async fn two_mailboxes(b: &Backend) -> (Store, i64, i64) {
    let s = b.open().await;
    let u = s.create_user("bob", "h").await.unwrap();
    let a = s.create_mailbox(u.id, "INBOX", true).await.unwrap();
    let t = s.create_mailbox(u.id, "Archive", true).await.unwrap();
    (s, a.id, t.id)
}

pub async fn copy_shares_blob(b: &Backend) {
    let (s, inbox, archive) = two_mailboxes(b).await;
    let mut msgs = Vec::new();
    for i in 0..3 {
        let m = Msg::new(&format!("m{i}"));
        s.append(
            inbox,
            m.with(flags(FlagSet::ANSWERED, &["k"])),
            Origin::External,
        )
        .await
        .unwrap();
        msgs.push(m);
    }
    s.append(archive, msgs[0].plain(), Origin::External)
        .await
        .unwrap();
    let position = s.snapshot(archive).await.unwrap().feed_position;
    let uidvalidity = s.mailbox(archive).await.unwrap().unwrap().uidvalidity;
    let (v, pairs) = s
        .copy(inbox, &[1, 3, 7], archive, Origin::Session(9))
        .await
        .unwrap();
    assert_eq!((v, pairs), (uidvalidity, vec![(1, 2), (3, 3)]));
    assert_eq!(
        b.scalar("SELECT COUNT(*) FROM blobs").await,
        4,
        "copies share the blob"
    );
    let copied = s
        .fetch(
            archive,
            &[2, 3],
            Want {
                raw: true,
                envelope: true,
                ..Want::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(copied[1].raw.as_deref(), Some(&msgs[2].raw[..]));
    assert_eq!(copied[1].envelope.as_ref(), Some(&msgs[2].envelope));
    assert_eq!(copied[0].flags, flags(FlagSet::ANSWERED, &["k"]));
    assert_eq!(copied[0].internal_date, msgs[0].date);
    let kinds: Vec<_> = s
        .changes_since(archive, position)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.origin, c.kind))
        .collect();
    let appended = |uid| (Origin::Session(9), ChangeKind::Appended { uid });
    assert_eq!(kinds, [appended(2), appended(3)]);
    // Nothing to copy: no UIDs used.
    assert_eq!(
        s.copy(inbox, &[50], archive, Origin::External)
            .await
            .unwrap(),
        (uidvalidity, vec![])
    );
    assert_eq!(s.mailbox(archive).await.unwrap().unwrap().uidnext, 4);
    assert!(matches!(
        s.copy(inbox, &[1], 999, Origin::External).await,
        Err(StoreError::NotFound(_))
    ));
    // Expunging the source keeps the blob the copy uses.
    s.remove(inbox, &[1, 2, 3], Origin::External).await.unwrap();
    assert_eq!(b.scalar("SELECT COUNT(*) FROM blobs").await, 3);
    assert_eq!(
        s.fetch(
            archive,
            &[3],
            Want {
                raw: true,
                ..Want::default()
            }
        )
        .await
        .unwrap()[0]
            .raw
            .as_deref(),
        Some(&msgs[2].raw[..])
    );
}

pub async fn copy_same_mailbox(b: &Backend) {
    let (s, inbox, _) = two_mailboxes(b).await;
    let m = Msg::new("x");
    for _ in 0..20 {
        s.append(inbox, m.plain(), Origin::External).await.unwrap();
    }
    let all: Vec<u32> = (1..=20).collect();
    let (_, pairs) = s.copy(inbox, &all, inbox, Origin::External).await.unwrap();
    assert_eq!(pairs, all.iter().map(|&u| (u, u + 20)).collect::<Vec<_>>());
    assert_eq!(
        s.snapshot(inbox).await.unwrap().uids,
        (1..=40).collect::<Vec<u32>>()
    );
}

pub async fn move_messages(b: &Backend) {
    let (s, inbox, archive) = two_mailboxes(b).await;
    let m = Msg::new("x");
    for _ in 0..4 {
        s.append(inbox, m.with(flags(FlagSet::SEEN, &[])), Origin::External)
            .await
            .unwrap();
    }
    let position = s.snapshot(inbox).await.unwrap().feed_position;
    let (_, pairs) = s
        .move_messages(inbox, &[2, 3, 9], archive, Origin::Session(4))
        .await
        .unwrap();
    assert_eq!(pairs, [(2, 1), (3, 2)]);
    assert_eq!(s.snapshot(inbox).await.unwrap().uids, [1, 4]);
    assert_eq!(s.snapshot(archive).await.unwrap().uids, [1, 2]);
    assert_eq!(b.scalar("SELECT COUNT(*) FROM blobs").await, 4);
    let inbox_changes: Vec<_> = s
        .changes_since(inbox, position)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.kind)
        .collect();
    assert_eq!(
        inbox_changes,
        [
            ChangeKind::Expunged { uid: 2 },
            ChangeKind::Expunged { uid: 3 }
        ]
    );
    let archive_changes = s.changes_since(archive, position).await.unwrap();
    let inbox_seq = s.changes_since(inbox, position).await.unwrap()[0].seq;
    assert!(
        archive_changes.iter().all(|c| c.seq < inbox_seq),
        "appended before expunged"
    );
    assert_eq!(
        s.fetch(archive, &[1], Want::default()).await.unwrap()[0].flags,
        flags(FlagSet::SEEN, &[])
    );
}

pub async fn expunge_and_remove(b: &Backend) {
    let (s, inbox, _) = two_mailboxes(b).await;
    let m = Msg::new("x");
    for _ in 0..6 {
        s.append(inbox, m.plain(), Origin::External).await.unwrap();
    }
    let deleted = flags(FlagSet::DELETED, &[]);
    s.store_flags(
        inbox,
        &[2, 3, 5],
        StoreMode::Add,
        &deleted,
        Origin::External,
    )
    .await
    .unwrap();
    let position = s.snapshot(inbox).await.unwrap().feed_position;
    // UID EXPUNGE: only among the given UIDs.
    assert_eq!(
        s.expunge(inbox, Some(&[1, 3, 5]), Origin::Session(1))
            .await
            .unwrap(),
        [3, 5]
    );
    assert_eq!(
        s.expunge(inbox, None, Origin::Session(2)).await.unwrap(),
        [2]
    );
    assert_eq!(
        s.expunge(inbox, None, Origin::Session(2)).await.unwrap(),
        Vec::<u32>::new()
    );
    assert_eq!(
        s.remove(inbox, &[1, 6, 42], Origin::External)
            .await
            .unwrap(),
        [1, 6]
    );
    assert_eq!(s.snapshot(inbox).await.unwrap().uids, [4]);
    assert_eq!(b.scalar("SELECT COUNT(*) FROM blobs").await, 1);
    let log: Vec<_> = s
        .changes_since(inbox, position)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.origin, c.kind))
        .collect();
    let gone = |o, uid| (o, ChangeKind::Expunged { uid });
    let (s1, s2, ext) = (Origin::Session(1), Origin::Session(2), Origin::External);
    assert_eq!(
        log,
        [
            gone(s1, 3),
            gone(s1, 5),
            gone(s2, 2),
            gone(ext, 1),
            gone(ext, 6)
        ]
    );
    assert!(matches!(
        s.expunge(777, None, ext).await,
        Err(StoreError::NotFound(_))
    ));
}
