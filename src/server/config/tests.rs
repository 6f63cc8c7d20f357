use super::*;

fn write(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("imap-mimic.toml");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

fn errors(text: &str) -> Vec<String> {
    parse::parse("c.toml", text)
        .expect_err("the file is refused")
        .iter()
        .map(ToString::to_string)
        .collect()
}

const TWO_LISTENERS: &str = r#"
data = "state"
admin = "127.0.0.1:8143"
profiles_dirs = ["mine"]

[tls]
cert = "c.pem"
key = "k.pem"

[[listener]]
address = "127.0.0.1:1143"
tls = "starttls"
profile = "exchange-2007"

[[listener]]
address = "127.0.0.1:1993"
tls = "implicit"
"#;

#[test]
fn every_unknown_key_is_reported_with_its_position() {
    let text = "dta = \"x\"\n[tls]\ncert = \"a\"\nkey = \"b\"\nchain = \"c\"\n[[listener]]\naddress = \"127.0.0.1:1\"\ntls = \"none\"\nport = 1\n";
    assert_eq!(
        errors(text),
        [
            "c.toml:1:1: unknown key `dta` in the top level; expected one of: data, database, admin, profiles_dirs, tls, listener",
            "c.toml:5:1: unknown key `chain` in [tls]; expected one of: cert, key",
            "c.toml:9:1: unknown key `port` in [[listener]]; expected one of: address, tls, profile",
        ]
    );
}

#[test]
fn wrong_values_are_reported_with_their_position() {
    let text = "[[listener]]\naddress = \"127.0.0.1:1\"\ntls = \"sometimes\"\n";
    let shown = errors(text);
    assert_eq!(shown.len(), 1);
    assert!(
        shown[0].starts_with("c.toml:3:7: unknown variant `sometimes`, expected one of `none`, `starttls`, `implicit`"),
        "{shown:?}"
    );
    let shown = errors("admin = \"localhost\"\n");
    assert!(shown[0].starts_with("c.toml:1:9: "), "{shown:?}");
    let shown = errors("data = \n");
    assert!(shown[0].starts_with("c.toml:1:"), "{shown:?}");
}

#[test]
fn the_file_gives_listeners_paths_relative_to_itself_and_the_admin_address() {
    let (dir, path) = write(TWO_LISTENERS);
    let config = ServeConfig::load(Some(&path), &Overrides::default()).unwrap();
    let base = dir.path();
    assert_eq!(config.data, base.join("state"));
    assert_eq!(config.profiles_dirs, [base.join("mine")]);
    assert_eq!(config.admin, Some("127.0.0.1:8143".parse().unwrap()));
    assert_eq!(config.tls.as_ref().unwrap().cert, base.join("c.pem"));
    let shown: Vec<(String, TlsMode, &str)> = config
        .listeners
        .iter()
        .map(|l| (l.address.to_string(), l.tls, l.profile.as_str()))
        .collect();
    assert_eq!(
        shown,
        [
            ("127.0.0.1:1143".into(), TlsMode::Starttls, "exchange-2007"),
            ("127.0.0.1:1993".into(), TlsMode::Implicit, DEFAULT_PROFILE),
        ]
    );
}

#[test]
fn command_line_flags_override_the_file() {
    let (_dir, path) = write(TWO_LISTENERS);
    let overrides = Overrides {
        profile: Some("rfc3501".into()),
        listen: vec!["127.0.0.1:2143".parse().unwrap()],
        data: Some(PathBuf::from("elsewhere")),
        database: Some("postgres://db/x".into()),
        profiles_dirs: vec![PathBuf::from("extra")],
        ..Overrides::default()
    };
    let config = ServeConfig::load(Some(&path), &overrides).unwrap();
    assert_eq!(
        config.listeners,
        [ListenerConfig {
            address: "127.0.0.1:2143".parse().unwrap(),
            tls: TlsMode::Starttls,
            profile: "rfc3501".into(),
        }]
    );
    assert_eq!(config.data, PathBuf::from("elsewhere"));
    assert_eq!(config.database.as_deref(), Some("postgres://db/x"));
    assert_eq!(config.profiles_dirs[1], PathBuf::from("extra"));
}

#[test]
fn listen_tls_alone_keeps_the_default_starttls_listener() {
    let overrides = Overrides {
        listen_tls: vec!["127.0.0.1:1993".parse().unwrap()],
        ..Overrides::default()
    };
    let config = ServeConfig::load(None, &overrides).unwrap();
    let shown: Vec<(String, TlsMode)> = config
        .listeners
        .iter()
        .map(|l| (l.address.to_string(), l.tls))
        .collect();
    assert_eq!(
        shown,
        [
            (DEFAULT_LISTEN.to_string(), TlsMode::Starttls),
            ("127.0.0.1:1993".to_string(), TlsMode::Implicit),
        ]
    );
}

#[test]
fn without_a_file_the_defaults_apply() {
    let config = ServeConfig::load(None, &Overrides::default()).unwrap();
    assert_eq!(config.listeners[0].address.to_string(), DEFAULT_LISTEN);
    assert_eq!(config.listeners[0].profile, DEFAULT_PROFILE);
    assert_eq!(config.data, PathBuf::from(DEFAULT_DATA));
    assert_eq!(config.admin, None);
}

#[test]
fn startup_fields_name_what_a_reload_cannot_change() {
    let (_dir, path) = write(TWO_LISTENERS);
    let config = ServeConfig::load(Some(&path), &Overrides::default()).unwrap();
    let fields = config.startup_fields();
    assert_eq!(fields["listener[1].address"], "127.0.0.1:1993");
    assert_eq!(fields["listeners"], "2");
    assert_eq!(fields["database"], "(unset)");
    let base = path.parent().unwrap();
    let watched = config.plan().watch_files;
    assert_eq!(
        watched,
        [path.clone(), base.join("c.pem"), base.join("k.pem")]
    );
}

#[test]
fn the_shipped_example_parses() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("imap-mimic.example.toml");
    let config = ServeConfig::load(Some(&path), &Overrides::default()).unwrap();
    let profiles: Vec<&str> = config
        .listeners
        .iter()
        .map(|l| l.profile.as_str())
        .collect();
    assert!(profiles.contains(&"exchange-2007") && profiles.contains(&"exchange-2016"));
}
