//! `imap-mimic profile list|show|check|diff|schema`: inspect and validate profiles the way
//! admins inspect `doveconf -n`.

use crate::profile::load::{Entry, ProfileSet, Search, Source};
use crate::profile::model::SECTIONS;
use crate::profile::schema;
use anyhow::anyhow;
use clap::{Args, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use toml::Table;

#[derive(Debug, Args)]
pub struct ProfileArgs {
    /// Extra directories of profile files (`./profiles` is read when it exists).
    #[arg(long = "profiles-dir", global = true)]
    pub profiles_dirs: Vec<PathBuf>,
    #[command(subcommand)]
    pub action: ProfileAction,
}

#[derive(Debug, Subcommand)]
pub enum ProfileAction {
    /// List profiles: name, what they emulate, the file.
    List,
    /// Print a profile's effective settings (its parents merged in).
    Show {
        name: String,
        /// Only the switches whose value differs from the parent's.
        #[arg(long)]
        changed: bool,
    },
    /// Validate profile files; exits 1 and prints every error when any is broken.
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Compare two profiles switch by switch, with each switch's source.
    Diff { a: String, b: String },
    /// Print the JSON schema of profile files.
    Schema,
    /// Print the MS-STANXIMAP coverage table (each item, its switch, its value per profile).
    Coverage,
}

pub fn run(args: ProfileArgs) -> anyhow::Result<ExitCode> {
    let search = search(&args.profiles_dirs);
    match args.action {
        ProfileAction::Schema => print!("{}", schema::render()),
        ProfileAction::Coverage => print!("{}", crate::profile::coverage::table(&load(&search)?)),
        ProfileAction::Check { files } => return Ok(check(search, files)),
        ProfileAction::List => {
            let set = load(&search)?;
            for (name, e) in &set.profiles {
                println!("{name:<20} {:<45} {}", e.model.emulates, e.label);
            }
        }
        ProfileAction::Show { name, changed } => {
            let set = load(&search)?;
            let entry = get(&set, &name)?;
            let mut table = as_table(entry)?;
            if changed {
                if let Some(parent) = entry.model.extends.as_deref() {
                    table = changed_only(&table, &as_table(get(&set, parent)?)?);
                }
            }
            print!("{}", toml::to_string(&table)?);
        }
        ProfileAction::Diff { a, b } => {
            let set = load(&search)?;
            let (ta, tb) = (as_table(get(&set, &a)?)?, as_table(get(&set, &b)?)?);
            for line in diff(&ta, &tb) {
                println!("{line}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The default search: builtins, `./profiles`, and the extra directories.
pub fn search(extra: &[PathBuf]) -> Search {
    let mut dirs = Vec::new();
    if std::path::Path::new("profiles").is_dir() {
        dirs.push(PathBuf::from("profiles"));
    }
    dirs.extend(extra.iter().cloned());
    Search {
        dirs,
        files: Vec::new(),
    }
}

fn load(search: &Search) -> anyhow::Result<ProfileSet> {
    search
        .load()
        .map_err(|e| anyhow!("profiles do not load:\n{e}"))
}

fn get<'a>(set: &'a ProfileSet, name: &str) -> anyhow::Result<&'a Entry> {
    set.get(name).ok_or_else(|| {
        let known: Vec<&String> = set.profiles.keys().collect();
        anyhow!("no profile named {name:?}; known: {known:?}")
    })
}

fn check(mut search: Search, files: Vec<PathBuf>) -> ExitCode {
    for f in &files {
        if let Err(d) = Source::read(f) {
            println!("{d}");
            return ExitCode::FAILURE;
        }
    }
    search.files = files;
    match search.load() {
        Ok(set) => {
            println!("ok: {} profiles load", set.profiles.len());
            ExitCode::SUCCESS
        }
        Err(e) => {
            println!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn as_table(entry: &Entry) -> anyhow::Result<Table> {
    Ok(Table::try_from(&entry.model)?)
}

/// Sections reduced to the switches whose values differ from `parent`'s.
fn changed_only(table: &Table, parent: &Table) -> Table {
    let mut out = Table::new();
    for (key, value) in table {
        match (value.as_table(), parent.get(key).and_then(|v| v.as_table())) {
            (Some(section), Some(parent_section)) => {
                let differing: Table = section
                    .iter()
                    .filter(|(k, v)| parent_section.get(*k) != Some(*v))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                if !differing.is_empty() {
                    out.insert(key.clone(), toml::Value::Table(differing));
                }
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    out
}

/// `[section] switch: a -> b   (source)` for every switch that differs.
fn diff(a: &Table, b: &Table) -> Vec<String> {
    let mut out = Vec::new();
    for section in SECTIONS {
        let (Some(sa), Some(sb)) = (
            a.get(*section).and_then(|v| v.as_table()),
            b.get(*section).and_then(|v| v.as_table()),
        ) else {
            continue;
        };
        for (key, va) in sa {
            let vb = sb.get(key);
            if vb != Some(va) {
                let shown_b = vb.map_or("(unset)".to_string(), ToString::to_string);
                let source = schema::source_of(section, key);
                out.push(format!(
                    "[{section}] {key}: {va} -> {shown_b}    ({source})"
                ));
            }
        }
    }
    out
}
