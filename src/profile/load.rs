//! Loading profile files: parse with spans, take every key with a precise error, resolve
//! `extends`, merge, and report every problem of a load at once (vector's all-or-nothing
//! reload), each as `file:line:column: message`.

use super::compile::CompiledProfile;
use super::model::{self, Header, Profile, ProfilePatch, SCHEMA_VERSION};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// The profiles shipped with imap-mimic, compiled into the binary so it runs anywhere; files
/// on disk with the same `name` replace them.
pub const BUILTIN: &[(&str, &str)] = &[
    ("rfc3501.toml", include_str!("../../profiles/rfc3501.toml")),
    (
        "exchange-2007.toml",
        include_str!("../../profiles/exchange-2007.toml"),
    ),
    (
        "exchange-2010.toml",
        include_str!("../../profiles/exchange-2010.toml"),
    ),
    (
        "exchange-2010-sp1.toml",
        include_str!("../../profiles/exchange-2010-sp1.toml"),
    ),
    (
        "exchange-2010-sp2.toml",
        include_str!("../../profiles/exchange-2010-sp2.toml"),
    ),
    (
        "exchange-2013.toml",
        include_str!("../../profiles/exchange-2013.toml"),
    ),
    (
        "exchange-2016.toml",
        include_str!("../../profiles/exchange-2016.toml"),
    ),
];

/// One problem in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Line 0: about the file as a whole (it cannot be read), not a place in it.
        if self.line == 0 {
            return write!(f, "{}: {}", self.file, self.message);
        }
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// Every problem of a load.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct LoadError(pub Vec<Diagnostic>);

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&lines.join("\n"))
    }
}

/// A profile file's text and where it came from.
#[derive(Clone, Debug)]
pub struct Source {
    /// Shown in messages: the path, or `builtin:<file>`.
    pub label: String,
    pub path: Option<PathBuf>,
    pub text: String,
}

impl Source {
    pub fn builtin() -> Vec<Source> {
        BUILTIN
            .iter()
            .map(|(file, text)| Source {
                label: format!("builtin:{file}"),
                path: None,
                text: text.to_string(),
            })
            .collect()
    }

    pub fn read(path: &Path) -> Result<Source, Diagnostic> {
        let text = std::fs::read_to_string(path).map_err(|e| Diagnostic {
            file: path.display().to_string(),
            line: 0,
            column: 0,
            message: format!("cannot read: {e}"),
        })?;
        Ok(Source {
            label: path.display().to_string(),
            path: Some(path.to_path_buf()),
            text,
        })
    }

    /// Every `*.toml` file in `dir`, sorted by name.
    pub fn read_dir(dir: &Path) -> Result<Vec<Source>, Diagnostic> {
        let entries = std::fs::read_dir(dir).map_err(|e| Diagnostic {
            file: dir.display().to_string(),
            line: 0,
            column: 0,
            message: format!("cannot read profile directory: {e}"),
        })?;
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        paths.iter().map(|p| Source::read(p)).collect()
    }
}

/// One parsed file.
#[derive(Clone, Debug)]
pub struct Parsed {
    pub source: Source,
    pub header: Header,
    pub patch: ProfilePatch,
    /// Where `extends` was written, for "unknown parent" messages.
    extends_at: (usize, usize),
}

/// Parses one file, collecting every problem in it.
pub fn parse(source: Source) -> Result<Parsed, Vec<Diagnostic>> {
    let at = |span: std::ops::Range<usize>, message: String| {
        let (line, column) = line_col(&source.text, span.start);
        Diagnostic {
            file: source.label.clone(),
            line,
            column,
            message,
        }
    };
    let (table, syntax) = DeTable::parse_recoverable(&source.text);
    let mut errors: Vec<Diagnostic> = syntax
        .iter()
        .map(|e| at(e.span().unwrap_or(0..0), e.message().to_string()))
        .collect();
    let mut header = Header::default();
    let mut patch = ProfilePatch::default();
    let mut extends_at = 0..0;
    let mut seen_schema = false;
    for (key, value) in table.into_inner() {
        let key_span = key.span();
        let value_span = value.span();
        let name = key.into_inner();
        let result = match name.as_ref() {
            "schema" => {
                seen_schema = true;
                take_schema(value, &mut header)
            }
            "name" => take_string(value).map(|v| header.name = v),
            "emulates" => take_string(value).map(|v| header.emulates = v),
            "extends" => {
                extends_at = value_span.clone();
                take_string(value).map(|v| header.extends = Some(v))
            }
            "sources" => model::section::value(value)
                .map(|v| header.sources = v)
                .map_err(describe),
            section => {
                take_section(section, value, &mut patch, &mut |span, msg| {
                    errors.push(at(span, msg))
                });
                Ok(())
            }
        };
        if let Err(message) = result {
            let span = if model::SECTIONS.contains(&name.as_ref()) {
                key_span
            } else {
                value_span
            };
            errors.push(at(span, format!("`{name}`: {message}")));
        }
    }
    if syntax.is_empty() {
        check_header(&header, seen_schema, &mut |msg| errors.push(at(0..0, msg)));
    }
    if !errors.is_empty() {
        errors.sort_by_key(|d| (d.line, d.column));
        return Err(errors);
    }
    let extends_at = line_col(&source.text, extends_at.start);
    Ok(Parsed {
        source,
        header,
        patch,
        extends_at,
    })
}

