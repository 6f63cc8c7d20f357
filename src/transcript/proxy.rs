//! The recording proxy (`imap-mimic record`): relays each client to an upstream IMAP
//! server (any server: a real Exchange, or imap-mimic itself) and writes the session as a
//! transcript, exactly like `serve --record` does.
//!
//! STARTTLS is recorded by terminating TLS on both sides: once the upstream accepts it, the
//! proxy runs the handshake with the upstream (as a client) and with the client (with its
//! own certificate), and the transcript gets a `tls:` line.
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
    /// How to verify the upstream's TLS, and the name to ask for: used from the first byte
    /// when `implicit_tls`, else after the upstream accepts STARTTLS.
    pub tls: Option<(
        Arc<rustls::ClientConfig>,
        rustls_pki_types::ServerName<'static>,
    )>,
    /// TLS from the first byte to the upstream (port 993 style).
    pub implicit_tls: bool,
    /// The proxy's certificate for a client's STARTTLS; without it (or without `tls`) a
    /// session that starts TLS is written as incomplete.
    pub starttls: Option<tokio_rustls::TlsAcceptor>,
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

/// One side of the relay: plaintext until a STARTTLS upgrade.
enum Side {
    Plain(TcpStream),
    Tls(Box<dyn Io>),
    Gone,
}

impl Side {
    async fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Side::Plain(s) => s.read(buf).await,
            Side::Tls(s) => s.read(buf).await,
            Side::Gone => Ok(0),
        }
    }

    async fn write_flush(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        match self {
            Side::Plain(s) => s.write_all(bytes).await,
            Side::Tls(s) => {
                s.write_all(bytes).await?;
                s.flush().await
            }
            Side::Gone => Err(std::io::ErrorKind::NotConnected.into()),
        }
    }

    async fn shutdown(&mut self) {
        let _ = match self {
            Side::Plain(s) => s.shutdown().await,
            Side::Tls(s) => s.shutdown().await,
            Side::Gone => Ok(()),
        };
    }

    fn take_plain(&mut self) -> std::io::Result<TcpStream> {
        match std::mem::replace(self, Side::Gone) {
            Side::Plain(tcp) => Ok(tcp),
            _ => Err(std::io::Error::other("TLS is already on")),
        }
    }
}

async fn tls_to_upstream(config: &ProxyConfig, tcp: TcpStream) -> std::io::Result<Side> {
    let (client, name) = config
        .tls
        .as_ref()
        .ok_or_else(|| std::io::Error::other("no TLS settings for the upstream"))?;
    let tls = tokio_rustls::TlsConnector::from(client.clone())
        .connect(name.clone(), tcp)
        .await?;
    Ok(Side::Tls(Box::new(tls)))
}

async fn connect_upstream(config: &ProxyConfig) -> std::io::Result<Side> {
    let tcp = TcpStream::connect(&config.upstream).await?;
    if config.implicit_tls {
        return tls_to_upstream(config, tcp).await;
    }
    Ok(Side::Plain(tcp))
}

/// Relays one client; returns the transcript's path.
pub async fn session(
    client: TcpStream,
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
            if config.implicit_tls { " (TLS)" } else { "" }
        ),
        "Replay: imap-mimic replay THIS_FILE --profile NAME".to_string(),
    ];
    let mut rec = Recorder::new(&config.profile, config.implicit_tls, comments);
    let id = rand::random::<i64>() & i64::MAX;
    let mut client = Side::Plain(client);
    let incomplete = match connect_upstream(config).await {
        Err(e) => Some(format!(
            "cannot reach the upstream {}: {e}",
            config.upstream
        )),
        Ok(mut upstream) => {
            let why = relay(&mut client, &mut upstream, &mut rec, config, &mut shutdown).await;
            upstream.shutdown().await;
            why
        }
    };
    client.shutdown().await;
    let text = rec.finish(incomplete.as_deref());
    write_file(&config.out, &stem(id), &text)
}

/// Copies bytes both ways until one side ends; why the recording is incomplete, if it is.
async fn relay(
    client: &mut Side,
    upstream: &mut Side,
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
                    if let Err(e) = upstream.write_flush(&from_client[..n]).await {
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
                    if client.write_flush(&from_upstream[..n]).await.is_err() {
                        return None;
                    }
                    if rec.take_starttls() {
                        if let Err(why) = starttls(client, upstream, config).await {
                            return Some(why);
                        }
                        rec.tls();
                    }
                }
            },
            _ = shutdown.changed() => {
                return Some("the proxy was shut down during the session".to_string());
            }
        }
    }
}

/// Both handshakes after the upstream accepted STARTTLS (its OK is already relayed).
async fn starttls(
    client: &mut Side,
    upstream: &mut Side,
    config: &ProxyConfig,
) -> Result<(), String> {
    let (Some(acceptor), Some(_)) = (&config.starttls, &config.tls) else {
        return Err(
            "STARTTLS cannot be recorded: the proxy has no certificate or no TLS \
                    settings for the upstream (give --ca or --insecure)"
                .to_string(),
        );
    };
    let up = upstream.take_plain().map_err(|e| e.to_string())?;
    *upstream = tls_to_upstream(config, up)
        .await
        .map_err(|e| format!("TLS handshake with the upstream after STARTTLS: {e}"))?;
    let tcp = client.take_plain().map_err(|e| e.to_string())?;
    let tls = acceptor
        .accept(tcp)
        .await
        .map_err(|e| format!("TLS handshake with the client after STARTTLS: {e}"))?;
    *client = Side::Tls(Box::new(tls));
    Ok(())
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
