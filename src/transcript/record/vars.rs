//! Values that differ from run to run, recorded as `${...}` captures instead of literally:
//! UIDVALIDITY, UIDs (APPENDUID and FETCH's UID, and the same numbers in the client's UID
//! commands) and INTERNALDATE.

use regex::{Captures, Regex};
use std::sync::LazyLock;

static UIDVALIDITY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[(UIDVALIDITY|COPYUID) (\d+)").expect("literal regex"));
static APPENDUID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[APPENDUID (\d+) (\d+)\]").expect("literal regex"));
static FETCH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\* \d+ FETCH \(").expect("literal regex"));
static FETCH_UID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([( ])UID (\d+)").expect("literal regex"));
static INTERNALDATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"INTERNALDATE "([^"]*)""#).expect("literal regex"));
static CLIENT_UID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(\S+ UID (?:FETCH|STORE|COPY|MOVE|EXPUNGE) )([0-9:,*]+)(.*)$")
        .expect("literal regex")
});

/// Variables met so far, in order, with their recorded values.
#[derive(Default)]
pub struct Vars {
    values: Vec<(String, String)>,
}

impl Vars {
    pub fn values(&self) -> &[(String, String)] {
        &self.values
    }

    fn name_for(&mut self, value: &str, prefix: &str, by_value: bool) -> String {
        // `uid7` is a UID, `uidvalidity` is not: the rest of the name must be digits.
        let of_kind = |n: &str| {
            n.strip_prefix(prefix)
                .is_some_and(|r| r.chars().all(|c| c.is_ascii_digit()))
        };
        let existing = self.values.iter().find(|(n, v)| v == value && of_kind(n));
        if let Some((n, _)) = existing {
            return n.clone();
        }
        let count = self.values.iter().filter(|(n, _)| of_kind(n)).count();
        let name = match (by_value, count) {
            (true, _) => format!("{prefix}{value}"),
            (false, 0) if prefix == "uidvalidity" => prefix.to_string(),
            (false, n) => format!("{prefix}{}", n + 1),
        };
        self.values.push((name.clone(), value.to_string()));
        name
    }

    /// A server line with its run-dependent values replaced by variables.
    pub fn server(&mut self, line: &str) -> String {
        let line = UIDVALIDITY.replace_all(line, |c: &Captures| {
            let name = self.name_for(&c[2], "uidvalidity", false);
            format!("[{} ${{{name}}}", &c[1])
        });
        let line = APPENDUID.replace_all(&line, |c: &Captures| {
            let uv = self.name_for(&c[1], "uidvalidity", false);
            let uid = self.name_for(&c[2], "uid", true);
            format!("[APPENDUID ${{{uv}}} ${{{uid}}}]")
        });
        if !FETCH.is_match(&line) {
            return line.into_owned();
        }
        let line = FETCH_UID.replace_all(&line, |c: &Captures| {
            let uid = self.name_for(&c[2], "uid", true);
            format!("{}UID ${{{uid}}}", &c[1])
        });
        let line = INTERNALDATE.replace_all(&line, |c: &Captures| {
            let date = self.name_for(&c[1], "date", false);
            format!("INTERNALDATE \"${{{date}}}\"")
        });
        line.into_owned()
    }

    /// A client line whose UID set names UIDs seen before, as those variables.
    pub fn client_uids(&self, line: &str) -> String {
        let Some(c) = CLIENT_UID.captures(line) else {
            return line.to_string();
        };
        let mut set = String::new();
        let mut number = String::new();
        for ch in c[2].chars().chain(std::iter::once(',')) {
            if ch.is_ascii_digit() {
                number.push(ch);
                continue;
            }
            set.push_str(&self.known_uid(&number));
            number.clear();
            set.push(ch);
        }
        set.pop();
        format!("{}{set}{}", &c[1], &c[3])
    }

    fn known_uid(&self, number: &str) -> String {
        let name = format!("uid{number}");
        match self.values.iter().any(|(n, _)| *n == name) {
            true => format!("${{{name}}}"),
            false => number.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_dependent_values_become_variables() {
        let mut v = Vars::default();
        assert_eq!(
            v.server("* OK [UIDVALIDITY 1764] UIDs valid"),
            "* OK [UIDVALIDITY ${uidvalidity}] UIDs valid"
        );
        assert_eq!(
            v.server("a OK [APPENDUID 1764 7] APPEND completed."),
            "a OK [APPENDUID ${uidvalidity} ${uid7}] APPEND completed."
        );
        assert_eq!(
            v.server(r#"* 1 FETCH (UID 7 INTERNALDATE "26-Nov-2026 00:50:00 +0000")"#),
            r#"* 1 FETCH (UID ${uid7} INTERNALDATE "${date1}")"#
        );
        assert_eq!(
            v.client_uids("b UID FETCH 7,9:* FLAGS"),
            "b UID FETCH ${uid7},9:* FLAGS"
        );
        assert_eq!(v.client_uids("b FETCH 7 FLAGS"), "b FETCH 7 FLAGS");
        let names: Vec<&str> = v.values().iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["uidvalidity", "uid7", "date1"]);
    }
}