fn check_header(header: &Header, seen_schema: bool, report: &mut dyn FnMut(String)) {
    if !seen_schema {
        report(format!("missing `schema = {SCHEMA_VERSION}`"));
    }
    if header.name.is_empty() {
        report("missing `name`".to_string());
    }
    if header.emulates.is_empty() {
        report("missing `emulates`".to_string());
    }
}

fn take_schema(value: Spanned<DeValue<'_>>, header: &mut Header) -> Result<(), String> {
    let v: i64 = model::section::value(value).map_err(describe)?;
    if v != SCHEMA_VERSION as i64 {
        return Err(format!(
            "profile schema version {v} is not supported by this build (it reads version {SCHEMA_VERSION}); see README \"Profile versions\""
        ));
    }
    header.schema = SCHEMA_VERSION;
    Ok(())
}

fn take_string(value: Spanned<DeValue<'_>>) -> Result<String, String> {
    let v: String = model::section::value(value).map_err(describe)?;
    if v.trim().is_empty() {
        return Err("must not be empty".to_string());
    }
    Ok(v)
}

/// Takes every key of one `[section]`, reporting each bad key on its own.
fn take_section(
    section: &str,
    value: Spanned<DeValue<'_>>,
    patch: &mut ProfilePatch,
    report: &mut dyn FnMut(std::ops::Range<usize>, String),
) {
    let span = value.span();
    let DeValue::Table(table) = value.into_inner() else {
        let message = match model::SECTIONS.contains(&section) {
            true => format!("`{section}` must be a table ([{section}])"),
            false => unknown_key(section, "the top level", &all_top_keys()),
        };
        return report(span, message);
    };
    for (key, value) in table {
        let key_span = key.span();
        let value_span = value.span();
        let key = key.into_inner();
        match patch.set(section, &key, value) {
            Ok(()) => {}
            Err(None) => {
                return report(span, unknown_key(section, "the top level", &all_top_keys()))
            }
            Err(Some(model::FieldError::Unknown)) => {
                let known = model::section_fields(section);
                report(key_span, unknown_key(&key, &format!("[{section}]"), known))
            }
            Err(Some(e)) => report(value_span, format!("[{section}] {key}: {}", describe(e))),
        }
    }
}

fn all_top_keys() -> Vec<&'static str> {
    model::HEADER_KEYS
        .iter()
        .chain(model::SECTIONS)
        .copied()
        .collect()
}

fn unknown_key(key: &str, place: &str, known: &[&str]) -> String {
    format!(
        "unknown key `{key}` in {place}; expected one of: {}",
        known.join(", ")
    )
}

