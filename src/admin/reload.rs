//! The seam between the admin API and profile reloading: `POST /profiles/reload` calls a
//! `Reloader`. `RegistryReloader` re-runs the profile search and replaces the registry's
//! set (all or nothing: any error keeps the old profiles live).

use crate::profile::load::Search;
use crate::profile::Registry;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// A reload's outcome: the new generation, or every problem found.
pub type ReloadFuture<'a> = Pin<Box<dyn Future<Output = Result<u64, Vec<String>>> + Send + 'a>>;

pub trait Reloader: Send + Sync {
    /// Reloads every profile; the old ones stay live on any error.
    fn reload(&self) -> ReloadFuture<'_>;
    /// The generation now live.
    fn generation(&self) -> u64;
}

/// Reloads by re-reading the profile search path into the registry.
pub struct RegistryReloader {
    pub search: Search,
    pub registry: Arc<Registry>,
    /// Profiles that listeners serve: a set without one of them is refused.
    pub required: Vec<String>,
}

impl Reloader for RegistryReloader {
    fn reload(&self) -> ReloadFuture<'_> {
        Box::pin(async move {
            let search = self.search.clone();
            let loaded = tokio::task::spawn_blocking(move || search.load())
                .await
                .map_err(|e| vec![format!("reload task failed: {e}")])?;
            let set =
                loaded.map_err(|e| e.0.iter().map(ToString::to_string).collect::<Vec<_>>())?;
            let missing: Vec<String> = self
                .required
                .iter()
                .filter(|name| set.get(name).is_none())
                .map(|name| {
                    format!("profile {name:?} is served by a listener but no longer defined")
                })
                .collect();
            if !missing.is_empty() {
                return Err(missing);
            }
            Ok(self.registry.replace(set))
        })
    }

    fn generation(&self) -> u64 {
        self.registry.current().number
    }
}
