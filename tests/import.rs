//! `imap-mimic import` as a user runs it (the binary, on a data directory), on small mbox,
//! Maildir and .eml fixtures written by the tests; the result is read back through a real
//! server over IMAP.

mod common;

use common::Client;
use imap_mimic::storage::Store;
use std::path::Path;
use std::process::{Command, Output};

/// Creates `alice` in the data directory's database.
async fn data_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path()).await;
    let key =
        imap_mimic::ntlm::secret::SealingKey::load_or_create(&dir.path().join("ntlm.key")).unwrap();
    imap_mimic::accounts::create_user(
        &store,
        Some(&key),
        "alice",
        &imap_mimic::secret::Secret::new("secret"),
        imap_mimic::password::Cost::Low,
    )
    .await
    .unwrap();
    dir
}

async fn open(data: &Path) -> Store {
    Store::open(&format!("sqlite:{}", data.join("imap-mimic.db").display()))
        .await
        .unwrap()
}

fn import(data: &Path, extra: &[&str], source: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_imap-mimic"))
        .arg("import")
        .arg("--data")
        .arg(data)
        .args(["--user", "alice"])
        .args(extra)
        .arg(source)
        .env("IMAP_MIMIC_LOG", "warn")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).trim_end().to_string()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).trim_end().to_string()
}

/// Serves the data directory's database and logs alice in over IMAP.
async fn imap(data: &Path) -> (imap_mimic::server::Running, Client) {
    use imap_mimic::server::tls::{ensure_generated, CertPaths, CertStore};
    use imap_mimic::server::{ListenerSpec, Running, Services, TlsMode};
    let set = imap_mimic::profile::load::Search::default().load().unwrap();
    let paths = CertPaths::generated_in(data);
    ensure_generated(&paths).unwrap();
    let services = Services {
        store: open(data).await,
        registry: std::sync::Arc::new(imap_mimic::profile::Registry::new(set)),
        tls: Some(CertStore::open(paths.clone()).unwrap().acceptor()),
        ntlm_key: None,
    };
    let spec = ListenerSpec {
        addr: "127.0.0.1:0".parse().unwrap(),
        tls: TlsMode::Implicit,
        profile: "rfc3501".into(),
    };
    let running = Running::start(&[spec], services).await.unwrap();
    let config = imap_mimic::testkit::client_config(&paths.cert).unwrap();
    let mut c = Client::tls(running.addrs[0], config).await;
    c.line().await.unwrap();
    c.send("a LOGIN alice secret").await;
    assert!(c.line().await.unwrap().starts_with("a OK"));
    (running, c)
}

const MBOX: &str = "From alice@example.com Thu Nov 26 00:42:00 2026\n\
Subject: one\n\nfirst\n>From the quoted line\n\n\
From bob@example.com Fri Nov 27 10:00:00 2026 +0200\n\
Subject: two\n\nsecond\n";

#[tokio::test]
async fn an_mbox_imports_once_with_its_from_line_dates() {
    let data = data_dir().await;
    let mbox = data.path().join("mail.mbox");
    std::fs::write(&mbox, MBOX).unwrap();
    let first = import(data.path(), &[], &mbox);
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(
        stdout(&first),
        format!(
            "{}: imported 2, skipped 0 already imported, 0 not imported",
            mbox.display()
        )
    );
    let again = import(data.path(), &[], &mbox);
    assert_eq!(
        stdout(&again),
        format!(
            "{}: imported 0, skipped 2 already imported, 0 not imported",
            mbox.display()
        )
    );
    let (running, mut c) = imap(data.path()).await;
    c.send("s SELECT INBOX").await;
    assert_eq!(c.until_tagged("s").await[0], "* 2 EXISTS");
    c.send("f FETCH 1:2 (INTERNALDATE BODY.PEEK[TEXT])").await;
    let lines = c.until_tagged("f").await;
    assert_eq!(
        lines[0],
        "* 1 FETCH (INTERNALDATE \"26-Nov-2026 00:42:00 +0000\" BODY[TEXT] {29}"
    );
    assert_eq!(lines[1], "first");
    assert_eq!(lines[2], "From the quoted line");
    assert!(
        lines.contains(
            &"* 2 FETCH (INTERNALDATE \"27-Nov-2026 10:00:00 +0200\" BODY[TEXT] {8}".to_string()
        ),
        "{lines:?}"
    );
    running.stop(std::time::Duration::from_secs(1)).await;
}

