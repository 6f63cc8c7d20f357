//! The server configuration file (`imap-mimic serve --config imap-mimic.toml`): listeners
//! (address, TLS mode, profile), data directory or database URL, admin API address, extra
//! profile directories, certificate paths. Command-line flags override the file.
//!
//! Most of this is fixed at startup: sockets are bound and the database is opened once. A
//! reload re-reads the file and refuses to go on when one of those startup fields changed
//! (`startup_fields`); what it can apply live is the set of profile directories, and through
//! them the profiles.

mod parse;

use crate::profile::load::{Diagnostic, Search, Source};
use crate::profile::reload::ReloadPlan;
use crate::server::TlsMode;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The profile `serve` uses when neither the file nor `--profile` names one.
pub const DEFAULT_PROFILE: &str = "exchange-2016";
/// The listener `serve` opens when neither the file nor `--listen` names one.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:1143";
/// The data directory when neither the file nor `--data` names one.
pub const DEFAULT_DATA: &str = "imap-mimic-data";

/// One listening socket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListenerConfig {
    pub address: SocketAddr,
    pub tls: TlsMode,
    pub profile: String,
}

/// A PEM certificate chain and its key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// What the command line says; each set field wins over the file.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// `--profile`: the profile of every listener.
    pub profile: Option<String>,
    /// `--listen` (STARTTLS) and `--listen-tls` (implicit): replace the file's listeners.
    pub listen: Vec<SocketAddr>,
    pub listen_tls: Vec<SocketAddr>,
    pub data: Option<PathBuf>,
    pub database: Option<String>,
    /// `--profiles-dir`: read after the file's directories.
    pub profiles_dirs: Vec<PathBuf>,
    /// `--profile FILE`: profile files read after every directory.
    pub profile_files: Vec<PathBuf>,
    pub tls: Option<TlsFiles>,
}

/// The effective server settings: the file (if any) with the command line on top.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServeConfig {
    /// The file these settings came from.
    pub file: Option<PathBuf>,
    pub listeners: Vec<ListenerConfig>,
    pub data: PathBuf,
    pub database: Option<String>,
    /// The admin API's address (served by the admin module when it is built in).
    pub admin: Option<SocketAddr>,
    pub profiles_dirs: Vec<PathBuf>,
    pub profile_files: Vec<PathBuf>,
    pub tls: Option<TlsFiles>,
}

