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
    /// Trust this PEM certificate for the upstream's TLS (--tls or STARTTLS).
    #[arg(long)]
    pub ca: Option<PathBuf>,
    /// Accept any upstream certificate (--tls or STARTTLS).
    #[arg(long)]
    pub insecure: bool,
    /// Where the proxy's own certificate for clients' STARTTLS is (generated there on first
    /// use, like `serve`'s).
    #[arg(long, default_value = "imap-mimic-data")]
    pub cert_dir: PathBuf,
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
    let tls = match client_tls::config(args.ca.as_deref(), args.insecure)? {
        None if args.tls => anyhow::bail!("--tls needs --ca FILE or --insecure"),
        None => None,
        Some(config) => Some((config, server_name(&args.upstream)?)),
    };
    let starttls = match &tls {
        Some(_) => Some(client_certificate(&args.cert_dir)?),
        None => None,
    };
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let config = Arc::new(ProxyConfig {
        upstream: args.upstream.clone(),
        tls,
        implicit_tls: args.tls,
        starttls,
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

/// The name to verify the upstream's certificate against: HOST of HOST:PORT.
fn server_name(upstream: &str) -> anyhow::Result<rustls_pki_types::ServerName<'static>> {
    let host = upstream.rsplit_once(':').map_or(upstream, |(h, _)| h);
    rustls_pki_types::ServerName::try_from(host.to_string())
        .with_context(|| format!("{host:?} is not a TLS server name"))
}

/// The certificate clients see after STARTTLS (generated on first use).
fn client_certificate(dir: &std::path::Path) -> anyhow::Result<tokio_rustls::TlsAcceptor> {
    use crate::server::tls::{ensure_generated, CertPaths, CertStore};
    let paths = CertPaths::generated_in(dir);
    std::fs::create_dir_all(dir)?;
    ensure_generated(&paths)?;
    let store = CertStore::open(paths.clone())?;
    println!(
        "STARTTLS certificate for clients: {} (SHA-256 {})",
        paths.cert.display(),
        store.fingerprint()
    );
    Ok(store.acceptor())
}
