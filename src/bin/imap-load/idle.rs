//! IDLE fan-out: N connections idle on one mailbox while another appends; the time until
//! every idler has seen the new EXISTS.

use crate::client::Conn;
use crate::message::message;
use std::time::{Duration, Instant};

pub async fn run(addr: &str, user: &str, password: &str, clients: usize) -> anyhow::Result<()> {
    let mut setup = Conn::login(addr, user, password).await?;
    let _ = setup.ok("CREATE Idle").await;
    let mut idlers = Vec::with_capacity(clients);
    for _ in 0..clients {
        let mut c = Conn::login(addr, user, password).await?;
        c.ok("SELECT Idle").await?;
        c.idle().await?;
        idlers.push(c);
    }
    let start = Instant::now();
    setup
        .command("APPEND Idle", Some(&message(0, 2000)))
        .await?;
    let mut waits = Vec::with_capacity(clients);
    for mut c in idlers {
        waits.push(tokio::spawn(async move {
            c.wait_for(b"EXISTS", Duration::from_secs(60)).await?;
            c.send_line("DONE").await?;
            Ok::<Duration, anyhow::Error>(start.elapsed())
        }));
    }
    let mut worst = Duration::ZERO;
    for w in waits {
        worst = worst.max(w.await??);
    }
    println!(
        "| IDLE fan-out | {clients} idlers | every idler saw EXISTS after {:.1} ms |",
        worst.as_secs_f64() * 1000.0
    );
    Ok(())
}
