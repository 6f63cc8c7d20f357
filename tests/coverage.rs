//! The MS-STANXIMAP coverage table in the README is the one the model and the shipped
//! profiles generate, and every item in it is exercised by a transcript or an integration
//! test that names it.

use imap_mimic::profile::coverage::{table, ITEMS};
use imap_mimic::profile::load::{ProfileSet, Source};
use std::path::{Path, PathBuf};

const START: &str = "<!-- coverage:start -->\n";
const END: &str = "<!-- coverage:end -->";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn readme_table_matches_the_model() {
    let set = ProfileSet::load(Source::builtin()).expect("shipped profiles load");
    let generated = table(&set);
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme.find(START).expect("README has the coverage markers") + START.len();
    let end = readme.find(END).expect("README has the end marker");
    assert!(
        readme[start..end] == generated,
        "README coverage table is stale: run `imap-mimic profile coverage` and paste it between the markers"
    );
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|x| x == "txt" || x == "rs")
            && !path.ends_with("coverage.rs")
        {
            out.push(path);
        }
    }
}

#[test]
fn every_item_has_a_test_that_names_it() {
    let mut paths = Vec::new();
    files(&root().join("tests"), &mut paths);
    let texts: Vec<String> = paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    let missing: Vec<&str> = ITEMS
        .iter()
        .map(|(id, _, _)| *id)
        .filter(|id| !texts.iter().any(|t| t.contains(id)))
        .collect();
    assert!(
        missing.is_empty(),
        "no transcript or test names: {missing:?}"
    );
}
