//! Reading `imap-mimic.toml`: every unknown key is reported with file:line:column (all of
//! them at once, like profile files), then serde takes the known keys with their types.

use super::{ListenerConfig, TlsFiles};
use crate::profile::load::{line_col, Diagnostic};
use crate::server::TlsMode;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::PathBuf;
use toml::de::{DeTable, DeValue};

/// The file as written (paths not yet resolved against its directory).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub data: Option<PathBuf>,
    pub database: Option<String>,
    pub admin: Option<SocketAddr>,
    #[serde(default)]
    pub profiles_dirs: Vec<PathBuf>,
    pub tls: Option<RawTls>,
    #[serde(default)]
    pub listener: Vec<RawListener>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTls {
    pub cert: PathBuf,
    pub key: PathBuf,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawListener {
    pub address: SocketAddr,
    pub tls: TlsMode,
    pub profile: Option<String>,
}

const TOP_KEYS: &[&str] = &[
    "data",
    "database",
    "admin",
    "profiles_dirs",
    "tls",
    "listener",
];
const TLS_KEYS: &[&str] = &["cert", "key"];
const LISTENER_KEYS: &[&str] = &["address", "tls", "profile"];

/// Parses the text of a config file; `label` names it in messages.
pub fn parse(label: &str, text: &str) -> Result<RawConfig, Vec<Diagnostic>> {
    let at = |span: std::ops::Range<usize>, message: String| {
        let (line, column) = line_col(text, span.start);
        Diagnostic {
            file: label.to_string(),
            line,
            column,
            message,
        }
    };
    let (table, syntax) = DeTable::parse_recoverable(text);
    let mut errors: Vec<Diagnostic> = syntax
        .iter()
        .map(|e| at(e.span().unwrap_or(0..0), e.message().to_string()))
        .collect();
    unknown_keys(
        table.get_ref(),
        "the top level",
        TOP_KEYS,
        &mut |span, m| errors.push(at(span, m)),
    );
    if let Some(tls) = table.get_ref().get("tls") {
        if let DeValue::Table(t) = tls.get_ref() {
            unknown_keys(t, "[tls]", TLS_KEYS, &mut |span, m| {
                errors.push(at(span, m))
            });
        }
    }
    if let Some(listeners) = table.get_ref().get("listener") {
        if let DeValue::Array(items) = listeners.get_ref() {
            for item in items {
                if let DeValue::Table(t) = item.get_ref() {
                    let place = "[[listener]]";
                    unknown_keys(t, place, LISTENER_KEYS, &mut |span, m| {
                        errors.push(at(span, m))
                    });
                }
            }
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|d| (d.line, d.column));
        return Err(errors);
    }
    toml::from_str(text).map_err(|e| vec![at(e.span().unwrap_or(0..0), describe(&e))])
}

fn unknown_keys(
    table: &DeTable<'_>,
    place: &str,
    known: &[&str],
    report: &mut dyn FnMut(std::ops::Range<usize>, String),
) {
    for key in table.keys() {
        let name: &str = key.get_ref();
        if !known.contains(&name) {
            report(
                key.span(),
                format!(
                    "unknown key `{name}` in {place}; expected one of: {}",
                    known.join(", ")
                ),
            );
        }
    }
}

/// serde's message on one line (it ends with a newline).
fn describe(e: &toml::de::Error) -> String {
    e.message().trim_end().to_string()
}

impl RawTls {
    pub fn resolve(self, base: &std::path::Path) -> TlsFiles {
        TlsFiles {
            cert: base.join(self.cert),
            key: base.join(self.key),
        }
    }
}

impl RawListener {
    pub fn resolve(self, default_profile: &str) -> ListenerConfig {
        ListenerConfig {
            address: self.address,
            tls: self.tls,
            profile: self.profile.unwrap_or_else(|| default_profile.to_string()),
        }
    }
}
