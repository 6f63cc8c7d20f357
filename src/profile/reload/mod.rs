//! Hot reload: the one loop that the file watcher, SIGHUP and the admin API feed. A reload
//! re-reads the server configuration and every profile file, and is all or nothing (like
//! vector's): any error keeps the last good generation live and logs every diagnostic;
//! otherwise the new set is installed in one `ArcSwap` store and each change is logged,
//! switch by switch, with the new generation number. New sessions get the new generation
//! at once; existing sessions keep the `Arc<CompiledProfile>` they took at accept.
//!
//! Settings bound at startup (listener addresses, database, certificate paths) cannot
//! change live: a reload whose configuration changes one of them is refused, naming them.

pub mod diff;
pub mod watch;

pub use diff::Change;

use super::load::{Diagnostic, ProfileSet, Search};
use super::registry::Registry;
use crate::server::tls::CertStore;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// What one reload reads: produced afresh each time from the server configuration.
#[derive(Clone, Debug, Default)]
pub struct ReloadPlan {
    /// Where profiles come from.
    pub search: Search,
    /// Profiles that must exist, each with who needs it (`listener 127.0.0.1:1143`).
    pub required: Vec<(String, String)>,
    /// Settings fixed at startup, by field name, with their values.
    pub startup: BTreeMap<String, String>,
    /// Files besides the profiles that a change to should reload (the config file).
    pub watch_files: Vec<PathBuf>,
}

/// Produces the plan of the next reload (re-reading the server configuration).
pub type PlanSource = Arc<dyn Fn() -> Result<ReloadPlan, Vec<Diagnostic>> + Send + Sync>;

/// How a reload ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Outcome {
    /// A new generation is in force.
    Applied,
    /// Everything loaded and nothing differs: the generation stays.
    Unchanged,
    /// Something did not load; the last good generation stays. Every diagnostic, as
    /// `file:line:column: message`.
    Rejected { errors: Vec<String> },
    /// A startup setting changed; nothing was applied. The fields, as `name: old -> new`.
    Refused { fields: Vec<String> },
}

/// The result of one reload, for logs and the admin API.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReloadReport {
    /// The generation in force after this reload.
    pub generation: u64,
    #[serde(flatten)]
    pub outcome: Outcome,
    /// What changed, switch by switch (empty unless applied).
    pub changes: Vec<Change>,
}

impl ReloadReport {
    pub fn is_applied(&self) -> bool {
        self.outcome == Outcome::Applied
    }
}

impl fmt::Display for ReloadReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let g = self.generation;
        match &self.outcome {
            Outcome::Applied => write!(
                f,
                "generation {g} in force, changes: {}",
                self.changes.len()
            )?,
            Outcome::Unchanged => write!(f, "generation {g}: nothing changed")?,
            Outcome::Rejected { errors } => {
                write!(f, "rejected, generation {g} stays:\n{}", errors.join("\n"))?
            }
            Outcome::Refused { fields } => write!(
                f,
                "refused (startup settings changed; restart to apply), generation {g} stays:\n{}",
                fields.join("\n")
            )?,
        }
        for change in &self.changes {
            write!(f, "\n{change}")?;
        }
        Ok(())
    }
}

/// The handle every reload trigger shares. Cloning is cheap; reloads run one at a time.
#[derive(Clone)]
pub struct ReloadHandle {
    inner: Arc<Inner>,
}

struct Inner {
    registry: Arc<Registry>,
    source: PlanSource,
    certs: std::sync::OnceLock<Arc<CertStore>>,
    /// The plan of the generation in force; the lock makes reloads one loop.
    last_good: tokio::sync::Mutex<ReloadPlan>,
    /// A copy of what the watcher needs, readable without waiting for a reload.
    watched: std::sync::Mutex<watch::WatchSet>,
}

impl ReloadHandle {
    /// `initial` is the plan the registry's current set was loaded from.
    pub fn new(registry: Arc<Registry>, source: PlanSource, initial: ReloadPlan) -> ReloadHandle {
        let watched = watch::WatchSet::of(&initial, &registry.current().set);
        ReloadHandle {
            inner: Arc::new(Inner {
                registry,
                source,
                certs: std::sync::OnceLock::new(),
                last_good: tokio::sync::Mutex::new(initial),
                watched: std::sync::Mutex::new(watched),
            }),
        }
    }

    /// Also re-reads the certificate files on each reload (their contents are reloadable,
    /// their paths are not). The first call counts; clones share it.
    pub fn with_certificates(self, certs: Arc<CertStore>) -> ReloadHandle {
        let _ = self.inner.certs.set(certs);
        self
    }

    /// The generation in force.
    pub fn generation(&self) -> u64 {
        self.inner.registry.current().number
    }

