//! An in-process server on 127.0.0.1:0 with its own temporary SQLite database, for the
//! project's integration tests and for tools that replay transcripts against a profile.

use crate::accounts;
use crate::ntlm::secret::SealingKey;
use crate::password::Cost;
use crate::profile::load::{ProfileSet, Source};
use crate::profile::Registry;
use crate::secret::Secret;
use crate::server::tap::TapConfig;
use crate::server::tls::{ensure_generated, CertPaths, CertStore};
use crate::server::{ListenerSpec, Running, Services, TlsMode};
use crate::storage::Store;
use crate::transcript::run::Target;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

pub struct TestServer {
    /// The plaintext listener (STARTTLS offered).
    pub addr: SocketAddr,
    /// The implicit-TLS listener.
    pub tls_addr: SocketAddr,
    /// A client configuration that trusts this server's certificate.
    pub client_tls: Arc<rustls::ClientConfig>,
    pub store: Store,
    pub registry: Arc<Registry>,
    /// The key sealing this server's NT hashes.
    pub ntlm_key: Arc<SealingKey>,
    /// Live sessions and counters (what the admin API lists and ends).
    pub sessions: Arc<crate::server::sessions::Sessions>,
    running: Option<Running>,
    dir: PathBuf,
}

impl TestServer {
    /// Starts a server for `profile` (a builtin or a file in the repository's `profiles/`).
    pub async fn start(profile: &str) -> anyhow::Result<TestServer> {
        TestServer::start_with(profile, &[]).await
    }

    /// Starts a server for `profile`, with extra profile files given as TOML text (a test's
    /// own profile, e.g. one with one-second timers extending a shipped one).
    pub async fn start_with(profile: &str, extra: &[&str]) -> anyhow::Result<TestServer> {
        TestServer::start_from(profile, repository_sources(extra)?, None).await
    }

    /// Like `start_with`, recording every session as a transcript in `record_dir`.
    pub async fn start_recording(
        profile: &str,
        extra: &[&str],
        record_dir: &std::path::Path,
    ) -> anyhow::Result<TestServer> {
        let tap = TapConfig {
            record_dir: record_dir.to_path_buf(),
        };
        TestServer::start_from(profile, repository_sources(extra)?, Some(tap)).await
    }

    /// Starts a server for `profile`, with every `*.toml` of `dir` loaded too: profiles
    /// that name files relative to themselves, such as `[hooks] scripts`.
    pub async fn start_in(profile: &str, dir: &std::path::Path) -> anyhow::Result<TestServer> {
        let mut sources = repository_sources(&[])?;
        sources.extend(Source::read_dir(dir).map_err(|e| anyhow::anyhow!("{e}"))?);
        TestServer::start_from(profile, sources, None).await
    }

    /// Starts a server for `profile` from the given profile sources (what `imap-mimic
    /// replay --profile` uses: the built-in profiles and the user's directories).
    pub async fn start_from(
        profile: &str,
        sources: Vec<Source>,
        tap: Option<TapConfig>,
    ) -> anyhow::Result<TestServer> {
        let set = ProfileSet::load(sources).map_err(|e| anyhow::anyhow!("{e}"))?;
        anyhow::ensure!(set.get(profile).is_some(), "no profile named {profile:?}");
        let dir = std::env::temp_dir().join(format!("imap-mimic-test-{}", rand::random::<u64>()));
        std::fs::create_dir_all(&dir)?;
        let store = Store::open(&format!("sqlite:{}", dir.join("test.db").display())).await?;
        let registry = Arc::new(Registry::new(set));
        let listener = |tls| ListenerSpec {
            addr: "127.0.0.1:0".parse().expect("literal address"),
            tls,
            profile: profile.to_string(),
        };
        let specs = [listener(TlsMode::Starttls), listener(TlsMode::Implicit)];
        let paths = CertPaths::generated_in(&dir);
        ensure_generated(&paths)?;
        let certs = CertStore::open(paths.clone())?;
        let ntlm_key = Arc::new(SealingKey::load_or_create(&dir.join("ntlm.key"))?);
        let services = Services {
            store: store.clone(),
            registry: registry.clone(),
            tls: Some(certs.acceptor()),
            ntlm_key: Some(ntlm_key.clone()),
        };
        let running = Running::start_tapped(&specs, services, tap).await?;
        Ok(TestServer {
            addr: running.addrs[0],
            tls_addr: running.addrs[1],
            client_tls: client_config(&paths.cert)?,
            store,
            registry,
            ntlm_key,
            sessions: running.sessions.clone(),
            running: Some(running),
            dir,
        })
    }

    /// Where a transcript's connections go.
    pub fn target(&self) -> Target {
        Target {
            plain: self.addr,
            implicit: Some(self.tls_addr),
            tls: Some(self.client_tls.clone()),
        }
    }

    /// Creates a user with a cheap password hash.
    pub async fn add_user(&self, name: &str, password: &str) -> anyhow::Result<()> {
        let key = Some(self.ntlm_key.as_ref());
        accounts::create_user(&self.store, key, name, &Secret::new(password), Cost::Low).await?;
        Ok(())
    }

    /// Stops the server, giving sessions their BYE.
    pub async fn stop(mut self) {
        if let Some(r) = self.running.take() {
            r.stop(std::time::Duration::from_secs(2)).await;
        }
    }
}

/// The built-in profiles, the repository's `profiles/` and test profiles given as text.
fn repository_sources(extra: &[&str]) -> anyhow::Result<Vec<Source>> {
    let dir_profiles = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("profiles");
    let mut sources = Source::builtin();
    sources.extend(Source::read_dir(&dir_profiles).map_err(|e| anyhow::anyhow!("{e}"))?);
    sources.extend(extra.iter().enumerate().map(|(i, text)| Source {
        label: format!("test-profile-{i}"),
        path: None,
        text: text.to_string(),
    }));
    Ok(sources)
}

/// A rustls client that trusts exactly the certificate in `cert`.
pub fn client_config(cert: &std::path::Path) -> anyhow::Result<Arc<rustls::ClientConfig>> {
    use rustls_pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    for c in rustls_pki_types::CertificateDer::pem_file_iter(cert)? {
        roots.add(c?)?;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
