//! Overhead of hooks (ignored by default): NOOP and FETCH round trips against a profile
//! with a trivial `before_command` hook, and against the same profile without hooks.
//!
//! ```text
//! cargo test --release --test hooks_bench -- --ignored --nocapture
//! ```
//!
//! `IMAP_MIMIC_BENCH_N` sets the round trips per command (default 5,000). Target: under
//! 10 % slower with the hook. `bench_one_hook_call` times the engine call alone, which is
//! steadier than round trips on a busy machine.

mod common;

use common::Client;
use imap_mimic::testkit::TestServer;
use std::time::Instant;

const TRIVIAL: &str = "fn before_command(ctx) { proceed() }\n";

fn profile(name: &str, hooks: &str) -> String {
    format!(
        "schema = 1\nname = \"{name}\"\nemulates = \"bench\"\nextends = \"exchange-2016\"\n\
         [auth]\nlogin_type = \"PlainTextLogin\"\n{hooks}"
    )
}

async fn server(hooked: bool) -> (TestServer, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("trivial.rhai"), TRIVIAL).unwrap();
    let hooks = match hooked {
        true => "[hooks]\nscripts = [\"trivial.rhai\"]\n",
        false => "",
    };
    std::fs::write(dir.path().join("bench.toml"), profile("bench", hooks)).unwrap();
    let server = TestServer::start_in("bench", dir.path()).await.unwrap();
    server.add_user("alice", "secret").await.unwrap();
    (server, dir)
}

async fn session(server: &TestServer) -> Client {
    let mut c = Client::plain(server.addr).await;
    c.line().await.unwrap();
    c.send("a LOGIN alice secret").await;
    c.until_tagged("a").await;
    for i in 0..10 {
        let msg = format!("Subject: {i}\r\n\r\nbody {i}\r\n");
        c.send(&format!("p{i} APPEND INBOX {{{}+}}", msg.len()))
            .await;
        c.send(&msg).await;
        c.until_tagged(&format!("p{i}")).await;
    }
    c.send("s SELECT INBOX").await;
    c.until_tagged("s").await;
    c
}

/// Round trips per second of `command`.
async fn rate(c: &mut Client, command: &str, n: usize) -> f64 {
    let start = Instant::now();
    for i in 0..n {
        let tag = format!("x{i}");
        c.send(&format!("{tag} {command}")).await;
        c.until_tagged(&tag).await;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run in release mode with --ignored --nocapture"]
async fn bench_trivial_before_command_hook() {
    let n: usize = std::env::var("IMAP_MIMIC_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000);
    let (plain, _d1) = server(false).await;
    let (hooked, _d2) = server(true).await;
    let mut p = session(&plain).await;
    let mut h = session(&hooked).await;
    for command in ["NOOP", "FETCH 1:10 (UID FLAGS)"] {
        // Best of three alternating runs, to even out the noise of a shared machine.
        let (mut best_p, mut best_h) = (0f64, 0f64);
        for _ in 0..3 {
            best_p = best_p.max(rate(&mut p, command, n).await);
            best_h = best_h.max(rate(&mut h, command, n).await);
        }
        let overhead = (best_p / best_h - 1.0) * 100.0;
        println!(
            "{command:<24} without hooks {best_p:>8.0}/s  with a trivial hook {best_h:>8.0}/s  overhead {overhead:>5.1} %"
        );
    }
}

/// The cost of one `before_command` call into the engine, without a server.
#[test]
#[ignore = "benchmark: run in release mode with --ignored --nocapture"]
fn bench_one_hook_call() {
    use imap_mimic::hooks::{Hooks, Point};
    use imap_mimic::profile::model;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("trivial.rhai"), TRIVIAL).unwrap();
    let config = model::Hooks {
        scripts: vec!["trivial.rhai".to_string()],
        on_error: model::OnError::Continue,
        seed: 0,
    };
    let hooks = Hooks::load(&config, Some(dir.path())).unwrap().unwrap();
    let session = hooks.new_session();
    let n = 100_000;
    let start = Instant::now();
    for _ in 0..n {
        let mut ctx = rhai::Map::new();
        for key in [
            "user", "peer", "profile", "state", "mailbox", "tag", "command",
        ] {
            ctx.insert(key.into(), "some text".into());
        }
        let state = hooks.call_state(&session, Some("alice"));
        hooks.call(Point::BeforeCommand, ctx, &state).unwrap();
    }
    let per_call = start.elapsed().as_secs_f64() / n as f64 * 1e6;
    println!("one trivial before_command call: {per_call:.2} µs");
}