    /// The paths the watcher should follow for the generation in force.
    pub fn watch_set(&self) -> watch::WatchSet {
        match self.inner.watched.lock() {
            Ok(w) => w.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Re-reads everything and installs it if it all loads; logs and returns what happened.
    pub async fn reload(&self) -> ReloadReport {
        let mut last_good = self.inner.last_good.lock().await;
        let source = self.inner.source.clone();
        let prepared = tokio::task::spawn_blocking(move || prepare(&source)).await;
        let prepared = prepared.unwrap_or_else(|e| Err(vec![format!("reload task failed: {e}")]));
        let report = match prepared {
            Err(errors) => self.rejected(errors),
            Ok((plan, set)) => {
                let refused = changed_fields(&last_good.startup, &plan.startup);
                match (refused.is_empty(), set) {
                    (true, Ok(set)) => self.install(&mut last_good, plan, set),
                    (true, Err(errors)) => self.rejected(errors),
                    (false, Ok(_)) => self.report(Outcome::Refused { fields: refused }, Vec::new()),
                    // Both at once: report every problem, the startup fields among them.
                    (false, Err(mut errors)) => {
                        let restart = refused
                            .into_iter()
                            .map(|f| format!("{f} (a startup setting: restart to change it)"));
                        errors.extend(restart);
                        self.rejected(errors)
                    }
                }
            }
        };
        log(&report);
        report
    }

    fn install(
        &self,
        last_good: &mut ReloadPlan,
        plan: ReloadPlan,
        set: ProfileSet,
    ) -> ReloadReport {
        let missing = missing_profiles(&plan, &set);
        if !missing.is_empty() {
            return self.rejected(missing);
        }
        if let Some(certs) = self.inner.certs.get() {
            if let Err(e) = certs.reload() {
                return self.rejected(vec![e.to_string()]);
            }
        }
        let changes = diff::diff(&self.inner.registry.current().set, &set);
        let watched = watch::WatchSet::of(&plan, &set);
        *last_good = plan;
        if let Ok(mut w) = self.inner.watched.lock() {
            *w = watched;
        }
        if changes.is_empty() {
            return self.report(Outcome::Unchanged, changes);
        }
        self.inner.registry.replace(set);
        self.report(Outcome::Applied, changes)
    }

    fn rejected(&self, errors: Vec<String>) -> ReloadReport {
        self.report(Outcome::Rejected { errors }, Vec::new())
    }

    fn report(&self, outcome: Outcome, changes: Vec<Change>) -> ReloadReport {
        ReloadReport {
            generation: self.generation(),
            outcome,
            changes,
        }
    }
}

/// What one reload read: the plan, and the profiles or every error loading them.
type Prepared = (ReloadPlan, Result<ProfileSet, Vec<String>>);

/// Reads the configuration and every profile (blocking file I/O and compiling).
fn prepare(source: &PlanSource) -> Result<Prepared, Vec<String>> {
    let shown = |ds: Vec<Diagnostic>| ds.iter().map(ToString::to_string).collect::<Vec<_>>();
    let plan = source().map_err(shown)?;
    let set = plan.search.load().map_err(|e| shown(e.0));
    Ok((plan, set))
}

/// `name: old -> new` for every startup field that differs.
fn changed_fields(old: &BTreeMap<String, String>, new: &BTreeMap<String, String>) -> Vec<String> {
    let keys: std::collections::BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    let unset = String::from("(unset)");
    keys.into_iter()
        .filter(|k| old.get(*k) != new.get(*k))
        .map(|k| {
            let (a, b) = (old.get(k).unwrap_or(&unset), new.get(k).unwrap_or(&unset));
            format!("{k}: {a} -> {b}")
        })
        .collect()
}

fn missing_profiles(plan: &ReloadPlan, set: &ProfileSet) -> Vec<String> {
    plan.required
        .iter()
        .filter(|(_, name)| set.get(name).is_none())
        .map(|(who, name)| format!("{who} serves profile {name:?}, which no longer exists"))
        .collect()
}

fn log(report: &ReloadReport) {
    let generation = report.generation;
    match &report.outcome {
        Outcome::Applied => {
            let changes = report.changes.len();
            tracing::info!(generation, changes, "profiles reloaded");
            for change in &report.changes {
                tracing::info!(generation, "changed: {change}");
            }
        }
        Outcome::Unchanged => tracing::info!(generation, "reload: nothing changed"),
        Outcome::Rejected { errors } => {
            for e in errors {
                tracing::error!("{e}");
            }
            tracing::warn!(
                generation,
                errors = errors.len(),
                "reload rejected; the last good profiles stay in force"
            );
        }
        Outcome::Refused { fields } => {
            for f in fields {
                tracing::error!("cannot change without a restart: {f}");
            }
            tracing::warn!(
                generation,
                "reload refused; restart to change startup settings"
            );
        }
    }
}

/// A plan source that always returns the same plan (tests, and callers without a config
/// file).
pub fn fixed_plan(plan: ReloadPlan) -> PlanSource {
    Arc::new(move || Ok(plan.clone()))
}

#[cfg(test)]
mod tests;
