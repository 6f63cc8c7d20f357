//! Pins what the profile layer promises: every shipped profile loads and compiles (from the
//! binary and from disk), the checked-in JSON schema is the one the model generates, an
//! unknown `schema` version is a clear error, and `imap-mimic profile check` on broken files
//! prints the expected messages (golden files under `tests/profile_check/`, run through the
//! real binary).
//!
//! `UPDATE_GOLDENS=1 cargo test --test profiles` rewrites the goldens after a deliberate
//! change of wording; review the diff.

use imap_mimic::profile::load::{parse, ProfileSet, Source, BUILTIN};
use imap_mimic::profile::schema;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn shipped_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("profiles"))
        .expect("profiles/ exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_builtin_profile_loads_and_compiles() {
    let set = ProfileSet::load(Source::builtin()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(set.profiles.len(), BUILTIN.len());
    for (name, entry) in &set.profiles {
        assert_eq!(&entry.compiled.name, name);
        assert_eq!(entry.model.schema, 1, "{name}");
    }
}

#[test]
fn every_file_in_profiles_is_a_builtin_and_loads_from_disk() {
    let files = shipped_files();
    assert!(files.len() >= 7, "the seven shipped profiles: {files:?}");
    let sources: Vec<Source> = files.iter().map(|f| Source::read(f).unwrap()).collect();
    let set = ProfileSet::load(sources).unwrap_or_else(|e| panic!("{e}"));
    for file in &files {
        let name = file.file_name().unwrap().to_str().unwrap();
        let builtin = BUILTIN.iter().find(|(n, _)| *n == name);
        let (_, text) = builtin.unwrap_or_else(|| panic!("{name} is not in load::BUILTIN"));
        assert_eq!(*text, std::fs::read_to_string(file).unwrap(), "{name}");
        let stem = name.trim_end_matches(".toml");
        let entry = set
            .get(stem)
            .unwrap_or_else(|| panic!("{name} must set name = {stem:?}"));
        // The watcher depends on `files`: the profile's own file first, then its parents.
        assert_eq!(entry.files[0], *file);
    }
}

#[test]
fn every_shipped_profile_points_editors_at_the_schema() {
    for file in shipped_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let first = text.lines().next().unwrap_or_default();
        assert_eq!(
            first,
            format!("#:schema ../{}", schema::FILE),
            "{}",
            file.display()
        );
    }
}

#[test]
fn checked_in_schema_is_the_generated_one() {
    let on_disk = std::fs::read_to_string(root().join(schema::FILE)).unwrap();
    assert!(
        on_disk == schema::render(),
        "{} is stale: run `cargo run -- profile schema > {}`",
        schema::FILE,
        schema::FILE
    );
}

#[test]
fn an_unknown_schema_version_is_a_clear_error() {
    let source = Source {
        label: "future.toml".to_string(),
        path: None,
        text: "schema = 2\nname = \"future\"\nemulates = \"x\"\nextends = \"rfc3501\"\n".into(),
    };
    let errors = parse(source).expect_err("schema 2 is refused");
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        ["future.toml:1:10: `schema`: profile schema version 2 is not supported by this build (it reads version 1); see README \"Profile versions\""]
    );
}

/// A `profile check` run: the golden's name and the files it checks.
const CASES: &[(&str, &[&str])] = &[
    ("good", &["good.toml"]),
    ("unknown-key", &["unknown-key.toml"]),
    ("wrong-type", &["wrong-type.toml"]),
    ("schema-2", &["schema-2.toml"]),
    ("syntax", &["syntax.toml"]),
    ("unknown-parent", &["unknown-parent.toml"]),
    ("missing-header", &["missing-header.toml"]),
    ("incomplete-root", &["incomplete-root.toml"]),
    ("cycle", &["cycle-a.toml", "cycle-b.toml"]),
    // Only the parent's error: the child is fine, and "no parent" would mislead.
    (
        "broken-parent",
        &["broken-parent.toml", "child-of-broken.toml"],
    ),
    (
        "several-files",
        &["unknown-key.toml", "good.toml", "wrong-type.toml"],
    ),
    ("missing-file", &["no-such-file.toml"]),
];

fn run_check(dir: &Path, files: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_imap-mimic"))
        .current_dir(dir)
        .env("IMAP_MIMIC_LOG", "off")
        .args(["profile", "check"])
        .args(files)
        .output()
        .expect("run imap-mimic");
    let mut shown = String::from_utf8_lossy(&output.stdout).into_owned();
    shown.push_str(&String::from_utf8_lossy(&output.stderr));
    // "No such file" wording comes from the OS; keep the golden portable.
    let shown = shown.replace("(os error 2)", "(os error)");
    format!("{shown}exit: {}\n", output.status.code().unwrap_or(-1))
}

#[test]
fn profile_check_prints_every_error_as_the_goldens_say() {
    let dir = root().join("tests/profile_check");
    let update = std::env::var_os("UPDATE_GOLDENS").is_some();
    let mut stale = Vec::new();
    for (case, files) in CASES {
        let shown = run_check(&dir, files);
        let golden = dir.join(format!("{case}.out"));
        if update {
            std::fs::write(&golden, &shown).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&golden).unwrap_or_default();
        if shown != expected {
            stale.push(format!("--- {case}: expected\n{expected}--- got\n{shown}"));
        }
    }
    assert!(stale.is_empty(), "{}", stale.join("\n"));
}
