//! Storage conformance suite: every test body runs on SQLite (a temp file) and, when
//! `IMAP_MIMIC_TEST_POSTGRES` names a database, on PostgreSQL (a fresh schema). Test names
//! are `sqlite::<area>::<test>` and `postgres::<area>::<test>`; without the variable the
//! PostgreSQL tests print that they were skipped and pass.

#[path = "storage/harness.rs"]
mod harness;

#[path = "storage/external.rs"]
mod external;
#[path = "storage/feed.rs"]
mod feed;
#[path = "storage/flags.rs"]
mod flags;
#[path = "storage/mailboxes.rs"]
mod mailboxes;
#[path = "storage/messages.rs"]
mod messages;
#[path = "storage/robustness.rs"]
mod robustness;
#[path = "storage/transfer.rs"]
mod transfer;
#[path = "storage/users.rs"]
mod users;

/// Generates `sqlite::area::test` and `postgres::area::test` for each `area::test(&Backend)`.
macro_rules! conformance {
    ($($area:ident: [$($test:ident),* $(,)?]),* $(,)?) => {
        mod sqlite {
            $(mod $area {
                $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    let backend = crate::harness::Backend::sqlite().await;
                    crate::$area::$test(&backend).await;
                })*
            })*
        }
        mod postgres {
            $(mod $area {
                $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    let Some(backend) = crate::harness::Backend::postgres().await else {
                        eprintln!("skipped: {} is not set", crate::harness::POSTGRES_ENV);
                        return;
                    };
                    crate::$area::$test(&backend).await;
                })*
            })*
        }
    };
}

conformance! {
    users: [crud, delete_removes_everything, subscriptions],
    mailboxes: [create_and_list, uidvalidity_fresh, rename, rename_collision, selectable, delete, counts],
    messages: [append_ascending, fetch_wants, fetch_sparse, snapshot_and_recent],
    flags: [store_flags_modes, store_flags_keywords],
    robustness: [
        uids_survive_expunge_and_reopen, concurrent_appends, concurrent_appends_two_stores,
        cancelled_writes_roll_back, corrupt_data_is_an_error,
    ],
    transfer: [copy_shares_blob, copy_same_mailbox, move_messages, expunge_and_remove],
    feed: [changes_in_order, feed_wakes_subscriber, second_store_sees_changes],
    external: [
        import_skips_known_content, revise_replaces_under_a_new_uid, uidvalidity_renumbers,
        create_path_makes_superiors,
    ],
}

/// `Store` is shared between tokio tasks: it and every future it returns must be `Send`.
#[test]
fn store_and_its_futures_are_send() {
    use imap_mimic::storage::{FlagSet, NewMessage, Origin, Store, Want};
    use imap_mimic::wire::types::StoreMode;
    fn shareable<T: Clone + Send + Sync + 'static>() {}
    fn send<F: std::future::Future + Send>(_: F) {}
    shareable::<Store>();
    // Never polled: only the types matter.
    #[allow(dead_code, clippy::diverging_sub_expression)]
    fn futures(s: Store, m: NewMessage<'static>) {
        let o = Origin::External;
        send(Store::open("sqlite:x"));
        send(s.create_user("a", "h"));
        send(s.delete_user("a"));
        send(s.create_mailbox(1, "a", true));
        send(s.rename_mailboxes(&[], o));
        send(s.delete_mailbox(1, o));
        send(s.set_selectable(1, true, o));
        send(s.counts(1));
        send(s.subscribe(1, "a"));
        send(s.append(1, m, o));
        send(s.snapshot(1));
        send(s.claim_recent(1, 1));
        send(s.fetch(1, &[], Want::default()));
        send(s.store_flags(1, &[], StoreMode::Add, &FlagSet::default(), o));
        send(s.copy(1, &[], 2, o));
        send(s.move_messages(1, &[], 2, o));
        send(s.expunge(1, None, o));
        send(s.remove(1, &[], o));
        send(s.changes_since(1, 0));
    }
}
