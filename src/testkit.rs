//! An in-process server on 127.0.0.1:0 with its own temporary SQLite database, for the
//! project's integration tests and for tools that replay transcripts against a profile.

use crate::password::{self, Cost};
use crate::profile::load::Search;
use crate::profile::Registry;
use crate::secret::Secret;
use crate::server::{ListenerSpec, Running, TlsMode};
use crate::storage::Store;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

pub struct TestServer {
    pub addr: SocketAddr,
    pub store: Store,
    pub registry: Arc<Registry>,
    running: Option<Running>,
    dir: PathBuf,
}

impl TestServer {
    /// Starts a server for `profile` (a builtin or a file in the repository's `profiles/`).
    pub async fn start(profile: &str) -> anyhow::Result<TestServer> {
        let search = Search {
            dirs: vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("profiles")],
            files: Vec::new(),
        };
        let set = search.load().map_err(|e| anyhow::anyhow!("{e}"))?;
        anyhow::ensure!(set.get(profile).is_some(), "no profile named {profile:?}");
        let dir = std::env::temp_dir().join(format!("imap-mimic-test-{}", rand::random::<u64>()));
        std::fs::create_dir_all(&dir)?;
        let store = Store::open(&format!("sqlite:{}", dir.join("test.db").display())).await?;
        let registry = Arc::new(Registry::new(set));
        let spec = ListenerSpec {
            addr: "127.0.0.1:0".parse()?,
            tls: TlsMode::Starttls,
            profile: profile.to_string(),
        };
        let running = Running::start(&[spec], store.clone(), registry.clone(), None).await?;
        Ok(TestServer {
            addr: running.addrs[0],
            store,
            registry,
            running: Some(running),
            dir,
        })
    }

    /// Creates a user with a cheap password hash.
    pub async fn add_user(&self, name: &str, password: &str) -> anyhow::Result<()> {
        let hash = password::hash(&Secret::new(password), Cost::Low);
        self.store.create_user(name, &hash).await?;
        Ok(())
    }

    /// Stops the server, giving sessions their BYE.
    pub async fn stop(mut self) {
        if let Some(r) = self.running.take() {
            r.stop(std::time::Duration::from_secs(2)).await;
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
