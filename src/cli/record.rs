//! `imap-mimic record`: the recording proxy (see `transcript::proxy`).

use super::client_tls;
use crate::transcript::proxy::{self, ProxyConfig};
use anyhow::Context;
use clap::Args;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Debug, Args)]
pub struct RecordArgs {
    /// The server to relay to, `HOST:PORT`.
    #[arg(long)]
    pub upstream: String,
    /// Speak TLS to the upstream from the first byte (port 993 style).
    #[arg(long)]
    pub tls: bool,
    /// With --tls: trust this PEM certificate (else give --insecure).
    #[arg(long)]
    pub ca: Option<PathBuf>,
    /// With --tls: accept any upstream certificate.
    #[arg(long)]
    pub insecure: bool,
    /// Where clients connect (plaintext).
    #[arg(long, default_value = "127.0.0.1:1143")]
    pub listen: SocketAddr,
    /// Directory of the transcripts (one file per session).
    #[arg(long)]
    pub out: PathBuf,
    /// The `profile:` header of the transcripts: the profile replays use by default.
    #[arg(long, default_value = "exchange-2016")]
    pub profile: String,
}

pub async fn run(args: RecordArgs) -> anyhow::Result<ExitCode> {
    let tls = match (
        args.tls,
        client_tls::config(args.ca.as_deref(), args.insecure)?,
    ) {
        (false, _) => None,
        (true, None) => anyhow::bail!("--tls needs --ca FILE or --insecure"),
        (true, Some(config)) => {
            let host = args
                .upstream
                .rsplit_once(':')
                .map_or(&*args.upstream, |(h, _)| h);
            let name = rustls_pki_types::ServerName::try_from(host.to_string())
                .with_context(|| format!("{host:?} is not a TLS server name"))?;
            Some((config, name))
        }
    };
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let config = Arc::new(ProxyConfig {
        upstream: args.upstream.clone(),
        tls,
        out: args.out.clone(),
        profile: args.profile.clone(),
    });
    println!(
        "Recording sessions relayed from {} to {} into {}; Ctrl-C stops (open sessions are written marked incomplete).",
        listener.local_addr()?,
        args.upstream,
        args.out.display()
    );
    let (stop, shutdown) = tokio::sync::watch::channel(false);
    let proxy = tokio::spawn(proxy::run(listener, config, shutdown));
    super::serve::wait_for_signal().await;
    let _ = stop.send(true);
    let _ = proxy.await;
    Ok(ExitCode::SUCCESS)
}
