//! Mailboxes: create, UIDVALIDITY, rename, `\Noselect`, delete, counts.

use crate::harness::{flags, Backend, Msg};
use imap_mimic::storage::{ChangeKind, Counts, FlagSet, Origin, StoreError};

pub async fn create_and_list(b: &Backend) {
    let s = b.open().await;
    let u = s.create_user("bob", "h").await.unwrap();
    let inbox = s.create_mailbox(u.id, "INBOX", true).await.unwrap();
    assert_eq!(
        (inbox.name.as_str(), inbox.uidnext, inbox.selectable),
        ("INBOX", 1, true)
    );
    assert!(inbox.uidvalidity > 0);
    let parent = s.create_mailbox(u.id, "A", false).await.unwrap();
    assert!(!parent.selectable);
    s.create_mailbox(u.id, "A/b", true).await.unwrap();
    assert!(matches!(
        s.create_mailbox(u.id, "INBOX", true).await,
        Err(StoreError::AlreadyExists(n)) if n == "INBOX"
    ));
    assert!(matches!(
        s.create_mailbox(9999, "X", true).await,
        Err(StoreError::NotFound(_))
    ));
    let names: Vec<String> = s
        .list_mailboxes(u.id)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.name)
        .collect();
    assert_eq!(names, ["A", "A/b", "INBOX"]);
    assert_eq!(s.mailbox(inbox.id).await.unwrap(), Some(inbox));
    assert_eq!(s.mailbox(424242).await.unwrap(), None);
    // Another user may use the same names.
    let alice = s.create_user("alice", "h").await.unwrap();
    s.create_mailbox(alice.id, "INBOX", true).await.unwrap();
}

pub async fn uidvalidity_fresh(b: &Backend) {
    let s = b.open().await;
    let u = s.create_user("bob", "h").await.unwrap();
    let first = s.create_mailbox(u.id, "A", true).await.unwrap();
    let second = s.create_mailbox(u.id, "B", true).await.unwrap();
    assert!(second.uidvalidity > first.uidvalidity);
    s.delete_mailbox(first.id, Origin::External).await.unwrap();
    let again = s.create_mailbox(u.id, "A", true).await.unwrap();
    assert_ne!(again.id, first.id);
    assert!(again.uidvalidity > second.uidvalidity);
    drop(s);
    // Fresh after a reopen too.
    let s = b.open().await;
    let third = s.create_mailbox(u.id, "C", true).await.unwrap();
    assert!(third.uidvalidity > again.uidvalidity);
}

pub async fn rename(b: &Backend) {
    let s = b.open().await;
    let u = s.create_user("bob", "h").await.unwrap();
    let a = s.create_mailbox(u.id, "a", true).await.unwrap();
    let ax = s.create_mailbox(u.id, "a/x", true).await.unwrap();
    let m = Msg::new("kept");
    s.append(ax.id, m.plain(), Origin::External).await.unwrap();
    let position = s.snapshot(ax.id).await.unwrap().feed_position;
    s.rename_mailboxes(
        &[(a.id, "b".into()), (ax.id, "b/x".into())],
        Origin::Session(7),
    )
    .await
    .unwrap();
    let bx = s.mailbox(ax.id).await.unwrap().unwrap();
    assert_eq!(
        (bx.name.as_str(), bx.uidvalidity, bx.uidnext),
        ("b/x", ax.uidvalidity, 2)
    );
    assert_eq!(s.mailbox(a.id).await.unwrap().unwrap().name, "b");
    assert_eq!(s.counts(ax.id).await.unwrap().messages, 1);
    let changes = s.changes_since(ax.id, position).await.unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(
        (changes[0].kind.clone(), changes[0].origin),
        (ChangeKind::MailboxGone, Origin::Session(7))
    );
    // A batch may move a name onto one it vacates.
    s.rename_mailboxes(
        &[(a.id, "b/x".into()), (ax.id, "b".into())],
        Origin::External,
    )
    .await
    .unwrap();
    assert_eq!(s.mailbox(a.id).await.unwrap().unwrap().name, "b/x");
    assert_eq!(s.mailbox(ax.id).await.unwrap().unwrap().name, "b");
}

