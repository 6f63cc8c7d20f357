//! Storage conformance suite: every test body runs on SQLite (a temp file) and, when
//! `IMAP_MIMIC_TEST_POSTGRES` names a database, on PostgreSQL (a fresh schema). Test names
//! are `sqlite::<area>::<test>` and `postgres::<area>::<test>`; without the variable the
//! PostgreSQL tests print that they were skipped and pass.

#[path = "storage/harness.rs"]
mod harness;

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
}
