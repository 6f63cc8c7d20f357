//! The external agent's and the importer's storage operations: idempotent import, revise
//! (new UID, flags kept, blob collected), UIDVALIDITY renumbering, INBOX on demand.

use crate::harness::{flags, Backend, Msg};
use imap_mimic::storage::{ChangeKind, FlagSet, Origin, Store, StoreError, Want};

async fn inbox(b: &Backend) -> (Store, i64) {
    let s = b.open().await;
    let u = s.create_user("carol", "h").await.unwrap();
    let inbox = s.ensure_inbox(u.id).await.unwrap();
    assert_eq!(s.ensure_inbox(u.id).await.unwrap(), inbox);
    (s, inbox.id)
}

pub async fn import_skips_known_content(b: &Backend) {
    let (s, inbox) = inbox(b).await;
    let m = Msg::new("once");
    let first = s.import_message(inbox, m.plain(), "h1").await.unwrap();
    let again = s.import_message(inbox, m.plain(), "h1").await.unwrap();
    let other = s.import_message(inbox, m.plain(), "h2").await.unwrap();
    assert_eq!((first, again, other), (Some(1), None, Some(2)));
    assert_eq!(s.counts(inbox).await.unwrap().messages, 2);
    // The skipped one left no trace: no blob, no UID used.
    assert_eq!(b.scalar("SELECT COUNT(*) FROM blobs").await, 2);
    assert_eq!(s.mailbox(inbox).await.unwrap().unwrap().uidnext, 3);
}

pub async fn revise_replaces_under_a_new_uid(b: &Backend) {
    let (s, inbox) = inbox(b).await;
    let m = Msg::new("draft");
    s.append(
        inbox,
        m.with(flags(FlagSet::SEEN, &["k"])),
        Origin::External,
    )
    .await
    .unwrap();
    let position = s.snapshot(inbox).await.unwrap().feed_position;
    let revised = Msg::new("final");
    let new = s
        .revise_message(inbox, 1, revised.plain(), None)
        .await
        .unwrap();
    assert_eq!(new, 2);
    let data = s.fetch(inbox, &[1, 2], Want::default()).await.unwrap();
    assert_eq!(data.len(), 1);
    assert_eq!(
        (data[0].uid, &data[0].flags),
        (2, &flags(FlagSet::SEEN, &["k"]))
    );
    assert_eq!(b.scalar("SELECT COUNT(*) FROM blobs").await, 1);
    let kinds: Vec<ChangeKind> = s
        .changes_since(inbox, position)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.kind)
        .collect();
    assert_eq!(
        kinds,
        vec![
            ChangeKind::Expunged { uid: 1 },
            ChangeKind::Appended { uid: 2 }
        ]
    );
    let missing = s.revise_message(inbox, 1, revised.plain(), None).await;
    assert!(
        matches!(missing, Err(StoreError::NotFound(_))),
        "{missing:?}"
    );
}

pub async fn uidvalidity_renumbers(b: &Backend) {
    let (s, inbox) = inbox(b).await;
    for i in 0..4 {
        s.append(inbox, Msg::new(&format!("m{i}")).plain(), Origin::External)
            .await
            .unwrap();
    }
    s.remove(inbox, &[1, 3], Origin::External).await.unwrap();
    let before = s.mailbox(inbox).await.unwrap().unwrap();
    let position = s.snapshot(inbox).await.unwrap().feed_position;
    let after = s.set_uidvalidity(inbox, None).await.unwrap();
    assert!(after.uidvalidity > before.uidvalidity);
    assert_eq!(after.uidnext, 3);
    assert_eq!(s.mailbox(inbox).await.unwrap().unwrap(), after);
    assert_eq!(s.snapshot(inbox).await.unwrap().uids, vec![1, 2]);
    let changes = s.changes_since(inbox, position).await.unwrap();
    assert_eq!(
        changes.last().map(|c| &c.kind),
        Some(&ChangeKind::UidValidity {
            uidvalidity: after.uidvalidity
        })
    );
    let explicit = s.set_uidvalidity(inbox, Some(5)).await.unwrap();
    assert_eq!(explicit.uidvalidity, 5);
    assert!(s.set_uidvalidity(inbox, Some(5)).await.is_err());
    // A mailbox created afterwards never gets a value handed out before.
    let u = s.user_by_name("carol").await.unwrap().unwrap();
    let fresh = s.create_mailbox(u.id, "Fresh", true).await.unwrap();
    assert!(fresh.uidvalidity > after.uidvalidity);
}

pub async fn create_path_makes_superiors(b: &Backend) {
    let (s, _) = inbox(b).await;
    let u = s.user_by_name("carol").await.unwrap().unwrap();
    let leaf = s.create_mailbox_path(u.id, "a/b/c").await.unwrap();
    assert_eq!(leaf.name, "a/b/c");
    let names: Vec<String> = s
        .list_mailboxes(u.id)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.name)
        .collect();
    assert_eq!(names, ["INBOX", "a", "a/b", "a/b/c"]);
    let again = s.create_mailbox_path(u.id, "a/b").await;
    assert!(
        matches!(again, Err(StoreError::AlreadyExists(_))),
        "{again:?}"
    );
}
