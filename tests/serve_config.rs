//! `imap-mimic serve --config`: the shipped example file, run by the real binary, serves
//! exchange-2007 on one port and exchange-2016 on others from one process; SIGHUP reloads.
//! The example's addresses are rewritten to port 0 and the bound ones read from the log, so
//! the test never collides with a server already running on the example's ports.

mod common;

use common::Client;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The server process; killed when the test ends, whatever happens.
struct Server {
    child: Child,
    log: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Log lines (ANSI colours removed) until one contains `needle`; panics after 30 s.
    fn wait_for(&self, needle: &str) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut seen = Vec::new();
        while Instant::now() < deadline {
            match self.log.recv_timeout(Duration::from_millis(100)) {
                Ok(line) => {
                    let done = line.contains(needle);
                    seen.push(line);
                    if done {
                        return seen;
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
        panic!("no log line with {needle:?}; got:\n{}", seen.join("\n"));
    }
}

fn start(dir: &std::path::Path, config: &std::path::Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_imap-mimic"))
        .current_dir(dir)
        .env("IMAP_MIMIC_LOG", "info")
        .env_remove("IMAP_MIMIC_DATA")
        .env_remove("IMAP_MIMIC_DATABASE")
        .args(["serve", "--config"])
        .arg(config)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start imap-mimic serve");
    let stderr = child.stderr.take().expect("piped stderr");
    let (tx, log) = mpsc::channel();
    std::thread::spawn(move || {
        let ansi = regex::Regex::new("\x1b\\[[0-9;]*m").unwrap();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(ansi.replace_all(&line, "").into_owned());
        }
    });
    Server { child, log }
}

/// `(address, profile)` of each `listening` log line.
fn listeners(lines: &[String]) -> Vec<(SocketAddr, String)> {
    let re = regex::Regex::new(r"listening addr=(\S+) tls=\w+ profile=(\S+)").unwrap();
    lines
        .iter()
        .filter_map(|l| re.captures(l))
        .map(|c| (c[1].parse().unwrap(), c[2].to_string()))
        .collect()
}

async fn hello(addr: SocketAddr) -> (String, String) {
    let mut c = Client::plain(addr).await;
    let greeting = c.line().await.unwrap();
    c.send("a1 CAPABILITY").await;
    let capability = c.until_tagged("a1").await.remove(0);
    (greeting, capability)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_example_config_serves_two_exchange_versions_from_one_process() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let example = std::fs::read_to_string(root.join("imap-mimic.example.toml")).unwrap();
    let ports = regex::Regex::new(r#"address = "127\.0\.0\.1:\d+""#).unwrap();
    let text = ports.replace_all(&example, r#"address = "127.0.0.1:0""#);
    // The admin API too, so parallel tests do not fight over its port.
    let text = text.replace(r#"admin = "127.0.0.1:8143""#, r#"admin = "127.0.0.1:0""#);
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("profiles")).unwrap();
    let config = dir.path().join("imap-mimic.toml");
    std::fs::write(&config, text.as_bytes()).unwrap();

    let server = start(dir.path(), &config);
    let log = server.wait_for("imap-mimic is serving");
    let bound = listeners(&log);
    let profiles: Vec<&str> = bound.iter().map(|(_, p)| p.as_str()).collect();
    assert_eq!(
        profiles,
        ["exchange-2007", "exchange-2016", "exchange-2016"]
    );
    assert!(log
        .iter()
        .any(|l| l.contains("admin API listening addr=127.0.0.1:")));
    assert!(dir.path().join("imap-mimic-data/imap-mimic.db").exists());

    assert_eq!(
        hello(bound[0].0).await,
        (
            "* OK Microsoft Exchange Server 2007 IMAP4 service is ready".to_string(),
            "* CAPABILITY IMAP4 IMAP4rev1 AUTH=NTLM AUTH=GSSAPI LOGINDISABLED STARTTLS IDLE NAMESPACE LITERAL+".to_string()
        )
    );
    assert_eq!(
        hello(bound[1].0).await,
        (
            "* OK The Microsoft Exchange IMAP4 service is ready.".to_string(),
            "* CAPABILITY IMAP4 IMAP4rev1 LOGINDISABLED STARTTLS UIDPLUS MOVE ID CHILDREN IDLE NAMESPACE LITERAL+".to_string()
        )
    );

    // SIGHUP reloads (nothing changed here, and the server says so).
    let hup = Command::new("kill")
        .args(["-HUP", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(hup.success());
    server.wait_for("SIGHUP: reloading");
    server.wait_for("reload: nothing changed");
    assert_eq!(
        hello(bound[1].0).await.0,
        "* OK The Microsoft Exchange IMAP4 service is ready."
    );
}

#[test]
fn an_unknown_key_in_the_config_file_stops_serve_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("bad.toml");
    std::fs::write(&config, "data = \"d\"\n[[listener]]\naddress = \"127.0.0.1:0\"\ntls = \"none\"\nprofil = \"exchange-2016\"\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_imap-mimic"))
        .current_dir(dir.path())
        .env("IMAP_MIMIC_LOG", "off")
        .args(["serve", "--config", "bad.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: bad.toml:5:1: unknown key `profil` in [[listener]]; expected one of: address, tls, profile\n"
    );
}