pub async fn rename_collision(b: &Backend) {
    let s = b.open().await;
    let u = s.create_user("bob", "h").await.unwrap();
    let a = s.create_mailbox(u.id, "a", true).await.unwrap();
    let ax = s.create_mailbox(u.id, "a/x", true).await.unwrap();
    s.create_mailbox(u.id, "b/x", true).await.unwrap();
    let err = s
        .rename_mailboxes(
            &[(a.id, "b".into()), (ax.id, "b/x".into())],
            Origin::External,
        )
        .await;
    assert!(
        matches!(&err, Err(StoreError::AlreadyExists(n)) if n == "b/x"),
        "{err:?}"
    );
    // Nothing was renamed.
    assert_eq!(s.mailbox(a.id).await.unwrap().unwrap().name, "a");
    assert_eq!(s.mailbox(ax.id).await.unwrap().unwrap().name, "a/x");
    assert!(matches!(
        s.rename_mailboxes(&[(12345, "z".into())], Origin::External)
            .await,
        Err(StoreError::NotFound(_))
    ));
}

pub async fn selectable(b: &Backend) {
    let s = b.open().await;
    let u = s.create_user("bob", "h").await.unwrap();
    let a = s.create_mailbox(u.id, "a", false).await.unwrap();
    let m = Msg::new("x");
    assert!(matches!(
        s.append(a.id, m.plain(), Origin::External).await,
        Err(StoreError::NotFound(_))
    ));
    s.set_selectable(a.id, true, Origin::External)
        .await
        .unwrap();
    let (_, uid) = s.append(a.id, m.plain(), Origin::External).await.unwrap();
    assert_eq!(uid, 1);
    let position = s.snapshot(a.id).await.unwrap().feed_position;
    s.set_selectable(a.id, false, Origin::Session(1))
        .await
        .unwrap();
    let mb = s.mailbox(a.id).await.unwrap().unwrap();
    assert!(!mb.selectable);
    assert_eq!(s.counts(a.id).await.unwrap().messages, 0);
    assert_eq!(b.scalar("SELECT COUNT(*) FROM blobs").await, 0);
    let kinds: Vec<_> = s
        .changes_since(a.id, position)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.kind)
        .collect();
    assert_eq!(kinds, [ChangeKind::MailboxGone]);
    // Selectable again: UIDs continue, never reused.
    s.set_selectable(a.id, true, Origin::External)
        .await
        .unwrap();
    assert_eq!(
        s.append(a.id, m.plain(), Origin::External).await.unwrap().1,
        2
    );
}

pub async fn delete(b: &Backend) {
    let s = b.open().await;
    let u = s.create_user("bob", "h").await.unwrap();
    let a = s.create_mailbox(u.id, "a", true).await.unwrap();
    let m = Msg::new("x");
    for _ in 0..3 {
        s.append(a.id, m.with(flags(FlagSet::SEEN, &["k"])), Origin::External)
            .await
            .unwrap();
    }
    let position = s.snapshot(a.id).await.unwrap().feed_position;
    s.delete_mailbox(a.id, Origin::Session(3)).await.unwrap();
    assert_eq!(s.mailbox(a.id).await.unwrap(), None);
    assert!(matches!(s.counts(a.id).await, Err(StoreError::NotFound(_))));
    assert!(matches!(
        s.snapshot(a.id).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        s.delete_mailbox(a.id, Origin::External).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(b.scalar("SELECT COUNT(*) FROM messages").await, 0);
    assert_eq!(b.scalar("SELECT COUNT(*) FROM blobs").await, 0);
    let changes = s.changes_since(a.id, position).await.unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(
        (changes[0].kind.clone(), changes[0].origin),
        (ChangeKind::MailboxGone, Origin::Session(3))
    );
}

pub async fn counts(b: &Backend) {
    let s = b.open().await;
    let u = s.create_user("bob", "h").await.unwrap();
    let a = s.create_mailbox(u.id, "a", true).await.unwrap();
    assert_eq!(s.counts(a.id).await.unwrap(), Counts::default());
    let m = Msg::new("x");
    s.append(a.id, m.with(flags(FlagSet::SEEN, &[])), Origin::External)
        .await
        .unwrap();
    s.append(a.id, m.plain(), Origin::External).await.unwrap();
    s.append(a.id, m.with(flags(FlagSet::FLAGGED, &[])), Origin::External)
        .await
        .unwrap();
    let c = s.counts(a.id).await.unwrap();
    assert_eq!((c.messages, c.recent, c.unseen), (3, 3, 2));
    assert_eq!(s.claim_recent(a.id, 3).await.unwrap(), 1);
    let c = s.counts(a.id).await.unwrap();
    assert_eq!((c.messages, c.recent, c.unseen), (3, 1, 2));
}