impl ServeConfig {
    /// Reads `file` (when given) and applies `overrides`. Relative paths in the file are
    /// relative to the file's directory, so the file works from any working directory.
    pub fn load(
        file: Option<&Path>,
        overrides: &Overrides,
    ) -> Result<ServeConfig, Vec<Diagnostic>> {
        let (raw, base) = match file {
            Some(path) => {
                let source = Source::read(path).map_err(|d| vec![d])?;
                let raw = parse::parse(&source.label, &source.text)?;
                let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
                (raw, base)
            }
            None => (parse::RawConfig::default(), PathBuf::new()),
        };
        let profile = overrides.profile.as_deref().unwrap_or(DEFAULT_PROFILE);
        let mut listeners: Vec<ListenerConfig> = raw
            .listener
            .into_iter()
            .map(|l| l.resolve(profile))
            .collect();
        if !overrides.listen.is_empty() || !overrides.listen_tls.is_empty() {
            listeners = command_line_listeners(overrides, profile);
        }
        if listeners.is_empty() {
            let address = DEFAULT_LISTEN.parse().expect("valid default address");
            listeners.push(ListenerConfig {
                address,
                tls: TlsMode::Starttls,
                profile: profile.to_string(),
            });
        }
        if let Some(p) = &overrides.profile {
            listeners.iter_mut().for_each(|l| l.profile = p.clone());
        }
        let mut profiles_dirs: Vec<PathBuf> =
            raw.profiles_dirs.iter().map(|d| base.join(d)).collect();
        profiles_dirs.extend(overrides.profiles_dirs.iter().cloned());
        Ok(ServeConfig {
            file: file.map(Path::to_path_buf),
            listeners,
            data: overrides
                .data
                .clone()
                .or(raw.data.map(|d| base.join(d)))
                .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA)),
            database: overrides.database.clone().or(raw.database),
            admin: raw.admin,
            profiles_dirs,
            profile_files: overrides.profile_files.clone(),
            tls: overrides.tls.clone().or(raw.tls.map(|t| t.resolve(&base))),
        })
    }

    /// Where profiles come from: builtins, `./profiles` when it exists, the configured
    /// directories, then single files.
    pub fn search(&self) -> Search {
        let mut dirs = Vec::new();
        if Path::new("profiles").is_dir() {
            dirs.push(PathBuf::from("profiles"));
        }
        dirs.extend(self.profiles_dirs.iter().cloned());
        Search {
            dirs,
            files: self.profile_files.clone(),
        }
    }

    /// The settings a reload cannot change, by field name, with their values.
    pub fn startup_fields(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        out.insert("listeners".into(), self.listeners.len().to_string());
        for (i, l) in self.listeners.iter().enumerate() {
            out.insert(format!("listener[{i}].address"), l.address.to_string());
            out.insert(format!("listener[{i}].tls"), format!("{:?}", l.tls));
            out.insert(format!("listener[{i}].profile"), l.profile.clone());
        }
        out.insert("data".into(), self.data.display().to_string());
        let shown = |v: Option<String>| v.unwrap_or_else(|| "(unset)".into());
        out.insert("database".into(), shown(self.database.clone()));
        out.insert("admin".into(), shown(self.admin.map(|a| a.to_string())));
        let tls = self.tls.as_ref();
        out.insert(
            "tls.cert".into(),
            shown(tls.map(|t| t.cert.display().to_string())),
        );
        out.insert(
            "tls.key".into(),
            shown(tls.map(|t| t.key.display().to_string())),
        );
        out
    }

    /// What a reload reads: the profile search, the profiles the listeners need, the
    /// startup fields to compare, and the other files to watch.
    pub fn plan(&self) -> ReloadPlan {
        ReloadPlan {
            search: self.search(),
            required: self
                .listeners
                .iter()
                .map(|l| (format!("listener {}", l.address), l.profile.clone()))
                .collect(),
            startup: self.startup_fields(),
            watch_files: self.watch_files(),
        }
    }

    /// Files besides profiles whose change reloads: this file, and the certificate and
    /// key (their contents are reloadable, a renewed certificate applies to new handshakes).
    fn watch_files(&self) -> Vec<PathBuf> {
        let tls = self
            .tls
            .iter()
            .flat_map(|t| [t.cert.clone(), t.key.clone()]);
        self.file.iter().cloned().chain(tls).collect()
    }
}

/// `--listen` and `--listen-tls`. As before config files existed, `--listen-tls` alone
/// still opens the default STARTTLS listener next to it.
fn command_line_listeners(overrides: &Overrides, profile: &str) -> Vec<ListenerConfig> {
    let default_listen = [DEFAULT_LISTEN.parse().expect("valid default address")];
    let listen = match overrides.listen.is_empty() {
        true => &default_listen[..],
        false => &overrides.listen[..],
    };
    let with = |tls| {
        move |&address: &SocketAddr| ListenerConfig {
            address,
            tls,
            profile: profile.to_string(),
        }
    };
    let mut out: Vec<ListenerConfig> = listen.iter().map(with(TlsMode::Starttls)).collect();
    out.extend(overrides.listen_tls.iter().map(with(TlsMode::Implicit)));
    out
}

/// A reload plan source that re-reads `file` and applies the same command line each time.
pub fn plan_source(
    file: Option<PathBuf>,
    overrides: Overrides,
) -> impl Fn() -> Result<ReloadPlan, Vec<Diagnostic>> + Send + Sync + 'static {
    move || ServeConfig::load(file.as_deref(), &overrides).map(|c| c.plan())
}

#[cfg(test)]
mod tests;
