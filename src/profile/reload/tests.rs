use super::*;
use crate::profile::load::Source;

fn set_with(extra: &[&str]) -> ProfileSet {
    let mut sources = Source::builtin();
    sources.extend(extra.iter().map(|text| Source {
        label: "test".into(),
        path: None,
        text: text.to_string(),
    }));
    ProfileSet::load(sources).unwrap_or_else(|e| panic!("{e}"))
}

const PARENT: &str = "schema = 1\nname = \"p\"\nemulates = \"parent\"\nextends = \"rfc3501\"\n";
const CHILD: &str = "schema = 1\nname = \"c\"\nemulates = \"child\"\nextends = \"p\"\n";

#[test]
fn a_parent_change_shows_under_every_child_switch_by_switch() {
    let old = set_with(&[PARENT, CHILD]);
    let edited = format!("{PARENT}[greeting]\nbanner = \"new banner\"\n");
    let new = set_with(&[&edited, CHILD]);
    let shown: Vec<String> = diff::diff(&old, &new)
        .iter()
        .map(ToString::to_string)
        .collect();
    let old_banner = &old.get("p").unwrap().model.greeting.banner;
    assert_eq!(
        shown,
        [
            format!("c: [greeting] banner: {old_banner:?} -> \"new banner\""),
            format!("p: [greeting] banner: {old_banner:?} -> \"new banner\""),
        ]
    );
}

#[test]
fn added_and_removed_profiles_and_header_changes_are_listed() {
    let old = set_with(&[PARENT]);
    let new = set_with(&[
        &PARENT.replace("emulates = \"parent\"", "emulates = \"other\""),
        CHILD,
    ]);
    let shown: Vec<String> = diff::diff(&old, &new)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(shown, ["p: emulates: \"parent\" -> \"other\"", "c: added"]);
    let shown: Vec<String> = diff::diff(&new, &old)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        shown,
        ["c: removed", "p: emulates: \"other\" -> \"parent\""]
    );
}

#[test]
fn changed_startup_fields_are_named_with_both_values() {
    let old: BTreeMap<String, String> =
        [("database".into(), "a".into()), ("x".into(), "1".into())].into();
    let new: BTreeMap<String, String> = [
        ("database".into(), "b".into()),
        ("x".into(), "1".into()),
        ("y".into(), "2".into()),
    ]
    .into();
    assert_eq!(
        changed_fields(&old, &new),
        ["database: a -> b", "y: (unset) -> 2"]
    );
}

#[test]
fn the_watch_set_follows_profile_files_directories_and_the_config() {
    let dir = std::env::temp_dir().join("imap-mimic-watchset");
    let plan = ReloadPlan {
        search: Search {
            dirs: vec![dir.join("profiles")],
            files: vec![dir.join("one/x.toml")],
        },
        watch_files: vec![dir.join("imap-mimic.toml")],
        ..ReloadPlan::default()
    };
    let set = set_with(&[]);
    let w = watch::WatchSet::of(&plan, &set);
    assert!(w.is_relevant(&dir.join("profiles/new.toml")));
    assert!(!w.is_relevant(&dir.join("profiles/new.toml.swp")));
    assert!(w.is_relevant(&dir.join("one/x.toml")));
    assert!(!w.is_relevant(&dir.join("one/y.toml")));
    assert!(w.is_relevant(&dir.join("imap-mimic.toml")));
    let dirs: Vec<PathBuf> = w.directories().into_iter().collect();
    assert_eq!(dirs, [dir.clone(), dir.join("one"), dir.join("profiles")]);
}

#[test]
fn reports_serialize_for_the_admin_api() {
    let report = ReloadReport {
        generation: 4,
        outcome: Outcome::Refused {
            fields: vec!["database: a -> b".into()],
        },
        changes: Vec::new(),
    };
    assert_eq!(
        serde_json::to_value(&report).unwrap(),
        serde_json::json!({"generation": 4, "status": "refused", "fields": ["database: a -> b"], "changes": []})
    );
    let applied = ReloadReport {
        generation: 5,
        outcome: Outcome::Applied,
        changes: vec![Change {
            profile: "p".into(),
            what: "[greeting] banner".into(),
            from: Some("\"a\"".into()),
            to: Some("\"b\"".into()),
        }],
    };
    assert_eq!(
        serde_json::to_value(&applied).unwrap(),
        serde_json::json!({"generation": 5, "status": "applied", "changes": [{"profile": "p", "what": "[greeting] banner", "from": "\"a\"", "to": "\"b\""}]})
    );
    assert_eq!(
        applied.to_string(),
        "generation 5 in force, changes: 1\np: [greeting] banner: \"a\" -> \"b\""
    );
}
