//! The core benchmark (issue 2): append N messages over one connection, then time SELECT,
//! the flags FETCH, the ENVELOPE FETCH, header and body SEARCH, and a STORE over all.

use crate::client::Conn;
use crate::message::message;
use std::time::{Duration, Instant};

pub struct Args<'a> {
    pub addr: &'a str,
    pub user: &'a str,
    pub password: &'a str,
    pub count: u64,
    pub size: usize,
    pub mailbox: &'a str,
}

pub async fn run(a: Args<'_>) -> anyhow::Result<()> {
    let mut c = Conn::login(a.addr, a.user, a.password).await?;
    let _ = c.ok(&format!("CREATE {}", a.mailbox)).await;
    let start = Instant::now();
    let mut bytes = 0usize;
    for i in 0..a.count {
        let m = message(i, a.size);
        bytes += m.len();
        c.command(&format!("APPEND {}", a.mailbox), Some(&m))
            .await?;
        if (i + 1) % 10_000 == 0 {
            eprintln!(
                "  appended {} ({:.0}/s)",
                i + 1,
                (i + 1) as f64 / start.elapsed().as_secs_f64()
            );
        }
    }
    let took = start.elapsed();
    report(
        "APPEND",
        took,
        &format!(
            "{} messages, {:.0} msg/s, avg {} bytes",
            a.count,
            a.count as f64 / took.as_secs_f64(),
            bytes / a.count.max(1) as usize
        ),
    );
    let mut c = Conn::login(a.addr, a.user, a.password).await?;
    timed(&mut c, "SELECT", &format!("SELECT {}", a.mailbox)).await?;
    timed(
        &mut c,
        "FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE)",
        "FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE)",
    )
    .await?;
    timed(&mut c, "FETCH 1:* ENVELOPE", "FETCH 1:* ENVELOPE").await?;
    timed(
        &mut c,
        "UID SEARCH header (SUBJECT)",
        &format!("UID SEARCH SUBJECT \"#{}\"", a.count.saturating_sub(1)),
    )
    .await?;
    timed(
        &mut c,
        "UID SEARCH body (BODY)",
        "UID SEARCH BODY \"no-such-word\"",
    )
    .await?;
    timed(
        &mut c,
        "STORE 1:* +FLAGS (\\Seen)",
        "STORE 1:* +FLAGS.SILENT (\\Seen)",
    )
    .await?;
    Ok(())
}

async fn timed(c: &mut Conn, name: &str, command: &str) -> anyhow::Result<Duration> {
    let before = c.received;
    let start = Instant::now();
    let lines = c.ok(command).await?;
    let took = start.elapsed();
    report(
        name,
        took,
        &format!("{} lines, {} bytes", lines.len(), c.received - before),
    );
    Ok(took)
}

fn report(name: &str, took: Duration, detail: &str) {
    println!(
        "| {name} | {:.1} ms | {detail} |",
        took.as_secs_f64() * 1000.0
    );
}
