//! APPEND, UIDs, FETCH, STORE, snapshot and \Recent.

use crate::harness::{flags, Backend, Msg};
use imap_mimic::storage::{ChangeKind, FlagSet, Origin, Store, Want};
use imap_mimic::wire::types::StoreMode;

async fn setup(b: &Backend) -> (Store, i64) {
    let s = b.open().await;
    let u = s.create_user("bob", "h").await.unwrap();
    let inbox = s.create_mailbox(u.id, "INBOX", true).await.unwrap();
    (s, inbox.id)
}

async fn append_n(s: &Store, mailbox: i64, n: usize) -> Vec<u32> {
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

pub async fn store_flags_modes(b: &Backend) {
    let (s, inbox) = setup(b).await;
    let uids = append_n(&s, inbox, 4).await;
    let position = s.snapshot(inbox).await.unwrap().feed_position;
    let seen = flags(FlagSet::SEEN, &[]);
    s.store_flags(inbox, &[2, 3], StoreMode::Add, &seen, Origin::Session(1))
        .await
        .unwrap();
    // 2 and 3 already \Seen: only 1 and 4 change; 99 does not exist.
    let got = s
        .store_flags(
            inbox,
            &[1, 2, 3, 4, 99],
            StoreMode::Add,
            &seen,
            Origin::Session(2),
        )
        .await
        .unwrap();
    assert_eq!(
        got,
        uids.iter().map(|&u| (u, seen.clone())).collect::<Vec<_>>()
    );
    let both = flags(FlagSet::SEEN | FlagSet::FLAGGED, &[]);
    let got = s
        .store_flags(
            inbox,
            &[1],
            StoreMode::Add,
            &flags(FlagSet::FLAGGED, &[]),
            Origin::Session(3),
        )
        .await
        .unwrap();
    assert_eq!(got, [(1, both.clone())]);
    let got = s
        .store_flags(inbox, &[1, 2], StoreMode::Remove, &seen, Origin::Session(4))
        .await
        .unwrap();
    assert_eq!(
        got,
        [(1, flags(FlagSet::FLAGGED, &[])), (2, FlagSet::default())]
    );
    let got = s
        .store_flags(
            inbox,
            &[1, 2],
            StoreMode::Replace,
            &flags(FlagSet::DRAFT, &[]),
            Origin::Session(5),
        )
        .await
        .unwrap();
    assert_eq!(
        got,
        [
            (1, flags(FlagSet::DRAFT, &[])),
            (2, flags(FlagSet::DRAFT, &[]))
        ]
    );

    let changes = s.changes_since(inbox, position).await.unwrap();
    let summary: Vec<(Origin, u32, u8)> = changes
        .iter()
        .map(|c| match &c.kind {
            ChangeKind::Flags { uid, flags } => (c.origin, *uid, flags.system),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    let (s1, s2, s3, s4, s5) = (
        Origin::Session(1),
        Origin::Session(2),
        Origin::Session(3),
        Origin::Session(4),
        Origin::Session(5),
    );
    assert_eq!(
        summary,
        [
            (s1, 2, 1),
            (s1, 3, 1),
            (s2, 1, 1),
            (s2, 4, 1),
            (s3, 1, 5),
            (s4, 1, 4),
            (s4, 2, 0),
            (s5, 1, 16),
            (s5, 2, 16)
        ]
    );
    assert!(changes.windows(2).all(|w| w[0].seq < w[1].seq));
    let fetched = s.fetch(inbox, &uids, Want::default()).await.unwrap();
    let now: Vec<u8> = fetched.iter().map(|d| d.flags.system).collect();
    assert_eq!(now, [16, 16, 1, 1]);
}

pub async fn store_flags_keywords(b: &Backend) {
    let (s, inbox) = setup(b).await;
    let m = Msg::new("x");
    s.append(
        inbox,
        m.with(flags(0, &["Foo", "$MDNSent", "foo"])),
        Origin::External,
    )
    .await
    .unwrap();
    s.append(inbox, m.plain(), Origin::External).await.unwrap();
    let meta = s.fetch(inbox, &[1], Want::default()).await.unwrap();
    assert_eq!(meta[0].flags, flags(0, &["$MDNSent", "Foo"]));
    let position = s.snapshot(inbox).await.unwrap().feed_position;
    let got = s
        .store_flags(
            inbox,
            &[1, 2],
            StoreMode::Add,
            &flags(0, &["FOO", "bar"]),
            Origin::External,
        )
        .await
        .unwrap();
    assert_eq!(
        got,
        [
            (1, flags(0, &["$MDNSent", "bar", "Foo"])),
            (2, flags(0, &["bar", "FOO"]))
        ]
    );
    let got = s
        .store_flags(
            inbox,
            &[1, 2],
            StoreMode::Remove,
            &flags(0, &["foo"]),
            Origin::External,
        )
        .await
        .unwrap();
    assert_eq!(
        got,
        [(1, flags(0, &["$MDNSent", "bar"])), (2, flags(0, &["bar"]))]
    );
    // Removing what is not there changes nothing and logs nothing.
    let mark = s.changes_since(inbox, position).await.unwrap().len();
    s.store_flags(
        inbox,
        &[1, 2],
        StoreMode::Remove,
        &flags(FlagSet::DELETED, &["nope"]),
        Origin::External,
    )
    .await
    .unwrap();
    assert_eq!(s.changes_since(inbox, position).await.unwrap().len(), mark);
    let got = s
        .store_flags(
            inbox,
            &[1],
            StoreMode::Replace,
            &flags(FlagSet::SEEN, &[]),
            Origin::External,
        )
        .await
        .unwrap();
    assert_eq!(got, [(1, flags(FlagSet::SEEN, &[]))]);
    let last = s
        .changes_since(inbox, position)
        .await
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(
        last.kind,
        ChangeKind::Flags {
            uid: 1,
            flags: flags(FlagSet::SEEN, &[])
        }
    );
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
