//! `imap-mimic serve`: load profiles, open the database, bind listeners, run until Ctrl-C
//! or SIGTERM, then say BYE to every session.

use super::DataArgs;
use crate::accounts;
use crate::ntlm::secret::SealingKey;
use crate::password::Cost;
use crate::profile::load::Search;
use crate::profile::Registry;
use crate::secret::Secret;
use crate::server::tap::TapConfig;
use crate::server::tls::{ensure_generated, CertPaths, CertStore};
use crate::server::{ListenerSpec, Running, Services, TlsMode};
use anyhow::{bail, Context};
use clap::Args;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Profile for the listeners: a name (`exchange-2016`) or a path to a profile file.
    #[arg(long, default_value = "exchange-2016")]
    pub profile: String,
    /// Address to listen on (repeatable).
    #[arg(long, default_values = ["127.0.0.1:1143"])]
    pub listen: Vec<SocketAddr>,
    /// Address for implicit TLS (port 993 style; repeatable).
    #[arg(long = "listen-tls")]
    pub listen_tls: Vec<SocketAddr>,
    /// Extra directories of profile files (`./profiles` is read when it exists).
    #[arg(long = "profiles-dir")]
    pub profiles_dirs: Vec<PathBuf>,
    /// PEM certificate chain; without it a self-signed certificate is generated into the
    /// data directory on first run.
    #[arg(long, requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// PEM private key for `--tls-cert`.
    #[arg(long, requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Record every session as a transcript file (test format, passwords redacted) here.
    #[arg(long)]
    pub record: Option<PathBuf>,
}

pub async fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let (search, profile_name) = profile_search(&args)?;
    let set = search
        .load()
        .map_err(|e| anyhow::anyhow!("profiles do not load:\n{e}"))?;
    if set.get(&profile_name).is_none() {
        let known: Vec<&String> = set.profiles.keys().collect();
        bail!("no profile named {profile_name:?}; known profiles: {known:?}");
    }
    let registry = Arc::new(Registry::new(set));
    let store = args.data.open().await?;
    let ntlm_key = Arc::new(args.data.ntlm_key()?);
    ensure_a_user(&store, &ntlm_key, &args.listen).await?;
    let certs = certificates(&args)?;
    let listener = |addr, tls| ListenerSpec {
        addr,
        tls,
        profile: profile_name.clone(),
    };
    let mut specs: Vec<ListenerSpec> = args
        .listen
        .iter()
        .map(|&a| listener(a, TlsMode::Starttls))
        .collect();
    specs.extend(
        args.listen_tls
            .iter()
            .map(|&a| listener(a, TlsMode::Implicit)),
    );
    let services = Services {
        store,
        registry,
        tls: Some(certs.acceptor()),
        ntlm_key: Some(ntlm_key),
    };
    let tap = args
        .record
        .clone()
        .map(|record_dir| TapConfig { record_dir });
    let running = Running::start_tapped(&specs, services, tap)
        .await
        .context("cannot bind the listeners")?;
    tracing::info!(profile = %profile_name, data = %args.data.data.display(), "imap-mimic is serving; Ctrl-C stops it");
    wait_for_signal().await;
    tracing::info!("shutting down");
    running.stop(std::time::Duration::from_secs(5)).await;
    Ok(ExitCode::SUCCESS)
}

/// The configured certificate, or the generated one (created on first run).
fn certificates(args: &ServeArgs) -> anyhow::Result<Arc<CertStore>> {
    let paths = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => CertPaths {
            cert: cert.clone(),
            key: key.clone(),
        },
        _ => {
            let paths = CertPaths::generated_in(&args.data.data);
            std::fs::create_dir_all(&args.data.data)?;
            if ensure_generated(&paths)? {
                println!(
                    "Generated a self-signed TLS certificate: {}",
                    paths.cert.display()
                );
            }
            paths
        }
    };
    let store = CertStore::open(paths)?;
    println!(
        "TLS certificate SHA-256 fingerprint: {}",
        store.fingerprint()
    );
    Ok(store)
}

/// The profile search path and the name to serve: `--profile` may name a file.
fn profile_search(args: &ServeArgs) -> anyhow::Result<(Search, String)> {
    let mut search = Search::default();
    if std::path::Path::new("profiles").is_dir() {
        search.dirs.push(PathBuf::from("profiles"));
    }
    search.dirs.extend(args.profiles_dirs.iter().cloned());
    let looks_like_path = args.profile.ends_with(".toml") || args.profile.contains('/');
    if !looks_like_path {
        return Ok((search, args.profile.clone()));
    }
    let path = PathBuf::from(&args.profile);
    let source = crate::profile::load::Source::read(&path).map_err(|d| anyhow::anyhow!("{d}"))?;
    let parsed = crate::profile::load::parse(source).map_err(|ds| {
        let lines: Vec<String> = ds.iter().map(ToString::to_string).collect();
        anyhow::anyhow!("{}", lines.join("\n"))
    })?;
    search.files.push(path);
    Ok((search, parsed.header.name))
}

/// With no users and only loopback listeners, creates `demo`/`demo` so a first run works.
async fn ensure_a_user(
    store: &crate::storage::Store,
    key: &SealingKey,
    listen: &[SocketAddr],
) -> anyhow::Result<()> {
    if !store.list_users().await?.is_empty() {
        return Ok(());
    }
    if listen.iter().all(|a| a.ip().is_loopback()) {
        accounts::create_user(
            store,
            Some(key),
            "demo",
            &Secret::new("demo"),
            Cost::Default,
        )
        .await?;
        println!(
            "No users yet: created user `demo` with password `demo` (listening on loopback only)."
        );
    } else {
        println!("No users yet. Add one with: imap-mimic user add NAME");
    }
    Ok(())
}

pub(super) async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = match signal(SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => return std::future::pending().await,
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}
