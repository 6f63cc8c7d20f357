//! The change log and the feed that wakes sessions, in one process and across two.

use crate::harness::{flags, Backend, Msg};
use imap_mimic::storage::{ChangeKind, FlagSet, Origin};
use imap_mimic::wire::types::StoreMode;
use std::time::Duration;

pub async fn changes_in_order(b: &Backend) {
    let s = b.open().await;
    let u = s.create_user("bob", "h").await.unwrap();
    let a = s.create_mailbox(u.id, "a", true).await.unwrap();
    let other = s.create_mailbox(u.id, "other", true).await.unwrap();
    let start = s.snapshot(a.id).await.unwrap().feed_position;
    let m = Msg::new("x");
    s.append(a.id, m.plain(), Origin::Session(1)).await.unwrap();
    s.append(other.id, m.plain(), Origin::Session(1))
        .await
        .unwrap();
    s.append(a.id, m.plain(), Origin::External).await.unwrap();
    let seen_deleted = flags(FlagSet::SEEN | FlagSet::DELETED, &["$Junk"]);
    s.store_flags(
        a.id,
        &[1],
        StoreMode::Add,
        &seen_deleted,
        Origin::Session(2),
    )
    .await
    .unwrap();
    s.expunge(a.id, None, Origin::Session(2)).await.unwrap();
    s.rename_mailboxes(&[(a.id, "b".into())], Origin::External)
        .await
        .unwrap();
    s.delete_mailbox(a.id, Origin::Session(3)).await.unwrap();

    let changes = s.changes_since(a.id, start).await.unwrap();
    let got: Vec<_> = changes
        .iter()
        .map(|c| (c.origin, c.kind.clone(), c.mailbox_id))
        .collect();
    let id = a.id;
    assert_eq!(
        got,
        [
            (Origin::Session(1), ChangeKind::Appended { uid: 1 }, id),
            (Origin::External, ChangeKind::Appended { uid: 2 }, id),
            (
                Origin::Session(2),
                ChangeKind::Flags {
                    uid: 1,
                    flags: seen_deleted.clone()
                },
                id
            ),
            (Origin::Session(2), ChangeKind::Expunged { uid: 1 }, id),
            (Origin::External, ChangeKind::MailboxGone, id),
            (Origin::Session(3), ChangeKind::MailboxGone, id),
        ]
    );
    assert!(changes.windows(2).all(|w| w[0].seq < w[1].seq));
    assert_eq!(changes.last().unwrap().seq, *s.feed().subscribe().borrow());
    // Positions are exclusive: from the third change on.
    let tail = s.changes_since(a.id, changes[1].seq).await.unwrap();
    assert_eq!(tail, changes[2..]);
    assert_eq!(s.changes_since(other.id, start).await.unwrap().len(), 1);
}

pub async fn feed_wakes_subscriber(b: &Backend) {
    let s = b.open().await;
    let u = s.create_user("bob", "h").await.unwrap();
    let a = s.create_mailbox(u.id, "a", true).await.unwrap();
    let mut rx = s.feed().subscribe();
    let before = *rx.borrow_and_update();
    let writer = s.clone();
    let task = tokio::spawn(async move {
        let m = Msg::new("x");
        writer
            .append(a.id, m.plain(), Origin::External)
            .await
            .unwrap()
    });
    tokio::time::timeout(Duration::from_secs(5), rx.changed())
        .await
        .expect("woken within 5 s")
        .unwrap();
    let now = *rx.borrow();
    assert!(now > before);
    task.await.unwrap();
    let changes = s.changes_since(a.id, before).await.unwrap();
    assert_eq!(changes[0].kind, ChangeKind::Appended { uid: 1 });
}

/// Two `Store`s on one database, as two processes would have: the second learns of the
/// first's writes through its watcher (SQLite polling, PostgreSQL LISTEN/NOTIFY).
pub async fn second_store_sees_changes(b: &Backend) {
    let first = b.open().await;
    let second = b.open().await;
    let u = first.create_user("bob", "h").await.unwrap();
    let a = first.create_mailbox(u.id, "a", true).await.unwrap();
    let mut rx = second.feed().subscribe();
    let before = *rx.borrow_and_update();
    let m = Msg::new("x");
    let (_, uid) = first
        .append(a.id, m.plain(), Origin::Session(1))
        .await
        .unwrap();
    let target = *first.feed().subscribe().borrow();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while *rx.borrow_and_update() < target {
        tokio::time::timeout_at(deadline, rx.changed())
            .await
            .expect("second store's feed advanced within 5 s")
            .unwrap();
    }
    let changes = second.changes_since(a.id, before).await.unwrap();
    assert_eq!(changes.last().unwrap().kind, ChangeKind::Appended { uid });
    // And the other way round.
    second
        .append(a.id, m.plain(), Origin::Session(2))
        .await
        .unwrap();
    let target = *second.feed().subscribe().borrow();
    let mut rx = first.feed().subscribe();
    while *rx.borrow_and_update() < target {
        tokio::time::timeout_at(deadline, rx.changed())
            .await
            .expect("first store woken")
            .unwrap();
    }
}
