//! Changes made outside IMAP ("another protocol": MS-STANXIMAP V0013), applied through the
//! storage layer the way the admin API applies them, seen by a connected session per its
//! profile: messages whose MIME size is not known report their stored size (V0006, V0040,
//! V0041, V0045), and a revised message comes back under a new UID (§2.1.2, §2.1.3, V0004).

mod common;

use common::Client;
use imap_mimic::storage::{FlagSet, NewMessage, Origin};
use imap_mimic::testkit::TestServer;
use imap_mimic::wire::ImapDateTime;

const RAW: &[u8] = b"Subject: made elsewhere\r\n\r\nbody\r\n";

async fn deliver(server: &TestServer, stored_size: Option<u32>) -> u32 {
    let user = server.store.user_by_name("alice").await.unwrap().unwrap();
    let inbox = server.store.list_mailboxes(user.id).await.unwrap();
    let inbox = inbox.iter().find(|m| m.name == "INBOX").unwrap();
    let analysis = imap_mimic::mime::analyze(RAW);
    let message = NewMessage {
        raw: RAW,
        flags: FlagSet::default(),
        internal_date: ImapDateTime {
            timestamp: 0,
            offset_minutes: 0,
        },
        envelope: &analysis.envelope,
        body: &analysis.body,
        header_len: analysis.header_len,
        size_known: stored_size.is_none(),
        stored_size,
    };
    server
        .store
        .append(inbox.id, message, Origin::External)
        .await
        .unwrap()
        .1
}

async fn logged_in(profile: &str) -> (TestServer, Client) {
    let server = TestServer::start(profile).await.unwrap();
    server.add_user("alice", "secret").await.unwrap();
    let mut c = Client::tls(server.tls_addr, server.client_tls.clone()).await;
    c.line().await.unwrap();
    c.send("a LOGIN alice secret").await;
    assert!(c.line().await.unwrap().starts_with("a OK"));
    (server, c)
}

#[tokio::test]
async fn stored_size_is_reported_where_the_profile_says() {
    // RAW is 36 octets; "another protocol" stored it as 2048.
    for (profile, size) in [("exchange-2016", 2048), ("rfc3501", RAW.len())] {
        let (server, mut c) = logged_in(profile).await;
        deliver(&server, Some(2048)).await;
        c.send("b SELECT INBOX").await;
        c.until_tagged("b").await;
        c.send("c FETCH 1 RFC822.SIZE").await;
        assert_eq!(
            c.until_tagged("c").await[0],
            format!("* 1 FETCH (RFC822.SIZE {size})"),
            "{profile}"
        );
        c.send("d SEARCH LARGER 1000").await;
        let larger = if size > 1000 {
            "* SEARCH 1"
        } else {
            "* SEARCH"
        };
        assert_eq!(
            c.until_tagged("d").await[0],
            larger,
            "{profile}: LARGER compares the reported size"
        );
        c.send("e SEARCH SMALLER 1000").await;
        let smaller = if size < 1000 {
            "* SEARCH 1"
        } else {
            "* SEARCH"
        };
        assert_eq!(
            c.until_tagged("e").await[0],
            smaller,
            "{profile}: SMALLER too"
        );
        // BODY[] is always the real bytes.
        c.send("f FETCH 1 BODY.PEEK[]").await;
        assert_eq!(
            c.until_tagged("f").await[0],
            format!("* 1 FETCH (BODY[] {{{}}}", RAW.len())
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn mime_known_messages_report_their_exact_size_everywhere() {
    let (server, mut c) = logged_in("exchange-2016").await;
    deliver(&server, None).await;
    c.send("b SELECT INBOX").await;
    c.until_tagged("b").await;
    c.send("c FETCH 1 RFC822.SIZE").await;
    assert_eq!(
        c.until_tagged("c").await[0],
        format!("* 1 FETCH (RFC822.SIZE {})", RAW.len())
    );
    server.stop().await;
}

#[tokio::test]
async fn a_revised_message_comes_back_under_a_new_uid() {
    let (server, mut c) = logged_in("exchange-2016").await;
    let old = deliver(&server, None).await;
    c.send("b SELECT INBOX").await;
    c.until_tagged("b").await;
    c.send("i IDLE").await;
    assert_eq!(
        c.line().await.unwrap(),
        "+ IDLE accepted, awaiting DONE command."
    );
    // The revision: the old message goes away, the revised one is new mail.
    let user = server.store.user_by_name("alice").await.unwrap().unwrap();
    let inbox = server
        .store
        .list_mailboxes(user.id)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.name == "INBOX")
        .unwrap();
    server
        .store
        .remove(inbox.id, &[old], Origin::External)
        .await
        .unwrap();
    assert_eq!(c.line().await.unwrap(), "* 1 EXPUNGE", "during IDLE");
    let new = deliver(&server, None).await;
    assert!(new > old);
    assert_eq!(c.line().await.unwrap(), "* 1 EXISTS");
    assert_eq!(c.line().await.unwrap(), "* 1 RECENT");
    c.send("DONE").await;
    assert_eq!(c.line().await.unwrap(), "i OK IDLE completed.");
    c.send("u UID FETCH 1:* UID").await;
    assert_eq!(
        c.until_tagged("u").await[0],
        format!("* 1 FETCH (UID {new})")
    );
    server.stop().await;
}

/// C0003: a stored name longer than 250 characters (made by another protocol, or an import)
/// is listed truncated to 250 under Exchange profiles; `rfc3501` has no limit.
#[tokio::test]
async fn long_stored_names_are_truncated_when_listed() {
    let long = "L".repeat(300);
    for (profile, shown) in [("exchange-2016", 250), ("rfc3501", 300)] {
        let (server, mut c) = logged_in(profile).await;
        let user = server.store.user_by_name("alice").await.unwrap().unwrap();
        server
            .store
            .create_mailbox(user.id, &long, true)
            .await
            .unwrap();
        c.send("b LIST \"\" L*").await;
        let listed = c.until_tagged("b").await;
        let name = listed[0].rsplit(' ').next().unwrap();
        assert_eq!(name, "L".repeat(shown), "{profile}: {}", listed[0]);
        assert!(listed[1].starts_with("b OK"), "{profile}: {listed:?}");
    }
}
