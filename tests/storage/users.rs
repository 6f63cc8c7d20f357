//! Users and subscriptions.

use crate::harness::{Backend, Msg};
use imap_mimic::storage::{Origin, StoreError};

pub async fn crud(b: &Backend) {
    let s = b.open().await;
    let bob = s.create_user("bob", "$argon2id$x").await.unwrap();
    let alice = s.create_user("alice", "$argon2id$y").await.unwrap();
    assert_ne!(bob.id, alice.id);
    assert!(matches!(
        s.create_user("bob", "h").await,
        Err(StoreError::AlreadyExists(n)) if n == "bob"
    ));
    assert_eq!(s.user_by_name("bob").await.unwrap(), Some(bob.clone()));
    assert_eq!(s.user_by_name("carol").await.unwrap(), None);
    let names: Vec<String> = s
        .list_users()
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.name)
        .collect();
    assert_eq!(names, ["alice", "bob"]);

    s.set_password("bob", "$argon2id$z").await.unwrap();
    assert_eq!(
        s.user_by_name("bob").await.unwrap().unwrap().password_hash,
        "$argon2id$z"
    );
    assert!(matches!(
        s.set_password("carol", "h").await,
        Err(StoreError::NotFound(_))
    ));

    s.delete_user("bob").await.unwrap();
    assert_eq!(s.user_by_name("bob").await.unwrap(), None);
    assert!(matches!(
        s.delete_user("bob").await,
        Err(StoreError::NotFound(_))
    ));
    // The name is free again.
    s.create_user("bob", "h").await.unwrap();
}

pub async fn delete_removes_everything(b: &Backend) {
    let s = b.open().await;
    let u = s.create_user("bob", "h").await.unwrap();
    let other = s.create_user("alice", "h").await.unwrap();
    let inbox = s.create_mailbox(u.id, "INBOX", true).await.unwrap();
    let archive = s.create_mailbox(u.id, "Archive", true).await.unwrap();
    let theirs = s.create_mailbox(other.id, "INBOX", true).await.unwrap();
    let m = Msg::new("x");
    let (_, uid) = s
        .append(inbox.id, m.plain(), Origin::External)
        .await
        .unwrap();
    // The copy shares the blob with a mailbox of another user, which must keep it.
    s.copy(inbox.id, &[uid], theirs.id, Origin::External)
        .await
        .unwrap();
    s.append(archive.id, m.plain(), Origin::External)
        .await
        .unwrap();
    s.subscribe(u.id, "Archive").await.unwrap();
    let before = s.feed().subscribe();
    let position = *before.borrow();

    s.delete_user("bob").await.unwrap();
    assert_eq!(s.mailbox(inbox.id).await.unwrap(), None);
    assert_eq!(s.mailbox(archive.id).await.unwrap(), None);
    assert_eq!(s.list_mailboxes(u.id).await.unwrap(), vec![]);
    assert_eq!(s.subscriptions(u.id).await.unwrap(), Vec::<String>::new());
    assert_eq!(b.scalar("SELECT COUNT(*) FROM messages").await, 1);
    assert_eq!(b.scalar("SELECT COUNT(*) FROM blobs").await, 1);
    let gone = s.changes_since(inbox.id, position).await.unwrap();
    assert_eq!(gone.len(), 1);
    assert_eq!(gone[0].kind, imap_mimic::storage::ChangeKind::MailboxGone);
    assert_eq!(
        s.fetch(theirs.id, &[1], Default::default())
            .await
            .unwrap()
            .len(),
        1
    );
}

pub async fn subscriptions(b: &Backend) {
    let s = b.open().await;
    let u = s.create_user("bob", "h").await.unwrap();
    s.subscribe(u.id, "Sent").await.unwrap();
    s.subscribe(u.id, "Archive/2020").await.unwrap();
    s.subscribe(u.id, "Sent").await.unwrap();
    assert_eq!(
        s.subscriptions(u.id).await.unwrap(),
        ["Archive/2020", "Sent"]
    );
    s.unsubscribe(u.id, "Sent").await.unwrap();
    assert!(matches!(
        s.unsubscribe(u.id, "Sent").await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(s.subscriptions(u.id).await.unwrap(), ["Archive/2020"]);
}
