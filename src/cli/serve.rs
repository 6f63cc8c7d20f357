//! `imap-mimic serve`: read the config file (flags override it), load profiles, open the
//! database, bind listeners, start the reload triggers (file watcher, SIGHUP), run until
//! Ctrl-C or SIGTERM, then say BYE to every session.

use super::DataArgs;
use crate::accounts;
use crate::ntlm::secret::SealingKey;
use crate::password::Cost;
use crate::profile::reload::{watch, ReloadHandle};
use crate::profile::Registry;
use crate::secret::Secret;
use crate::server::config::{plan_source, Overrides, ServeConfig, TlsFiles, DEFAULT_DATA};
use crate::server::tap::TapConfig;
use crate::server::tls::{ensure_generated, CertPaths, CertStore};
use crate::server::{ListenerSpec, Running, Services};
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
    /// Server configuration file (listeners, data, admin API, profile directories, TLS);
    /// the flags below override it.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Profile for the listeners: a name (`exchange-2016`, the default) or a path to a
    /// profile file.
    #[arg(long)]
    pub profile: Option<String>,
    /// Address to listen on (repeatable; default 127.0.0.1:1143, also opened when only
    /// `--listen-tls` is given).
    #[arg(long)]
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
    #[command(flatten)]
    pub admin: super::admin::AdminArgs,
    /// Record every session as a transcript file (test format, passwords redacted) here.
    #[arg(long)]
    pub record: Option<PathBuf>,
}

pub async fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let overrides = overrides(&args)?;
    let config = ServeConfig::load(args.config.as_deref(), &overrides)
        .map_err(|ds| anyhow::anyhow!("{}", shown(&ds)))?;
    let plan = config.plan();
    let set = plan
        .search
        .load()
        .map_err(|e| anyhow::anyhow!("profiles do not load:\n{e}"))?;
    for listener in &config.listeners {
        if set.get(&listener.profile).is_none() {
            let known: Vec<&String> = set.profiles.keys().collect();
            bail!(
                "no profile named {:?}; known profiles: {known:?}",
                listener.profile
            );
        }
    }
    let registry = Arc::new(Registry::new(set));
    let data = DataArgs {
        data: config.data.clone(),
        database: config.database.clone(),
    };
    let store = data.open().await?;
    let ntlm_key = Arc::new(data.ntlm_key()?);
    let addresses: Vec<SocketAddr> = config.listeners.iter().map(|l| l.address).collect();
    ensure_a_user(&store, &ntlm_key, &addresses).await?;
    let certs = certificates(&config)?;
    let specs: Vec<ListenerSpec> = config
        .listeners
        .iter()
        .map(|l| ListenerSpec {
            addr: l.address,
            tls: l.tls,
            profile: l.profile.clone(),
        })
        .collect();
    let source = Arc::new(plan_source(args.config.clone(), overrides));
    let reload = ReloadHandle::new(registry.clone(), source, plan).with_certificates(certs.clone());
    let _triggers = reload_triggers(&reload)?;
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
    let running = Running::start_tapped(&specs, services.clone(), tap)
        .await
        .context("cannot bind the listeners")?;
    let admin = args
        .admin
        .or_config(config.admin)
        .start(&data, &services, &running, reload.clone())
        .await?;
    tracing::info!(data = %config.data.display(), generation = reload.generation(), "imap-mimic is serving; Ctrl-C stops it");
    wait_for_signal().await;
    tracing::info!("shutting down");
    if let Some(admin) = admin {
        admin.stop().await;
    }
    running.stop(std::time::Duration::from_secs(5)).await;
    Ok(ExitCode::SUCCESS)
}

/// The file watcher and SIGHUP, feeding `reload`; they stop when the guards are dropped.
fn reload_triggers(reload: &ReloadHandle) -> anyhow::Result<Vec<watch::TaskGuard>> {
    let mut guards = Vec::new();
    match watch::spawn_watcher(reload.clone(), watch::DEBOUNCE) {
        Ok(g) => guards.push(g),
        Err(e) => tracing::warn!(error = %e, "cannot watch profile files; SIGHUP still reloads"),
    }
    #[cfg(unix)]
    guards.push(watch::spawn_sighup(reload.clone())?);
    Ok(guards)
}

fn shown(diagnostics: &[crate::profile::load::Diagnostic]) -> String {
    let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    lines.join("\n")
}

/// The flags that override the config file. `--data` counts only when it differs from its
/// default (clap cannot tell a default from the same value typed out).
fn overrides(args: &ServeArgs) -> anyhow::Result<Overrides> {
    let mut o = Overrides {
        listen: args.listen.clone(),
        listen_tls: args.listen_tls.clone(),
        database: args.data.database.clone(),
        profiles_dirs: args.profiles_dirs.clone(),
        ..Overrides::default()
    };
    if args.data.data != std::path::Path::new(DEFAULT_DATA) {
        o.data = Some(args.data.data.clone());
    }
    if let (Some(cert), Some(key)) = (&args.tls_cert, &args.tls_key) {
        o.tls = Some(TlsFiles {
            cert: cert.clone(),
            key: key.clone(),
        });
    }
    if let Some(profile) = &args.profile {
        let (name, file) = profile_name(profile)?;
        o.profile = Some(name);
        o.profile_files.extend(file);
    }
    Ok(o)
}

/// The certificate configured, or the generated one (created on first run).
fn certificates(config: &ServeConfig) -> anyhow::Result<Arc<CertStore>> {
    let paths = match &config.tls {
        Some(files) => CertPaths {
            cert: files.cert.clone(),
            key: files.key.clone(),
        },
        None => {
            let paths = CertPaths::generated_in(&config.data);
            std::fs::create_dir_all(&config.data)?;
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

/// `--profile` may name a file: its profile name, and the file to add to the search.
fn profile_name(profile: &str) -> anyhow::Result<(String, Option<PathBuf>)> {
    let looks_like_path = profile.ends_with(".toml") || profile.contains('/');
    if !looks_like_path {
        return Ok((profile.to_string(), None));
    }
    let path = PathBuf::from(profile);
    let source = crate::profile::load::Source::read(&path).map_err(|d| anyhow::anyhow!("{d}"))?;
    let parsed =
        crate::profile::load::parse(source).map_err(|ds| anyhow::anyhow!("{}", shown(&ds)))?;
    Ok((parsed.header.name, Some(path)))
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
        let created = accounts::create_user(
            store,
            Some(key),
            "demo",
            &Secret::new("demo"),
            Cost::Default,
        )
        .await;
        match created {
            // Another instance on the same database started at the same moment and won.
            Err(crate::storage::StoreError::AlreadyExists(_)) => return Ok(()),
            other => other?,
        };
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
