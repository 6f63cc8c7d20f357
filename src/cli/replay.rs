//! `imap-mimic replay`: plays transcripts against a server and prints every difference as
//! a unified diff (exit 1 when there is any), or with `--serve` plays a transcript's server
//! side to a connecting client.

use super::client_tls;
use crate::profile::load::Source;
use crate::testkit::TestServer;
use crate::transcript::replay::{replay, Options};
use crate::transcript::run::Target;
use crate::transcript::serve::{serve, ServeOptions};
use crate::transcript::Transcript;
use anyhow::Context;
use clap::Args;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// Transcript files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Replay against a fresh in-process server running this profile (a name or a file);
    /// the default is each transcript's `profile:` header.
    #[arg(long, conflicts_with = "target")]
    pub profile: Option<String>,
    /// Replay against a running server (`HOST:PORT`, its plaintext listener).
    #[arg(long)]
    pub target: Option<SocketAddr>,
    /// With --target: its implicit-TLS listener, for `connect: implicit` transcripts.
    #[arg(long, requires = "target")]
    pub target_tls: Option<SocketAddr>,
    /// With --target: trust this PEM certificate for TLS.
    #[arg(long)]
    pub ca: Option<PathBuf>,
    /// With --target: accept any TLS certificate.
    #[arg(long)]
    pub insecure: bool,
    /// The password `${password}` stands for (with --profile a random one is used and the
    /// transcript's users are created with it).
    #[arg(long)]
    pub password: Option<String>,
    /// Extra directories of profile files (`./profiles` is read when it exists).
    #[arg(long = "profiles-dir")]
    pub profiles_dirs: Vec<PathBuf>,
    /// Milliseconds to wait for a server line that is due.
    #[arg(long, default_value_t = 3000)]
    pub wait_ms: u64,
    /// Play the server side of the (single) transcript to clients connecting to --listen.
    #[arg(long, requires = "listen")]
    pub serve: bool,
    /// With --serve: where clients connect.
    #[arg(long)]
    pub listen: Option<SocketAddr>,
}

pub async fn run(args: ReplayArgs) -> anyhow::Result<ExitCode> {
    if args.serve {
        return serve_side(&args).await;
    }
    let mut failed = false;
    for file in &args.files {
        let t = match read(file) {
            Ok(t) => t,
            Err(e) => {
                println!("error: {e:#}");
                failed = true;
                continue;
            }
        };
        if let Some(why) = &t.incomplete {
            println!("note: {} is marked incomplete: {why}", file.display());
        }
        match replay_one(&args, &t).await {
            Ok(true) => println!("ok: {}", file.display()),
            Ok(false) => failed = true,
            Err(e) => {
                println!("error: {e:#}");
                failed = true;
            }
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn read(file: &Path) -> anyhow::Result<Transcript> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    Ok(Transcript::parse(&file.display().to_string(), &text)?)
}

/// Replays one transcript; true when the server sent exactly what was recorded.
async fn replay_one(args: &ReplayArgs, t: &Transcript) -> anyhow::Result<bool> {
    let wait = Duration::from_millis(args.wait_ms);
    if let Some(plain) = args.target {
        let needs_password = t.users.iter().any(|(_, pw)| pw.is_empty());
        anyhow::ensure!(
            args.password.is_some() || !needs_password,
            "{}: the transcript's users have no password here: give --password",
            t.name
        );
        let password = args.password.clone().unwrap_or_default();
        let target = Target {
            plain,
            implicit: args.target_tls,
            tls: client_tls::config(args.ca.as_deref(), args.insecure)?,
        };
        return report(t, &target, &plain.to_string(), Options { wait, password }).await;
    }
    let profile = args.profile.clone().unwrap_or_else(|| t.profile.clone());
    let (sources, name) = profile_sources(args, &profile)?;
    let server = TestServer::start_from(&name, sources, None).await?;
    let password = args
        .password
        .clone()
        .unwrap_or_else(|| format!("replay-{:x}", rand::random::<u64>()));
    for (user, own) in &t.users {
        let pw = if own.is_empty() { &password } else { own };
        server.add_user(user, pw).await?;
    }
    let label = format!("{} ({name})", server.addr);
    let result = report(t, &server.target(), &label, Options { wait, password }).await;
    server.stop().await;
    result
}

async fn report(
    t: &Transcript,
    target: &Target,
    label: &str,
    opts: Options,
) -> anyhow::Result<bool> {
    let report = replay(t, target, &opts).await?;
    print!("{}", report.unified(&t.name, label));
    Ok(report.differences.is_empty())
}

/// Built-in profiles, `./profiles`, `--profiles-dir`, and `profile` itself when it is a
/// file; and the profile's name.
fn profile_sources(args: &ReplayArgs, profile: &str) -> anyhow::Result<(Vec<Source>, String)> {
    let mut dirs = args.profiles_dirs.clone();
    if Path::new("profiles").is_dir() {
        dirs.insert(0, PathBuf::from("profiles"));
    }
    let mut sources = Source::builtin();
    for dir in &dirs {
        sources.extend(Source::read_dir(dir).map_err(|d| anyhow::anyhow!("{d}"))?);
    }
    if !(profile.ends_with(".toml") || profile.contains('/')) {
        return Ok((sources, profile.to_string()));
    }
    let source = Source::read(Path::new(profile)).map_err(|d| anyhow::anyhow!("{d}"))?;
    let parsed = crate::profile::load::parse(source.clone()).map_err(|ds| {
        let lines: Vec<String> = ds.iter().map(ToString::to_string).collect();
        anyhow::anyhow!("{}", lines.join("\n"))
    })?;
    sources.push(source);
    Ok((sources, parsed.header.name))
}

/// `--serve`: one transcript's server side, to one client session (its connections).
async fn serve_side(args: &ReplayArgs) -> anyhow::Result<ExitCode> {
    let [file] = args.files.as_slice() else {
        anyhow::bail!("--serve plays one transcript; {} given", args.files.len());
    };
    let t = read(file)?;
    let listen = args.listen.context("--serve needs --listen")?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let dir = std::env::temp_dir().join(format!("imap-mimic-serve-{}", rand::random::<u64>()));
    let paths = crate::server::tls::CertPaths::generated_in(&dir);
    std::fs::create_dir_all(&dir)?;
    crate::server::tls::ensure_generated(&paths)?;
    let certs = crate::server::tls::CertStore::open(paths.clone())?;
    println!(
        "Serving {} on {}; TLS certificate {}",
        file.display(),
        listener.local_addr()?,
        paths.cert.display()
    );
    let opts = ServeOptions {
        tls: Some(certs.acceptor()),
        wait: Duration::from_millis(args.wait_ms.max(30_000)),
    };
    let mismatches = serve(&t, &listener, &opts).await;
    let _ = std::fs::remove_dir_all(&dir);
    let mismatches = mismatches?;
    for m in &mismatches {
        println!("{}: {m}", file.display());
    }
    if mismatches.is_empty() {
        println!("ok: the client sent every recorded line");
        return Ok(ExitCode::SUCCESS);
    }
    Ok(ExitCode::FAILURE)
}
