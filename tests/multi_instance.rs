//! Several instances on one PostgreSQL database (issue 9): real `imap-mimic serve`
//! processes sharing a fresh schema in the database named by `IMAP_MIMIC_TEST_POSTGRES`.
//! A session idling on one instance sees what another instance's client does; concurrent
//! APPENDs through four instances keep UIDs unique and ascending and lose nothing; a SQLite
//! data directory migrates to PostgreSQL with its UIDs. Without the variable every test says
//! it was skipped and passes.

mod common;
#[allow(dead_code)]
#[path = "storage/harness.rs"]
mod harness;

use common::{free_port, Client};
use harness::{Backend, POSTGRES_ENV};
use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_imap-mimic");

/// Test profiles: the shipped ones with LOGIN allowed without TLS, so the tests speak plain
/// TCP.
const PROFILES: &[(&str, &str)] = &[
    (
        "mi-rfc3501.toml",
        "schema = 1\nname = \"mi-rfc3501\"\nemulates = \"test\"\nextends = \"rfc3501\"\n\
         [auth]\nlogin_type = \"PlainTextLogin\"\n",
    ),
    (
        "mi-2016.toml",
        "schema = 1\nname = \"mi-2016\"\nemulates = \"test\"\nextends = \"exchange-2016\"\n\
         [auth]\nlogin_type = \"PlainTextLogin\"\n[limits]\nmax_connections_per_user = 1000\n",
    ),
];

