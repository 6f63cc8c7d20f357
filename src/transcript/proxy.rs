//! The recording proxy (`imap-mimic record`): relays each client to an upstream IMAP
//! server (any server: a real Exchange, or imap-mimic itself) and writes the session as a
//! transcript, exactly like `serve --record` does.
//!
//! A session that ends abnormally is written with an `incomplete:` header saying why: the
//! upstream closed or reset the connection while a command was waiting for its response,
//! could not be reached, or the proxy was shut down mid-session. Files appear atomically
//! (`record::write_file`), so there is never a half-written transcript without a mark.

use super::record::{stem, write_file, Recorder};
use std::path::PathBuf;
use std::sync::Arc;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;

/// Where to relay to and where to write.
pub struct ProxyConfig {
    /// `HOST:PORT` of the upstream server.
    pub upstream: String,
    /// TLS from the first byte to the upstream (port 993 style), with the name to verify.
    pub tls: Option<(
        Arc<rustls::ClientConfig>,
        rustls_pki_types::ServerName<'static>,
    )>,
    /// Directory of the transcripts.
    pub out: PathBuf,
    /// What the `profile:` header says (the profile to replay against by default).
    pub profile: String,
}

trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// Accepts clients until `shutdown` turns true, then lets every session write its file.
pub async fn run(listener: TcpListener, config: Arc<ProxyConfig>, shutdown: watch::Receiver<bool>) {
    let mut sessions = JoinSet::new();
    let mut stop = shutdown.clone();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((client, peer)) => {
                    let config = config.clone();
                    let shutdown = shutdown.clone();
                    sessions.spawn(async move {
                        match session(client, peer, &config, shutdown).await {
                            Ok(path) => tracing::info!(path = %path.display(), "session recorded"),
                            Err(e) => tracing::warn!(error = %e, "cannot write the transcript"),
                        }
                    });
                }
                Err(e) => tracing::warn!(error = %e, "accept failed"),
            },
            _ = stop.changed() => break,
        }
    }
    while sessions.join_next().await.is_some() {}
}

async fn connect_upstream(config: &ProxyConfig) -> std::io::Result<Box<dyn Io>> {
    let tcp = TcpStream::connect(&config.upstream).await?;
    match &config.tls {
        None => Ok(Box::new(tcp)),
        Some((client, name)) => {
            let tls = tokio_rustls::TlsConnector::from(client.clone())
                .connect(name.clone(), tcp)
                .await?;
            Ok(Box::new(tls))
        }
    }
}

/// Relays one client; returns the transcript's path.
pub async fn session(
    mut client: TcpStream,
    peer: std::net::SocketAddr,
    config: &ProxyConfig,
    mut shutdown: watch::Receiver<bool>,
) -> std::io::Result<PathBuf> {
    let comments = vec![
        format!(
            "Recorded by imap-mimic {} (record proxy) at {}, client {peer}, upstream {}{}.",
            env!("CARGO_PKG_VERSION"),
            chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ"),
            config.upstream,
            if config.tls.is_some() { " (TLS)" } else { "" }
        ),
        "Replay: imap-mimic replay THIS_FILE --profile NAME".to_string(),
    ];
    let mut rec = Recorder::new(&config.profile, config.tls.is_some(), comments);
    let id = rand::random::<i64>() & i64::MAX;
    let incomplete = match connect_upstream(config).await {
        Err(e) => Some(format!(
            "cannot reach the upstream {}: {e}",
            config.upstream
        )),
        Ok(mut upstream) => {
            relay(&mut client, &mut upstream, &mut rec, config, &mut shutdown).await
        }
    };
    let _ = client.shutdown().await;
    let text = rec.finish(incomplete.as_deref());
    write_file(&config.out, &stem(id), &text)
}

/// Copies bytes both ways until one side ends; why the recording is incomplete, if it is.
async fn relay(
    client: &mut TcpStream,
    upstream: &mut Box<dyn Io>,
    rec: &mut Recorder,
    config: &ProxyConfig,
    shutdown: &mut watch::Receiver<bool>,
) -> Option<String> {
    let mut from_client = vec![0u8; 16384];
    let mut from_upstream = vec![0u8; 16384];
    loop {
        tokio::select! {
            read = client.read(&mut from_client) => match read {
                Ok(0) | Err(_) => return None,
                Ok(n) => {
                    rec.client(&from_client[..n]);
                    if let Err(e) = write_flush(upstream, &from_client[..n]).await {
                        return Some(upstream_gone(rec, config, &e.to_string()));
                    }
                }
            },
            read = upstream.read(&mut from_upstream) => match read {
                Ok(0) => {
                    if rec.outstanding().is_some() {
                        return Some(upstream_gone(rec, config, "closed the connection"));
                    }
                    rec.closed();
                    return None;
                }
                Err(e) => return Some(upstream_gone(rec, config, &e.to_string())),
                Ok(n) => {
                    rec.server(&from_upstream[..n]);
                    if client.write_all(&from_upstream[..n]).await.is_err() {
                        return None;
                    }
                    // The proxy cannot see into TLS it does not terminate.
                    if rec.starttls_accepted() {
                        return Some("STARTTLS cannot be recorded through the proxy; relay to \
                                     the upstream's implicit-TLS port with --tls"
                            .to_string());
                    }
                }
            },
            _ = shutdown.changed() => {
                return Some("the proxy was shut down during the session".to_string());
            }
        }
    }
}

fn upstream_gone(rec: &Recorder, config: &ProxyConfig, what: &str) -> String {
    match rec.outstanding() {
        Some(cmd) => format!(
            "the upstream {} {what} while `{cmd}` waited for its response",
            config.upstream
        ),
        None => format!("the upstream {} {what}", config.upstream),
    }
}

async fn write_flush(io: &mut Box<dyn Io>, bytes: &[u8]) -> std::io::Result<()> {
    io.write_all(bytes).await?;
    io.flush().await
}
