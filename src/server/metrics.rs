//! Counters for the admin API's Prometheus endpoint: commands by name and status, profile
//! reloads, errors. Sessions by profile come from the live session list.
//!
//! Command names are limited to the IMAP commands the server knows, so a client sending
//! random words cannot grow the label set without bound.

use super::sessions::SessionInfo;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Mutex, MutexGuard};

const KNOWN: &[&str] = &[
    "APPEND",
    "AUTHENTICATE",
    "CAPABILITY",
    "CHECK",
    "CLOSE",
    "COPY",
    "CREATE",
    "DELETE",
    "EXAMINE",
    "EXPUNGE",
    "FETCH",
    "ID",
    "IDLE",
    "LIST",
    "LOGIN",
    "LOGOUT",
    "LSUB",
    "MOVE",
    "NAMESPACE",
    "NOOP",
    "RENAME",
    "SEARCH",
    "SELECT",
    "STARTTLS",
    "STATUS",
    "STORE",
    "SUBSCRIBE",
    "UNSELECT",
    "UNSUBSCRIBE",
];

#[derive(Debug, Default)]
pub struct Metrics {
    counters: Mutex<Counters>,
}

#[derive(Debug, Default)]
struct Counters {
    commands: BTreeMap<(String, &'static str), u64>,
    reloads: BTreeMap<&'static str, u64>,
    errors: BTreeMap<&'static str, u64>,
}

/// The metric name of a command line: `FETCH`, `UID FETCH`, `OTHER` for unknown words;
/// None for a line that is not a command (IDLE's DONE, an AUTHENTICATE response).
pub fn command_name(line: &[u8]) -> Option<String> {
    let line = line.split(|&b| b == b'\r' || b == b'\n').next()?;
    let mut words = line
        .split(|&b| b == b' ' || b == b'\t')
        .filter(|w| !w.is_empty());
    let _tag = words.next()?;
    let word = String::from_utf8_lossy(words.next()?).to_ascii_uppercase();
    if word == "UID" {
        let sub = words
            .next()
            .map(|w| String::from_utf8_lossy(w).to_ascii_uppercase());
        return Some(match sub {
            Some(s) if KNOWN.contains(&s.as_str()) => format!("UID {s}"),
            _ => "UID OTHER".into(),
        });
    }
    Some(if KNOWN.contains(&word.as_str()) {
        word
    } else {
        "OTHER".into()
    })
}

impl Metrics {
    fn lock(&self) -> MutexGuard<'_, Counters> {
        self.counters.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A command completed with `status` (`ok`, `no`, `bad`).
    pub fn command(&self, name: &str, status: &'static str) {
        *self
            .lock()
            .commands
            .entry((name.to_string(), status))
            .or_default() += 1;
    }

    /// A profile reload ended (`ok` or `failed`).
    pub fn reload(&self, result: &'static str) {
        *self.lock().reloads.entry(result).or_default() += 1;
    }

    /// Something went wrong that no client was told about in a status response.
    pub fn error(&self, kind: &'static str) {
        *self.lock().errors.entry(kind).or_default() += 1;
    }

    /// The Prometheus text exposition (version 0.0.4).
    pub fn render(&self, sessions: &[SessionInfo]) -> String {
        let mut by_profile: BTreeMap<&str, u64> = BTreeMap::new();
        for s in sessions {
            *by_profile.entry(&s.profile).or_default() += 1;
        }
        let c = self.lock();
        let mut out = String::new();
        family(
            &mut out,
            "imap_mimic_sessions",
            "gauge",
            "Connected sessions by profile.",
        );
        for (profile, n) in by_profile {
            let _ = writeln!(
                out,
                "imap_mimic_sessions{{profile=\"{}\"}} {n}",
                escape(profile)
            );
        }
        family(
            &mut out,
            "imap_mimic_commands_total",
            "counter",
            "Completed commands by name and status.",
        );
        for ((name, status), n) in &c.commands {
            let _ = writeln!(
                out,
                "imap_mimic_commands_total{{command=\"{name}\",status=\"{status}\"}} {n}"
            );
        }
        family(
            &mut out,
            "imap_mimic_reloads_total",
            "counter",
            "Profile reloads by result.",
        );
        for (result, n) in &c.reloads {
            let _ = writeln!(out, "imap_mimic_reloads_total{{result=\"{result}\"}} {n}");
        }
        family(
            &mut out,
            "imap_mimic_errors_total",
            "counter",
            "Errors by kind.",
        );
        for (kind, n) in &c.errors {
            let _ = writeln!(out, "imap_mimic_errors_total{{kind=\"{kind}\"}} {n}");
        }
        out
    }
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

/// Label values escape backslash, quote and newline (Prometheus text format).
fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_names_are_bounded() {
        assert_eq!(
            command_name(b"a1 fetch 1 FLAGS\r\n").as_deref(),
            Some("FETCH")
        );
        assert_eq!(
            command_name(b"a uid Store 1 +FLAGS x").as_deref(),
            Some("UID STORE")
        );
        assert_eq!(command_name(b"a XYZZY").as_deref(), Some("OTHER"));
        assert_eq!(command_name(b"DONE\r\n"), None);
    }

    #[test]
    fn renders_prometheus_text() {
        let m = Metrics::default();
        m.command("LOGIN", "ok");
        m.command("LOGIN", "ok");
        m.reload("failed");
        let text = m.render(&[]);
        assert!(text.contains("imap_mimic_commands_total{command=\"LOGIN\",status=\"ok\"} 2\n"));
        assert!(text.contains("imap_mimic_reloads_total{result=\"failed\"} 1\n"));
        assert!(text.contains("# TYPE imap_mimic_sessions gauge\n"));
    }
}
