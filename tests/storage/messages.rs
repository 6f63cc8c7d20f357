//! APPEND, UIDs, FETCH, STORE, snapshot and \Recent.

use crate::harness::{flags, Backend, Msg};
use imap_mimic::storage::{FlagSet, Origin, Store, Want};
use imap_mimic::wire::types::StoreMode;

pub async fn setup(b: &Backend) -> (Store, i64) {
    let s = b.open().await;
    let u = s.create_user("bob", "h").await.unwrap();
    let inbox = s.create_mailbox(u.id, "INBOX", true).await.unwrap();
    (s, inbox.id)
}

pub async fn append_n(s: &Store, mailbox: i64, n: usize) -> Vec<u32> {
    let mut uids = Vec::new();
    for i in 0..n {
        let m = Msg::new(&format!("message {i}"));
        uids.push(
            s.append(mailbox, m.plain(), Origin::External)
                .await
                .unwrap()
                .1,
        );
    }
    uids
}

pub async fn append_ascending(b: &Backend) {
    let (s, inbox) = setup(b).await;
    let uidvalidity = s.mailbox(inbox).await.unwrap().unwrap().uidvalidity;
    let m = Msg::new("x");
    for expected in 1..=10 {
        assert_eq!(
            s.append(inbox, m.plain(), Origin::External).await.unwrap(),
            (uidvalidity, expected)
        );
    }
    assert_eq!(s.mailbox(inbox).await.unwrap().unwrap().uidnext, 11);
}

pub async fn fetch_wants(b: &Backend) {
    let (s, inbox) = setup(b).await;
    let m = Msg::sized("hello", 100);
    let mut new = m.with(flags(FlagSet::FLAGGED, &["$Label1"]));
    new.size_known = false;
    new.stored_size = Some(42);
    s.append(inbox, new, Origin::External).await.unwrap();
    s.append(inbox, m.plain(), Origin::External).await.unwrap();

    let meta = s.fetch(inbox, &[1, 2, 3], Want::default()).await.unwrap();
    assert_eq!(meta.len(), 2);
    let d = &meta[0];
    assert_eq!(
        (d.uid, d.flags.clone()),
        (1, flags(FlagSet::FLAGGED, &["$Label1"]))
    );
    assert_eq!((d.internal_date, d.size), (m.date, m.raw.len() as u32));
    assert_eq!((d.size_known, d.stored_size), (false, Some(42)));
    assert_eq!(
        (&d.envelope, &d.body, &d.header, &d.raw),
        (&None, &None, &None, &None)
    );
    assert_eq!(
        (meta[1].uid, meta[1].size_known, meta[1].stored_size),
        (2, true, None)
    );

    let want = |envelope, body, header, raw| Want {
        envelope,
        body,
        header,
        raw,
    };
    let e = &s
        .fetch(inbox, &[2], want(true, false, false, false))
        .await
        .unwrap()[0];
    assert_eq!(
        (e.envelope.as_ref(), e.body.as_ref()),
        (Some(&m.envelope), None)
    );
    let e = &s
        .fetch(inbox, &[2], want(false, true, false, false))
        .await
        .unwrap()[0];
    assert_eq!(
        (e.envelope.as_ref(), e.body.as_ref()),
        (None, Some(&m.body))
    );
    let e = &s
        .fetch(inbox, &[2], want(false, false, true, false))
        .await
        .unwrap()[0];
    assert_eq!(e.header.as_deref(), Some(&m.raw[..m.header_len as usize]));
    assert_eq!(e.raw, None);
    let e = &s
        .fetch(inbox, &[1], want(true, true, true, true))
        .await
        .unwrap()[0];
    assert_eq!(e.raw.as_deref(), Some(&m.raw[..]));
    assert_eq!(e.header.as_deref(), Some(&m.raw[..m.header_len as usize]));
    assert_eq!(
        (e.envelope.as_ref(), e.body.as_ref()),
        (Some(&m.envelope), Some(&m.body))
    );
    assert!(s
        .fetch(inbox, &[], want(true, true, true, true))
        .await
        .unwrap()
        .is_empty());
    assert!(s
        .fetch(9999, &[1], Want::default())
        .await
        .unwrap()
        .is_empty());
}

/// Long runs, stragglers and gaps: the UID list becomes BETWEEN ranges and IN lists.
pub async fn fetch_sparse(b: &Backend) {
    let (s, inbox) = setup(b).await;
    let uids = append_n(&s, inbox, 400).await;
    let odd: Vec<u32> = uids
        .iter()
        .copied()
        .filter(|u| u % 2 == 1 || *u > 350)
        .collect();
    s.remove(inbox, &[5, 351, 352], Origin::External)
        .await
        .unwrap();
    let mut asked = odd.clone();
    asked.push(10_000);
    let got: Vec<u32> = s
        .fetch(inbox, &asked, Want::default())
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.uid)
        .collect();
    let expected: Vec<u32> = odd
        .into_iter()
        .filter(|u| ![5, 351, 352].contains(u))
        .collect();
    assert_eq!(got, expected);
}

pub async fn snapshot_and_recent(b: &Backend) {
    let (s, inbox) = setup(b).await;
    let empty = s.snapshot(inbox).await.unwrap();
    assert_eq!(
        (empty.uids.len(), empty.first_unseen_uid, empty.recent_floor),
        (0, None, 1)
    );
    let uids = append_n(&s, inbox, 5).await;
    s.store_flags(
        inbox,
        &[1, 2, 4],
        StoreMode::Add,
        &flags(FlagSet::SEEN, &[]),
        Origin::External,
    )
    .await
    .unwrap();
    s.remove(inbox, &[3], Origin::External).await.unwrap();
    let snap = s.snapshot(inbox).await.unwrap();
    assert_eq!(snap.uids, [1, 2, 4, 5]);
    assert_eq!(snap.first_unseen_uid, Some(5));
    assert_eq!(snap.mailbox.uidnext, 6);
    assert!(snap.feed_position >= empty.feed_position + 5);
    assert_eq!(snap.feed_position, *s.feed().subscribe().borrow());
    // The first session claims all five; a second one finds nothing left.
    assert_eq!(s.claim_recent(inbox, uids[4] + 1).await.unwrap(), 1);
    assert_eq!(s.claim_recent(inbox, 6).await.unwrap(), 6);
    assert_eq!(
        s.claim_recent(inbox, 3).await.unwrap(),
        6,
        "the floor never goes down"
    );
    append_n(&s, inbox, 1).await;
    let snap = s.snapshot(inbox).await.unwrap();
    assert_eq!(snap.recent_floor, 6);
    assert_eq!(s.counts(inbox).await.unwrap().recent, 1);
    assert_eq!(s.claim_recent(inbox, 7).await.unwrap(), 6);
    assert_eq!(s.counts(inbox).await.unwrap().recent, 0);
    assert!(matches!(
        s.claim_recent(9999, 1).await,
        Err(imap_mimic::storage::StoreError::NotFound(_))
    ));
}
