//! APPEND and FETCH throughput with many clients spread over one or more server addresses
//! (several imap-mimic instances on one PostgreSQL database, or one instance).

use crate::client::Conn;
use crate::message::message;
use std::time::Instant;

pub struct Args {
    /// Clients connect round-robin to these addresses.
    pub addrs: Vec<String>,
    pub user: String,
    pub password: String,
    pub clients: usize,
    pub appends_each: u64,
    pub size: usize,
    pub mailbox: String,
}

pub async fn run(a: Args) -> anyhow::Result<()> {
    anyhow::ensure!(!a.addrs.is_empty(), "give at least one --addr");
    let mut setup = Conn::login(&a.addrs[0], &a.user, &a.password).await?;
    let _ = setup.ok(&format!("CREATE {}", a.mailbox)).await;
    let total = a.clients as u64 * a.appends_each;
    let took = appends(&a).await?;
    println!(
        "| APPEND | {} clients on {} address(es) | {total} messages in {:.2} s | {:.0} msg/s |",
        a.clients,
        a.addrs.len(),
        took,
        total as f64 / took
    );
    let (took, bytes) = fetches(&a).await?;
    println!(
        "| FETCH 1:* (UID FLAGS RFC822.SIZE ENVELOPE) | {} clients | {} messages in {:.2} s | {:.0} msg/s, {:.1} MB/s |",
        a.clients,
        total * a.clients as u64,
        took,
        (total * a.clients as u64) as f64 / took,
        bytes as f64 / took / 1e6
    );
    Ok(())
}

/// Every client appends its share at once; returns the wall time in seconds.
async fn appends(a: &Args) -> anyhow::Result<f64> {
    let mut tasks = tokio::task::JoinSet::new();
    let start = Instant::now();
    for client in 0..a.clients {
        let addr = a.addrs[client % a.addrs.len()].clone();
        let (user, password, mailbox) = (a.user.clone(), a.password.clone(), a.mailbox.clone());
        let (each, size) = (a.appends_each, a.size);
        tasks.spawn(async move {
            let mut c = Conn::login(&addr, &user, &password).await?;
            for n in 0..each {
                let m = message(client as u64 * each + n, size);
                c.command(&format!("APPEND {mailbox}"), Some(&m)).await?;
            }
            anyhow::Ok(())
        });
    }
    while let Some(done) = tasks.join_next().await {
        done??;
    }
    Ok(start.elapsed().as_secs_f64())
}

/// Every client fetches the whole mailbox's metadata at once; returns seconds and bytes.
async fn fetches(a: &Args) -> anyhow::Result<(f64, u64)> {
    let mut tasks = tokio::task::JoinSet::new();
    let mut conns = Vec::new();
    for client in 0..a.clients {
        let addr = &a.addrs[client % a.addrs.len()];
        let mut c = Conn::login(addr, &a.user, &a.password).await?;
        c.ok(&format!("EXAMINE {}", a.mailbox)).await?;
        conns.push(c);
    }
    let start = Instant::now();
    for mut c in conns {
        tasks.spawn(async move {
            let before = c.received;
            c.ok("FETCH 1:* (UID FLAGS RFC822.SIZE ENVELOPE)").await?;
            anyhow::Ok(c.received - before)
        });
    }
    let mut bytes = 0;
    while let Some(done) = tasks.join_next().await {
        bytes += done??;
    }
    Ok((start.elapsed().as_secs_f64(), bytes))
}
