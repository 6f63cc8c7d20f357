//! Reload triggers: file-system events (notify, debounced) and SIGHUP.
//!
//! The watcher follows directories, not files: editors that save by writing a new file and
//! renaming it over the old one (vim, most IDEs) replace the inode, and a watch on the old
//! file would go deaf. A directory watch sees the rename and keeps working. It watches the
//! directory of every file a loaded profile depends on (the file and its `extends`
//! parents), every profile directory (a new `*.toml` there is a new profile), and the
//! server configuration file.

use super::{ReloadHandle, ReloadPlan};
use crate::profile::load::ProfileSet;
use notify::{EventKind, RecursiveMode, Watcher};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::sync::mpsc;

/// The default quiet period after the last event before reloading: editors write a file in
/// several steps, and one reload per save is enough.
pub const DEBOUNCE: Duration = Duration::from_millis(100);

/// What to watch for one generation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WatchSet {
    /// Files whose change reloads (profile files with their parents, the config file).
    pub files: BTreeSet<PathBuf>,
    /// Directories in which any `*.toml` change reloads (profile directories).
    pub toml_dirs: BTreeSet<PathBuf>,
}

impl WatchSet {
    pub fn of(plan: &ReloadPlan, set: &ProfileSet) -> WatchSet {
        let mut files: BTreeSet<PathBuf> = set
            .profiles
            .values()
            .flat_map(|e| e.files.iter().map(|f| absolute(f)))
            .collect();
        files.extend(plan.watch_files.iter().map(|f| absolute(f)));
        files.extend(plan.search.files.iter().map(|f| absolute(f)));
        let toml_dirs = plan.search.dirs.iter().map(|d| absolute(d)).collect();
        WatchSet { files, toml_dirs }
    }

    /// The directories to put a watch on.
    pub fn directories(&self) -> BTreeSet<PathBuf> {
        let parents = self
            .files
            .iter()
            .filter_map(|f| f.parent().map(Path::to_path_buf));
        self.toml_dirs.iter().cloned().chain(parents).collect()
    }

    /// Whether an event on `path` should reload.
    pub fn is_relevant(&self, path: &Path) -> bool {
        let path = absolute(path);
        let in_toml_dir = path.extension().is_some_and(|x| x == "toml")
            && path.parent().is_some_and(|p| self.toml_dirs.contains(p));
        in_toml_dir || self.files.contains(&path)
    }
}

/// The path made absolute against the working directory (notify reports absolute paths).
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Starts watching; the task runs until the returned guard is dropped.
pub fn spawn_watcher(handle: ReloadHandle, debounce: Duration) -> notify::Result<TaskGuard> {
    let (tx, rx) = mpsc::unbounded_channel();
    let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            // Opening or reading a file (our own reload does) is no change.
            if !matches!(event.kind, EventKind::Access(_)) {
                let _ = tx.send(event.paths);
            }
        }
    })?;
    let task = tokio::spawn(watch_loop(handle, watcher, rx, debounce));
    Ok(TaskGuard(task))
}

/// Aborts its task when dropped.
pub struct TaskGuard(tokio::task::JoinHandle<()>);

impl Drop for TaskGuard {
    fn drop(&mut self) {
        self.0.abort();
    }
}

async fn watch_loop(
    handle: ReloadHandle,
    mut watcher: notify::RecommendedWatcher,
    mut rx: mpsc::UnboundedReceiver<Vec<PathBuf>>,
    debounce: Duration,
) {
    let mut watched = BTreeSet::new();
    loop {
        let set = handle.watch_set();
        sync_watches(&mut watcher, &mut watched, set.directories());
        if !wait_for_change(&mut rx, &set, debounce).await {
            return;
        }
        handle.reload().await;
    }
}

/// Adds watches for new directories and drops those no longer needed.
fn sync_watches(
    watcher: &mut notify::RecommendedWatcher,
    watched: &mut BTreeSet<PathBuf>,
    wanted: BTreeSet<PathBuf>,
) {
    for gone in watched.difference(&wanted) {
        let _ = watcher.unwatch(gone);
    }
    let mut now = BTreeSet::new();
    for dir in wanted {
        if watched.contains(&dir) {
            now.insert(dir);
            continue;
        }
        match watcher.watch(&dir, RecursiveMode::NonRecursive) {
            Ok(()) => {
                now.insert(dir);
            }
            Err(e) => tracing::warn!(dir = %dir.display(), error = %e, "cannot watch"),
        }
    }
    *watched = now;
}

/// Waits for a relevant event, then for `debounce` without one. False when the watcher
/// is gone.
async fn wait_for_change(
    rx: &mut mpsc::UnboundedReceiver<Vec<PathBuf>>,
    set: &WatchSet,
    debounce: Duration,
) -> bool {
    loop {
        let Some(paths) = rx.recv().await else {
            return false;
        };
        if paths.iter().any(|p| set.is_relevant(p)) {
            break;
        }
    }
    // Any further event (relevant or not) within the quiet period restarts it, so a save
    // in several steps is one reload; the cap keeps a constantly busy directory from
    // postponing the reload for ever.
    let deadline = tokio::time::Instant::now() + debounce * 10;
    while let Ok(Some(_)) = tokio::time::timeout(debounce, rx.recv()).await {
        if tokio::time::Instant::now() >= deadline {
            break;
        }
    }
    true
}

/// Reloads on every SIGHUP (the convention of Unix daemons) until the guard is dropped.
#[cfg(unix)]
pub fn spawn_sighup(handle: ReloadHandle) -> std::io::Result<TaskGuard> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut hangups = signal(SignalKind::hangup())?;
    let task = tokio::spawn(async move {
        while hangups.recv().await.is_some() {
            tracing::info!("SIGHUP: reloading");
            handle.reload().await;
        }
    });
    Ok(TaskGuard(task))
}
