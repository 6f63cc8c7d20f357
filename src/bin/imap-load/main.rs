//! `imap-load`: the project's IMAP load generator. It drives any IMAP server the same way
//! (one command at a time per connection, no pipelining), so imap-mimic and other servers
//! can be measured side by side.

mod client;
mod core;
mod idle;
mod message;
mod throughput;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "imap-load",
    about = "IMAP load generator for imap-mimic's benchmarks"
)]
struct Cli {
    /// Server address (plaintext IMAP; the server must accept LOGIN without TLS). Repeat
    /// it to spread `throughput` clients over several instances.
    #[arg(long, default_values = ["127.0.0.1:1143"])]
    addr: Vec<String>,
    #[arg(long, default_value = "bench")]
    user: String,
    #[arg(long, default_value = "bench")]
    password: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Append COUNT messages, then time SELECT, FETCH, SEARCH and STORE over them.
    Core {
        #[arg(long, default_value_t = 100_000)]
        count: u64,
        /// Approximate message size in bytes.
        #[arg(long, default_value_t = 6000)]
        size: usize,
        #[arg(long, default_value = "Bench")]
        mailbox: String,
    },
    /// CLIENTS connections (round-robin over every --addr) each APPEND APPENDS messages at
    /// once, then each FETCHes the whole mailbox's metadata at once.
    Throughput {
        #[arg(long, default_value_t = 8)]
        clients: usize,
        #[arg(long, default_value_t = 500)]
        appends: u64,
        #[arg(long, default_value_t = 6000)]
        size: usize,
        #[arg(long, default_value = "Throughput")]
        mailbox: String,
    },
    /// N connections IDLE on one mailbox; time until all see a new message.
    Idle {
        #[arg(long, default_value_t = 100)]
        clients: usize,
    },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        match &cli.command {
            Command::Core {
                count,
                size,
                mailbox,
            } => {
                let args = core::Args {
                    addr: &cli.addr[0],
                    user: &cli.user,
                    password: &cli.password,
                    count: *count,
                    size: *size,
                    mailbox,
                };
                core::run(args).await
            }
            Command::Throughput {
                clients,
                appends,
                size,
                mailbox,
            } => {
                let args = throughput::Args {
                    addrs: cli.addr.clone(),
                    user: cli.user.clone(),
                    password: cli.password.clone(),
                    clients: *clients,
                    appends_each: *appends,
                    size: *size,
                    mailbox: mailbox.clone(),
                };
                throughput::run(args).await
            }
            Command::Idle { clients } => {
                idle::run(&cli.addr[0], &cli.user, &cli.password, *clients).await
            }
        }
    })
}
