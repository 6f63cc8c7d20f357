//! What a reload changes, switch by switch: the merged model of every profile before and
//! after, so a parent's edit shows up under each child that inherits it.

use crate::profile::load::{Entry, ProfileSet};
use serde::Serialize;
use std::fmt;
use toml::{Table, Value};

/// One difference between two generations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    pub profile: String,
    /// `[section] switch`, a header key (`emulates`), or `added` / `removed` for a whole
    /// profile.
    pub what: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.profile, self.what)?;
        if self.from.is_some() || self.to.is_some() {
            let shown = |v: &Option<String>| v.clone().unwrap_or_else(|| "(unset)".into());
            write!(f, ": {} -> {}", shown(&self.from), shown(&self.to))?;
        }
        Ok(())
    }
}

/// Every difference between `old` and `new`, profile by profile in name order.
pub fn diff(old: &ProfileSet, new: &ProfileSet) -> Vec<Change> {
    let mut out = Vec::new();
    let whole = |profile: &str, what: &str| Change {
        profile: profile.to_string(),
        what: what.to_string(),
        from: None,
        to: None,
    };
    for (name, before) in &old.profiles {
        match new.get(name) {
            Some(after) => out.extend(diff_profile(name, before, after)),
            None => out.push(whole(name, "removed")),
        }
    }
    for name in new.profiles.keys() {
        if old.get(name).is_none() {
            out.push(whole(name, "added"));
        }
    }
    out
}

fn diff_profile(name: &str, before: &Entry, after: &Entry) -> Vec<Change> {
    if before.model == after.model {
        return Vec::new();
    }
    let (Ok(a), Ok(b)) = (
        Table::try_from(&before.model),
        Table::try_from(&after.model),
    ) else {
        // The model always serializes; if it ever did not, say so rather than hide it.
        return vec![Change {
            profile: name.to_string(),
            what: "changed (not representable as TOML)".into(),
            from: None,
            to: None,
        }];
    };
    let mut out = Vec::new();
    diff_table(name, None, &a, &b, &mut out);
    out
}

/// Compares one table; sections recurse once, as `[section] switch`.
fn diff_table(name: &str, section: Option<&str>, a: &Table, b: &Table, out: &mut Vec<Change>) {
    let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for key in keys {
        let (va, vb) = (a.get(key), b.get(key));
        if va == vb {
            continue;
        }
        if let (None, Some(Value::Table(ta)), Some(Value::Table(tb))) = (section, va, vb) {
            diff_table(name, Some(key), ta, tb, out);
            continue;
        }
        let what = match section {
            Some(s) => format!("[{s}] {key}"),
            None => key.clone(),
        };
        out.push(Change {
            profile: name.to_string(),
            what,
            from: va.map(ToString::to_string),
            to: vb.map(ToString::to_string),
        });
    }
}
