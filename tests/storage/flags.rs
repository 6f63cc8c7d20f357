//! STORE: modes, keywords, the changes it logs.

use crate::harness::{flags, Backend, Msg};
use crate::messages::{append_n, setup};
use imap_mimic::storage::{ChangeKind, FlagSet, Origin, Want};
use imap_mimic::wire::types::StoreMode;

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