#[tokio::test]
async fn a_broken_mbox_is_reported_by_line_and_the_good_messages_imported() {
    let data = data_dir().await;
    let mbox = data.path().join("broken.mbox");
    let text = format!("{MBOX}\nFrom nobody-knows-when\nSubject: lost\n\nx\n\nFrom c@d Sat Nov 28 08:00:00 2026\nnot a header\n");
    std::fs::write(&mbox, text).unwrap();
    let out = import(data.path(), &["--mailbox", "Archive"], &mbox);
    assert!(!out.status.success());
    assert_eq!(
        stdout(&out),
        format!(
            "{}: imported 2, skipped 0 already imported, 2 not imported",
            mbox.display()
        )
    );
    let m = mbox.display();
    assert_eq!(
        stderr(&out),
        format!(
            "{m}:12: broken \"From \" line: no sender and date\n\
             {m}:18: not an RFC 5322 message: not a header field: \"not a header\""
        )
    );
    let store = open(data.path()).await;
    let alice = store.user_by_name("alice").await.unwrap().unwrap();
    let archive = store
        .mailbox_named(alice.id, "Archive")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(store.counts(archive.id).await.unwrap().messages, 2);
}

#[tokio::test]
async fn a_maildir_imports_flags_and_subfolders() {
    let data = data_dir().await;
    let maildir = data.path().join("Maildir");
    for dir in ["cur", "new", "tmp", ".Lists.Rust/cur", ".Lists.Rust/new"] {
        std::fs::create_dir_all(maildir.join(dir)).unwrap();
    }
    std::fs::write(maildir.join("cur/1.M1.host:2,FS"), "Subject: seen\n\nx\n").unwrap();
    std::fs::write(maildir.join("new/2.M2.host"), "Subject: new\n\ny\n").unwrap();
    std::fs::write(
        maildir.join(".Lists.Rust/cur/3.M3.host:2,RT"),
        "Subject: list\n\nz\n",
    )
    .unwrap();
    // An entry that cannot be read as a file.
    let unreadable = maildir.join("cur/4.M4.host:2,S");
    std::fs::create_dir(&unreadable).unwrap();
    let out = import(data.path(), &[], &maildir);
    assert!(!out.status.success());
    assert_eq!(
        stdout(&out),
        format!(
            "{}: imported 3, skipped 0 already imported, 1 not imported",
            maildir.display()
        )
    );
    assert!(
        stderr(&out).starts_with(&format!("{}: cannot read: ", unreadable.display())),
        "{}",
        stderr(&out)
    );
    let (running, mut c) = imap(data.path()).await;
    c.send("s SELECT INBOX").await;
    c.until_tagged("s").await;
    c.send("f FETCH 1:2 FLAGS").await;
    assert_eq!(
        c.until_tagged("f").await[..2],
        [
            "* 1 FETCH (FLAGS (\\Seen \\Flagged \\Recent))",
            "* 2 FETCH (FLAGS (\\Recent))"
        ]
    );
    c.send("t SELECT Lists/Rust").await;
    c.until_tagged("t").await;
    c.send("g FETCH 1 FLAGS").await;
    assert_eq!(
        c.until_tagged("g").await[0],
        "* 1 FETCH (FLAGS (\\Answered \\Deleted \\Recent))"
    );
    running.stop(std::time::Duration::from_secs(1)).await;
}

#[tokio::test]
async fn a_directory_of_eml_files_keeps_the_date_header() {
    let data = data_dir().await;
    let dir = data.path().join("eml");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("a.eml"),
        "Date: Mon, 2 Jan 2023 03:04:05 -0800\nSubject: a\n\nbody\n",
    )
    .unwrap();
    std::fs::write(dir.join("b.eml"), "no headers at all\n").unwrap();
    std::fs::write(dir.join("notes.txt"), "ignored\n").unwrap();
    let out = import(data.path(), &[], &dir);
    assert_eq!(
        stderr(&out),
        format!(
            "{}:1: not an RFC 5322 message: not a header field: \"no headers at all\"",
            dir.join("b.eml").display()
        )
    );
    let again = import(data.path(), &[], &dir);
    assert!(stdout(&again).contains("imported 0, skipped 1 already imported, 1 not imported"));
    let (running, mut c) = imap(data.path()).await;
    c.send("s SELECT INBOX").await;
    c.until_tagged("s").await;
    c.send("f FETCH 1 INTERNALDATE").await;
    assert_eq!(
        c.until_tagged("f").await[0],
        "* 1 FETCH (INTERNALDATE \" 2-Jan-2023 03:04:05 -0800\")"
    );
    running.stop(std::time::Duration::from_secs(1)).await;
}