fn describe(e: model::FieldError) -> String {
    match e {
        model::FieldError::Unknown => "unknown".to_string(),
        model::FieldError::Type(m) => m.trim_end().to_string(),
        model::FieldError::Invalid(m) => m,
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// All profiles of one load, merged and compiled.
#[derive(Clone, Debug)]
pub struct ProfileSet {
    pub profiles: BTreeMap<String, Entry>,
}

/// One loaded profile.
#[derive(Clone, Debug)]
pub struct Entry {
    pub model: Profile,
    pub compiled: Arc<CompiledProfile>,
    /// This file's own switches (for `profile show --changed`).
    pub own: ProfilePatch,
    /// The file and its ancestors' files, for the watcher.
    pub files: Vec<PathBuf>,
    pub label: String,
}

impl ProfileSet {
    /// Parses, merges and compiles `sources`; a later source replaces an earlier one with
    /// the same `name` (files on disk replace builtins).
    pub fn load(sources: Vec<Source>) -> Result<ProfileSet, LoadError> {
        let mut errors = Vec::new();
        let mut by_name: BTreeMap<String, Parsed> = BTreeMap::new();
        // Names of files that do not parse: their children are not reported again as
        // "no profile named", the parent's own errors say what is wrong.
        let mut broken = std::collections::BTreeSet::new();
        for source in sources {
            let name = declared_name(&source.text);
            match parse(source) {
                Ok(p) => {
                    by_name.insert(p.header.name.clone(), p);
                }
                Err(mut e) => {
                    broken.extend(name);
                    errors.append(&mut e)
                }
            }
        }
        let mut profiles = BTreeMap::new();
        for name in by_name.keys() {
            match resolve(name, &by_name, &broken) {
                Ok(entry) => {
                    profiles.insert(name.clone(), entry);
                }
                Err(mut e) => errors.append(&mut e),
            }
        }
        if errors.is_empty() {
            Ok(ProfileSet { profiles })
        } else {
            errors.dedup();
            Err(LoadError(errors))
        }
    }

    pub fn get(&self, name: &str) -> Option<&Entry> {
        self.profiles.get(name)
    }
}

/// The `name` a file declares, read leniently (the file may have errors elsewhere).
fn declared_name(text: &str) -> Option<String> {
    let (table, _) = DeTable::parse_recoverable(text);
    let name = table.get_ref().get("name")?;
    name.get_ref().as_str().map(str::to_string)
}

/// Walks `extends` from `name` to its root, merges root first, and compiles.
fn resolve(
    name: &str,
    all: &BTreeMap<String, Parsed>,
    broken: &std::collections::BTreeSet<String>,
) -> Result<Entry, Vec<Diagnostic>> {
    let mut chain: Vec<&Parsed> = Vec::new();
    let mut current = &all[name];
    loop {
        if chain.iter().any(|p| p.header.name == current.header.name) {
            return Err(vec![diagnostic(
                current,
                "`extends` forms a cycle".to_string(),
            )]);
        }
        chain.push(current);
        let Some(parent) = &current.header.extends else {
            break;
        };
        current = match all.get(parent) {
            Some(p) => p,
            None if broken.contains(parent) => return Err(Vec::new()),
            None => {
                return Err(vec![diagnostic(
                    current,
                    format!("`extends`: no profile named {parent:?}"),
                )])
            }
        };
    }
    let leaf = chain[0];
    let mut merged = ProfilePatch::default();
    for parsed in chain.iter().rev() {
        merged.merge(parsed.patch.clone());
    }
    let model = merged.finish(leaf.header.clone()).map_err(|missing| {
        let message = format!(
            "profile {name:?} (with its parents) does not set: {}",
            missing.join(", ")
        );
        vec![diagnostic(leaf, message)]
    })?;
    let mut compiled = CompiledProfile::compile(&model).map_err(|e| vec![diagnostic(leaf, e)])?;
    compiled.hooks = load_hooks(&model, &chain)?;
    let mut files: Vec<PathBuf> = chain.iter().filter_map(|p| p.source.path.clone()).collect();
    files.extend(compiled.hooks.iter().flat_map(|h| h.files()));
    Ok(Entry {
        model,
        compiled: Arc::new(compiled),
        own: leaf.patch.clone(),
        files,
        label: leaf.source.label.clone(),
    })
}

/// Compiles the `[hooks]` scripts, relative to the file (leaf or ancestor) that set
/// `scripts`; a builtin profile has no directory, so it cannot name scripts.
fn load_hooks(
    model: &Profile,
    chain: &[&Parsed],
) -> Result<Option<Arc<crate::hooks::Hooks>>, Vec<Diagnostic>> {
    if model.hooks.scripts.is_empty() {
        return Ok(None);
    }
    let setter = chain.iter().find(|p| p.patch.hooks.scripts.is_some());
    let base = match setter.map(|p| (p, p.source.path.as_deref())) {
        Some((_, Some(path))) => path.parent().map(Path::to_path_buf),
        Some((p, None)) => {
            let message =
                "[hooks] scripts: a profile without a file on disk cannot name scripts".to_string();
            return Err(vec![diagnostic(p, message)]);
        }
        None => None,
    };
    let hooks = crate::hooks::Hooks::load(&model.hooks, base.as_deref())?;
    Ok(hooks.map(Arc::new))
}

fn diagnostic(parsed: &Parsed, message: String) -> Diagnostic {
    let (line, column) = match parsed.header.extends {
        Some(_) if message.starts_with("`extends`") => parsed.extends_at,
        _ => (1, 1),
    };
    Diagnostic {
        file: parsed.source.label.clone(),
        line,
        column,
        message,
    }
}

/// Where profiles come from: the builtins, then every `*.toml` of each directory, then
/// single files (a later source replaces an earlier one with the same `name`).
#[derive(Clone, Debug, Default)]
pub struct Search {
    pub dirs: Vec<PathBuf>,
    pub files: Vec<PathBuf>,
}

impl Search {
    /// Reads and loads everything the search names.
    pub fn load(&self) -> Result<ProfileSet, LoadError> {
        let mut sources = Source::builtin();
        let mut errors = Vec::new();
        for dir in &self.dirs {
            match Source::read_dir(dir) {
                Ok(mut s) => sources.append(&mut s),
                Err(e) => errors.push(e),
            }
        }
        for file in &self.files {
            match Source::read(file) {
                Ok(s) => sources.push(s),
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Err(LoadError(errors));
        }
        ProfileSet::load(sources)
    }
}
