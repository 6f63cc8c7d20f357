//! The protocol log (`[logging]`): one CSV line per command in Exchange 2013's format,
//! checked field by field, with no password anywhere in the file.

mod common;

use common::Client;
use imap_mimic::testkit::TestServer;
use std::path::Path;

fn profile(dir: &Path, roll: &str, quota: u64) -> String {
    format!(
        "schema = 1\nname = \"logged\"\nemulates = \"rfc3501 with a protocol log\"\nextends = \"rfc3501\"\n\
         [auth]\nlogin_type = \"PlainTextLogin\"\n\
         [logging]\nprotocol_log_enabled = true\nlog_file_location = {:?}\n\
         log_file_roll_over_settings = \"{roll}\"\nlog_per_file_size_quota = {quota}\n",
        dir.display().to_string()
    )
}

fn log_files(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .expect("log directory exists")
        .map(|e| {
            let path = e.expect("entry").path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&path).expect("readable"))
        })
        .collect();
    files.sort();
    files
}

/// Splits a CSV line that has no quoted fields with commas (true of these commands).
fn fields(line: &str) -> Vec<String> {
    line.split(',').map(str::to_string).collect()
}

#[tokio::test]
async fn one_line_per_command_and_no_passwords() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_with("logged", &[&profile(dir.path(), "daily", 0)])
        .await
        .unwrap();
    server.add_user("alice", "s3cret-pw").await.unwrap();
    let mut c = Client::plain(server.addr).await;
    c.line().await;
    c.send("a1 LOGIN alice s3cret-pw").await;
    c.until_tagged("a1").await;
    c.send("a2 SELECT INBOX").await;
    c.until_tagged("a2").await;
    c.send("a3 UID FETCH 1:* FLAGS").await;
    c.until_tagged("a3").await;
    c.send("a4 LOGOUT").await;
    c.until_tagged("a4").await;
    // AUTHENTICATE PLAIN with its response on its own line: one line, no SASL data.
    let mut d = Client::plain(server.addr).await;
    d.line().await;
    d.send("b1 AUTHENTICATE PLAIN").await;
    d.line().await;
    d.send("AGFsaWNlAHMzY3JldC1wdw==").await;
    d.until_tagged("b1").await;
    d.send("b2 NOOP").await;
    d.until_tagged("b2").await;
    let addr = server.addr;
    server.stop().await;

    let files = log_files(dir.path());
    assert_eq!(files.len(), 1, "one daily file: {files:?}");
    let (name, text) = &files[0];
    let today = chrono::Utc::now().format("%Y%m%d").to_string();
    assert_eq!(name, &format!("IMAP4{today}-1.LOG"));
    assert!(!text.contains("s3cret"), "password in the log:\n{text}");
    assert!(!text.contains("AGFsaWNl"), "SASL data in the log:\n{text}");
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert!(lines[0].starts_with("#Software: imap-mimic"));
    assert_eq!(lines[2], "#Log-type: IMAP4 Protocol Log");
    assert_eq!(
        lines[4],
        "#Fields: dateTime,sessionId,seqNumber,sIp,cIp,user,duration,rqsize,rpsize,command,parameters,context"
    );
    let rows: Vec<Vec<String>> = lines[5..].iter().map(|l| fields(l)).collect();
    assert_eq!(rows.len(), 6, "{lines:#?}");
    let login = &rows[0];
    assert_eq!(login.len(), 12);
    let at = chrono::DateTime::parse_from_rfc3339(&login[0]).expect("ISO 8601 dateTime");
    assert!((chrono::Utc::now() - at.to_utc()).num_seconds() < 60);
    assert!(
        login[0].ends_with('Z') && login[0].len() == 24,
        "{}",
        login[0]
    );
    assert_eq!(login[1].len(), 16, "sessionId is 16 hex digits");
    assert!(login[1].chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(login[2], "0");
    assert_eq!(login[3], addr.to_string());
    assert!(login[4].starts_with("127.0.0.1:"));
    assert_eq!(login[5], "alice");
    assert!(login[6].parse::<u64>().is_ok(), "duration in ms");
    assert_eq!(login[7], "a1 LOGIN alice s3cret-pw\r\n".len().to_string());
    assert!(login[8].parse::<u64>().unwrap() > 0);
    assert_eq!((login[9].as_str(), login[10].as_str()), ("login", "alice"));
    assert_eq!(login[11], "R=ok");
    let select = &rows[1];
    assert_eq!(select[1], login[1], "same session");
    assert_eq!(select[2], "1");
    assert_eq!(select[9..], ["select", "INBOX", "R=ok"]);
    assert_eq!(rows[2][9..], ["uid fetch", "1:* FLAGS", "R=ok"]);
    assert_eq!(rows[3][9..], ["logout", "", "R=ok"]);
    assert_eq!(rows[3][5], "alice", "the user is kept after LOGOUT");
    let auth = &rows[4];
    assert_ne!(auth[1], login[1], "a new session");
    assert_eq!(auth[2], "0");
    assert_eq!(auth[5], "alice");
    let rq = "b1 AUTHENTICATE PLAIN\r\n".len() + "AGFsaWNlAHMzY3JldC1wdw==\r\n".len();
    assert_eq!(auth[7], rq.to_string(), "SASL lines count towards rqsize");
    assert_eq!(auth[9..], ["authenticate", "PLAIN", "R=ok"]);
    assert_eq!(rows[5][9..], ["noop", "", "R=ok"]);
}

#[tokio::test]
async fn refusals_carry_their_text_and_quota_starts_new_files() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_with("logged", &[&profile(dir.path(), "hourly", 600)])
        .await
        .unwrap();
    let mut c = Client::plain(server.addr).await;
    c.line().await;
    c.send("a1 LOGIN nobody wrong-pw").await;
    c.until_tagged("a1").await;
    for i in 0..6 {
        c.send(&format!("n{i} NOOP")).await;
        c.until_tagged(&format!("n{i}")).await;
    }
    server.stop().await;
    let files = log_files(dir.path());
    let hour = chrono::Utc::now().format("%Y%m%d%H").to_string();
    assert!(
        files.len() >= 2,
        "the 600-byte quota starts new files: {files:?}"
    );
    assert_eq!(files[0].0, format!("IMAP4{hour}-1.LOG"));
    assert_eq!(files[1].0, format!("IMAP4{hour}-2.LOG"));
    let all: String = files.iter().map(|(_, t)| t.as_str()).collect();
    assert!(!all.contains("wrong-pw"));
    let rows: Vec<&str> = all
        .split("\r\n")
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    assert_eq!(rows.len(), 7);
    assert!(
        rows[0].ends_with(",login,nobody,R=no;Msg=Authentication failed."),
        "{}",
        rows[0]
    );
    assert_eq!(fields(rows[0])[5], "", "no user before a login succeeds");
    for (_, text) in &files {
        assert!(
            text.len() <= 600 || text.matches("\r\n").count() == 6,
            "{text}"
        );
        assert!(text.starts_with("#Software: imap-mimic"));
    }
}