/// One `imap-mimic serve` process; killed when dropped.
struct Instance {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A data directory holding the test profiles (instances share it: same NTLM key, same
/// certificate, as the README asks of a multi-instance deployment).
fn data_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (file, text) in PROFILES {
        std::fs::write(dir.path().join(file), text).unwrap();
    }
    dir
}

fn run_cli(args: &[&str], stdin: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the imap-mimic binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn add_user(database: &str, data: &Path, name: &str) {
    let out = run_cli(
        &[
            "user",
            "add",
            name,
            "--password-stdin",
            "--database",
            database,
            "--data",
            &data.display().to_string(),
        ],
        "secret\n",
    );
    assert!(out.status.success(), "user add: {out:?}");
}

async fn start(database: &str, data: &Path, profile: &str) -> Instance {
    let port = free_port();
    let child = Command::new(BIN)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .args(["--database", database, "--profile"])
        .arg(data.join(format!("{profile}.toml")))
        .arg("--data")
        .arg(data)
        .env("IMAP_MIMIC_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the imap-mimic binary runs");
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(addr).is_err() {
        assert!(
            Instant::now() < deadline,
            "instance on {addr} did not come up"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Instance { child, addr }
}

async fn login(addr: SocketAddr, user: &str) -> Client {
    let mut c = Client::plain(addr).await;
    c.line().await.unwrap();
    c.send(&format!("l LOGIN {user} secret")).await;
    let done = c.until_tagged("l").await;
    assert!(done.last().unwrap().starts_with("l OK"), "{done:?}");
    c
}

/// The next line, which must come within `limit`; returns it and how long it took.
async fn next_within(c: &mut Client, limit: Duration) -> (String, Duration) {
    let start = Instant::now();
    let line = tokio::time::timeout(limit, c.line())
        .await
        .expect("the idling session was told in time")
        .expect("connection open");
    (line, start.elapsed())
}

async fn postgres() -> Option<Backend> {
    let backend = Backend::postgres().await;
    if backend.is_none() {
        eprintln!("skipped: {POSTGRES_ENV} is not set");
    }
    backend
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_idling_on_one_instance_sees_another_instances_changes() {
    let Some(pg) = postgres().await else { return };
    let data = data_dir();
    add_user(&pg.url, data.path(), "alice");
    let a = start(&pg.url, data.path(), "mi-rfc3501").await;
    let b = start(&pg.url, data.path(), "mi-2016").await;

    let mut idler = login(a.addr, "alice").await;
    idler.send("s SELECT INBOX").await;
    idler.until_tagged("s").await;
    idler.send("i IDLE").await;
    assert_eq!(idler.line().await.unwrap(), "+ idling");

    let mut other = login(b.addr, "alice").await;
    let sent = Instant::now();
    let body = "Subject: across\r\n\r\nhello\r\n";
    other
        .send(&format!("a APPEND INBOX {{{}+}}", body.len()))
        .await;
    other.send_raw(format!("{body}\r\n").as_bytes()).await;
    let done = other.until_tagged("a").await;
    assert!(done.last().unwrap().starts_with("a OK"), "{done:?}");
    let (line, _) = next_within(&mut idler, Duration::from_secs(5)).await;
    assert_eq!(line, "* 1 EXISTS");
    eprintln!(
        "APPEND sent on one instance -> EXISTS seen on the other: {:?}",
        sent.elapsed()
    );
    assert_eq!(idler.line().await.unwrap(), "* 1 RECENT");

    other.send("s SELECT INBOX").await;
    other.until_tagged("s").await;
    other.send("f STORE 1 +FLAGS.SILENT (\\Flagged)").await;
    other.until_tagged("f").await;
    let (line, _) = next_within(&mut idler, Duration::from_secs(5)).await;
    assert_eq!(line, "* 1 FETCH (FLAGS (\\Flagged \\Recent))");

    other.send("d STORE 1 +FLAGS.SILENT (\\Deleted)").await;
    other.until_tagged("d").await;
    let (line, _) = next_within(&mut idler, Duration::from_secs(5)).await;
    assert_eq!(line, "* 1 FETCH (FLAGS (\\Flagged \\Deleted \\Recent))");
    other.send("e EXPUNGE").await;
    other.until_tagged("e").await;
    let (line, _) = next_within(&mut idler, Duration::from_secs(5)).await;
    assert_eq!(line, "* 1 EXPUNGE");

    idler.send("DONE").await;
    assert_eq!(idler.line().await.unwrap(), "i OK IDLE completed.");
}

/// Every database connection of instance A is killed (as when PostgreSQL restarts or a
/// network link drops) while a session idles on it; a change made through instance B still
/// reaches it once A's listener has reconnected and caught up, and the session goes on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_survive_a_dropped_database_connection() {
    let Some(pg) = postgres().await else { return };
    let data = data_dir();
    add_user(&pg.url, data.path(), "erin");
    let name = format!("mi_{:08x}", rand::random::<u32>());
    let url_a = format!("{}&application_name={name}", pg.url);
    let a = start(&url_a, data.path(), "mi-rfc3501").await;
    let b = start(&pg.url, data.path(), "mi-rfc3501").await;
    let mut idler = login(a.addr, "erin").await;
    idler.send("s SELECT INBOX").await;
    idler.until_tagged("s").await;
    idler.send("i IDLE").await;
    assert_eq!(idler.line().await.unwrap(), "+ idling");

    let killed = pg
        .scalar(&format!(
            "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity \
             WHERE application_name = '{name}'"
        ))
        .await;
    assert!(killed >= 1, "instance A had database connections to kill");

    let mut other = login(b.addr, "erin").await;
    let body = "Subject: after the drop\r\n\r\nhello\r\n";
    other
        .send(&format!("a APPEND INBOX {{{}+}}", body.len()))
        .await;
    other.send_raw(format!("{body}\r\n").as_bytes()).await;
    other.until_tagged("a").await;
    let (line, _) = next_within(&mut idler, Duration::from_secs(10)).await;
    assert_eq!(line, "* 1 EXISTS");
    assert_eq!(idler.line().await.unwrap(), "* 1 RECENT");
    idler.send("DONE").await;
    assert_eq!(idler.line().await.unwrap(), "i OK IDLE completed.");
    idler
        .send("f FETCH 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
        .await;
    let fetched = idler.until_tagged("f").await;
    assert_eq!(fetched[1], "Subject: after the drop");
    assert_eq!(fetched.last().unwrap(), "f OK FETCH completed.");
}

/// The database refuses the instance's connections (its role may not connect, every
/// connection it had is killed): a command that needs storage gets `NO [UNAVAILABLE]`
/// with the profile's text, the session stays, and once connections are allowed again
/// the same session's command succeeds (the pool reconnected).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_get_no_while_the_database_is_away_and_go_on_after() {
    let Ok(server) = std::env::var(POSTGRES_ENV) else {
        eprintln!("skipped: {POSTGRES_ENV} is not set");
        return;
    };
    let role = format!("mi_r{:08x}", rand::random::<u32>());
    let admin = |sql: String| {
        let server = server.clone();
        async move {
            use sqlx::Connection;
            let mut c = sqlx::PgConnection::connect(&server).await.unwrap();
            sqlx::query(&sql).execute(&mut c).await.unwrap();
        }
    };
    admin(format!("CREATE ROLE {role} LOGIN")).await;
    admin(format!("CREATE SCHEMA {role} AUTHORIZATION {role}")).await;
    // Same server and database, connecting as the new role into its own schema.
    let rest = server
        .strip_prefix("postgres://")
        .or_else(|| server.strip_prefix("postgresql://"))
        .unwrap();
    let rest = rest.split_once('@').map_or(rest, |(_, r)| r);
    let sep = if rest.contains('?') { '&' } else { '?' };
    let url = format!("postgres://{role}@{rest}{sep}options=-c%20search_path%3D{role}");
    let data = data_dir();
    add_user(&url, data.path(), "frank");
    let a = start(&url, data.path(), "mi-rfc3501").await;
    let mut c = login(a.addr, "frank").await;
    c.send("s STATUS INBOX (MESSAGES)").await;
    assert_eq!(c.until_tagged("s").await[0], "* STATUS INBOX (MESSAGES 0)");

    admin(format!("ALTER ROLE {role} CONNECTION LIMIT 0")).await;
    admin(format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{role}'"
    ))
    .await;
    c.send("t STATUS INBOX (MESSAGES)").await;
    let refused = c.until_tagged("t").await;
    assert_eq!(
        refused.last().unwrap(),
        "t NO [UNAVAILABLE] Storage is unavailable; try again later."
    );

    admin(format!("ALTER ROLE {role} CONNECTION LIMIT -1")).await;
    c.send("u STATUS INBOX (MESSAGES)").await;
    let back = c.until_tagged("u").await;
    assert_eq!(
        back,
        ["* STATUS INBOX (MESSAGES 0)", "u OK STATUS completed."]
    );
    drop(c);
    drop(a);
    admin(format!("DROP SCHEMA {role} CASCADE")).await;
    admin(format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{role}'"
    ))
    .await;
    admin(format!("DROP ROLE {role}")).await;
}

/// 4 instances x 4 connections x APPENDS_EACH appends; every acknowledged APPENDUID is in
/// the mailbox once, and the UIDs are exactly 1..=N.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_appends_through_four_instances_keep_uids_unique() {
    const APPENDS_EACH: usize = 1000;
    let Some(pg) = postgres().await else { return };
    let data = data_dir();
    add_user(&pg.url, data.path(), "bob");
    let mut instances = Vec::new();
    for _ in 0..4 {
        instances.push(start(&pg.url, data.path(), "mi-rfc3501").await);
    }
    let started = Instant::now();
    let mut clients = tokio::task::JoinSet::new();
    for (i, instance) in instances.iter().enumerate() {
        for j in 0..4 {
            let addr = instance.addr;
            clients.spawn(append_many(addr, format!("{i}.{j}"), APPENDS_EACH));
        }
    }
    let mut acknowledged = BTreeSet::new();
    while let Some(uids) = clients.join_next().await {
        for uid in uids.unwrap() {
            assert!(acknowledged.insert(uid), "UID {uid} acknowledged twice");
        }
    }
    let total = 16 * APPENDS_EACH;
    eprintln!(
        "{total} appends through 4 instances in {:?}",
        started.elapsed()
    );
    assert_eq!(acknowledged.len(), total);
    let expected: BTreeSet<u32> = (1..=total as u32).collect();
    assert_eq!(acknowledged, expected, "UIDs are 1..=N with no gap");

    let mut c = login(instances[0].addr, "bob").await;
    c.send("s SELECT INBOX").await;
    let select = c.until_tagged("s").await;
    assert!(select.contains(&format!("* {total} EXISTS")), "{select:?}");
    c.send("u UID SEARCH ALL").await;
    let search = c.until_tagged("u").await;
    let listed: Vec<u32> = search[0]
        .strip_prefix("* SEARCH ")
        .unwrap()
        .split(' ')
        .map(|u| u.parse().unwrap())
        .collect();
    assert!(listed.windows(2).all(|w| w[0] < w[1]), "ascending");
    assert_eq!(listed.into_iter().collect::<BTreeSet<_>>(), expected);
}

/// Appends `count` messages; returns the UIDs the server acknowledged (APPENDUID).
async fn append_many(addr: SocketAddr, who: String, count: usize) -> Vec<u32> {
    let mut c = login(addr, "bob").await;
    let mut uids = Vec::with_capacity(count);
    for n in 0..count {
        let body = format!("Subject: {who} {n}\r\n\r\nbody\r\n");
        c.send(&format!("a APPEND INBOX {{{}+}}", body.len())).await;
        c.send_raw(format!("{body}\r\n").as_bytes()).await;
        let done = c.until_tagged("a").await;
        let ok = done.last().unwrap();
        let uid = ok
            .strip_prefix("a OK [APPENDUID ")
            .and_then(|rest| rest.split([' ', ']']).nth(1))
            .unwrap_or_else(|| panic!("no APPENDUID in {ok:?}"));
        uids.push(uid.parse().unwrap());
    }
    uids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_data_directory_migrates_to_postgres() {
    let Some(pg) = postgres().await else { return };
    let data = data_dir();
    let sqlite = format!("sqlite:{}", data.path().join("imap-mimic.db").display());
    add_user(&sqlite, data.path(), "carol");
    {
        let instance = start(&sqlite, data.path(), "mi-rfc3501").await;
        let mut c = login(instance.addr, "carol").await;
        c.send("c CREATE Work/Projects").await;
        c.until_tagged("c").await;
        for n in 0..3 {
            let body = format!("Subject: kept {n}\r\n\r\nbody\r\n");
            c.send(&format!(
                "a APPEND Work/Projects (\\Seen) {{{}+}}",
                body.len()
            ))
            .await;
            c.send_raw(format!("{body}\r\n").as_bytes()).await;
            c.until_tagged("a").await;
        }
        c.send("s SELECT Work/Projects").await;
        c.until_tagged("s").await;
        c.send("e STORE 2 +FLAGS.SILENT (\\Deleted)").await;
        c.until_tagged("e").await;
        c.send("x EXPUNGE").await;
        c.until_tagged("x").await;
    }
    let out = run_cli(&["migrate", "--from", &sqlite, "--to", &pg.url], "");
    assert!(out.status.success(), "migrate: {out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("messages: 2 rows"), "{stdout}");

    let instance = start(&pg.url, data.path(), "mi-rfc3501").await;
    let mut c = login(instance.addr, "carol").await;
    c.send("s STATUS Work/Projects (MESSAGES UIDNEXT)").await;
    assert_eq!(
        c.until_tagged("s").await[0],
        "* STATUS Work/Projects (MESSAGES 2 UIDNEXT 4)"
    );
    c.send("e EXAMINE Work/Projects").await;
    c.until_tagged("e").await;
    c.send("f UID FETCH 1:* (FLAGS BODY[HEADER.FIELDS (SUBJECT)])")
        .await;
    let fetched = c.until_tagged("f").await;
    assert_eq!(
        fetched[..4],
        [
            "* 1 FETCH (UID 1 FLAGS (\\Seen) BODY[HEADER.FIELDS (SUBJECT)] {19}",
            "Subject: kept 0",
            "",
            ")",
        ]
    );
    assert!(fetched[4].starts_with("* 2 FETCH (UID 3 "), "{fetched:?}");
    // A new user created after the copy gets a fresh id (the sequences moved on).
    add_user(&pg.url, data.path(), "dave");
    let _ = login(instance.addr, "dave").await;

    let again = run_cli(&["migrate", "--from", &sqlite, "--to", &pg.url], "");
    assert!(
        !again.status.success(),
        "a second copy into a used database is refused"
    );
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("already has users")
            || String::from_utf8_lossy(&again.stderr).contains("has users"),
        "{again:?}"
    );
}
