//! Sockets only: listeners (accept, connection limits), the connection loop (buffers,
//! framing, TLS upgrade, timers), and shutdown. Everything about IMAP is in `session`.

pub mod config;
pub mod connection;
pub mod limits;
pub mod listener;
pub mod metrics;
pub mod sessions;
pub mod stream;
pub mod tap;
pub mod tls;

use crate::ntlm::secret::SealingKey;
use crate::profile::Registry;
use crate::storage::Store;
use limits::Tracker;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

/// How a listener speaks TLS.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TlsMode {
    /// Plaintext only (STARTTLS answered NO).
    None,
    /// Plaintext with STARTTLS (port 143 style).
    Starttls,
    /// TLS from the first byte (port 993 style).
    Implicit,
}

/// One listening socket and the profile its connections get.
#[derive(Clone, Debug)]
pub struct ListenerSpec {
    pub addr: SocketAddr,
    pub tls: TlsMode,
    pub profile: String,
}

/// What a server is started with.
#[derive(Clone)]
pub struct Services {
    pub store: Store,
    pub registry: Arc<Registry>,
    /// TLS for STARTTLS and implicit-TLS listeners; None answers STARTTLS with a refusal.
    pub tls: Option<tokio_rustls::TlsAcceptor>,
    /// The key sealing NT hashes; None disables NTLM verification (it then always fails).
    pub ntlm_key: Option<Arc<SealingKey>>,
}

/// What every connection shares.
#[derive(Clone)]
pub struct Shared {
    pub store: Store,
    pub registry: Arc<Registry>,
    pub tracker: Arc<Tracker>,
    pub tls: Option<tokio_rustls::TlsAcceptor>,
    pub ntlm_key: Option<Arc<SealingKey>>,
    pub shutdown: watch::Receiver<bool>,
    /// Live sessions and counters, for the admin API.
    pub sessions: Arc<sessions::Sessions>,
    /// `serve --record`: where sessions are written as transcripts.
    pub tap: Option<Arc<tap::TapConfig>>,
}

/// A running server: its bound addresses and the handle that stops it.
pub struct Running {
    pub addrs: Vec<SocketAddr>,
    /// Live sessions and counters, for the admin API.
    pub sessions: Arc<sessions::Sessions>,
    shutdown: watch::Sender<bool>,
    tasks: JoinSet<()>,
}

impl Running {
    /// Binds every listener and starts accepting.
    pub async fn start(specs: &[ListenerSpec], services: Services) -> std::io::Result<Running> {
        Running::start_tapped(specs, services, None).await
    }

    /// Like `start`, recording every session as a transcript when `tap` is set.
    pub async fn start_tapped(
        specs: &[ListenerSpec],
        services: Services,
        tap: Option<tap::TapConfig>,
    ) -> std::io::Result<Running> {
        let (shutdown, rx) = watch::channel(false);
        let shared = Shared {
            store: services.store,
            registry: services.registry,
            tracker: Arc::new(Tracker::default()),
            tls: services.tls,
            ntlm_key: services.ntlm_key,
            shutdown: rx,
            sessions: Arc::default(),
            tap: tap.map(Arc::new),
        };
        let mut tasks = JoinSet::new();
        let mut addrs = Vec::new();
        for spec in specs {
            let socket = bind(spec.addr)?;
            let addr = socket.local_addr()?;
            addrs.push(addr);
            tracing::info!(%addr, tls = ?spec.tls, profile = %spec.profile, "listening");
            let spec = ListenerSpec {
                addr,
                ..spec.clone()
            };
            tasks.spawn(listener::accept_loop(socket, spec, shared.clone()));
        }
        Ok(Running {
            addrs,
            sessions: shared.sessions.clone(),
            shutdown,
            tasks,
        })
    }

    /// Stops accepting, sends every session a BYE, and waits for them (up to `grace`).
    pub async fn stop(mut self, grace: std::time::Duration) {
        let _ = self.shutdown.send(true);
        let wait = async { while self.tasks.join_next().await.is_some() {} };
        if tokio::time::timeout(grace, wait).await.is_err() {
            tracing::warn!("sessions still running after the grace period; aborting them");
            self.tasks.abort_all();
        }
    }
}

/// Pending connections the kernel queues per listener. The standard library's 128
/// overflows when hundreds of clients connect in the same instant (a test farm starting,
/// the reload benchmark's 500 sessions): greetings then arrive seconds late.
const LISTEN_BACKLOG: u32 = 1024;

/// Binds `addr` with SO_REUSEADDR (a restart does not wait for TIME_WAIT) and a backlog of
/// `LISTEN_BACKLOG`.
fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}
