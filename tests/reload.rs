//! Hot reload, end to end over real TCP: profile files in a temporary directory, a running
//! server, and the reload loop (`ReloadHandle`). Most tests call `reload()` directly, as
//! SIGHUP and the admin API do; one goes through real file-system events.

mod common;

use common::Client;
use imap_mimic::profile::load::Search;
use imap_mimic::profile::reload::watch::{spawn_watcher, DEBOUNCE};
use imap_mimic::profile::reload::{fixed_plan, Outcome, ReloadHandle, ReloadPlan};
use imap_mimic::server::config::{plan_source, Overrides, ServeConfig};
use imap_mimic::testkit::TestServer;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A profile extending exchange-2016 with its own greeting and sign-off.
fn custom(banner: &str, logout: &str) -> String {
    format!(
        "schema = 1\nname = \"custom\"\nemulates = \"a customer's server\"\nextends = \"exchange-2016\"\n\n[greeting]\nbanner = \"{banner}\"\nlogout = \"{logout}\"\n"
    )
}

struct Fixture {
    server: TestServer,
    handle: ReloadHandle,
    profiles: PathBuf,
    _dir: tempfile::TempDir,
}

/// A server for `profile` whose profiles come from `files`, written into a temporary
/// `profiles/` directory that the reload plan reads.
async fn fixture(profile: &str, files: &[(&str, &str)]) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let profiles = dir.path().join("profiles");
    std::fs::create_dir(&profiles).unwrap();
    for (name, text) in files {
        std::fs::write(profiles.join(name), text).unwrap();
    }
    let texts: Vec<&str> = files.iter().map(|(_, t)| *t).collect();
    let server = TestServer::start_with(profile, &texts).await.unwrap();
    let plan = ReloadPlan {
        search: Search {
            dirs: vec![profiles.clone()],
            files: Vec::new(),
        },
        required: vec![("listener".into(), profile.into())],
        ..ReloadPlan::default()
    };
    let handle = ReloadHandle::new(server.registry.clone(), fixed_plan(plan.clone()), plan);
    Fixture {
        server,
        handle,
        profiles,
        _dir: dir,
    }
}

async fn greeting(addr: std::net::SocketAddr) -> String {
    Client::plain(addr).await.line().await.expect("a greeting")
}

/// Replaces a file the way many editors save: write a new file, rename it over the old.
fn save(path: &Path, text: &str) {
    let tmp = path.with_extension("toml.tmp~");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

#[tokio::test]
async fn a_new_connection_sees_the_new_greeting_without_a_restart() {
    let f = fixture("custom", &[("custom.toml", &custom("first", "bye"))]).await;
    assert_eq!(greeting(f.server.addr).await, "* OK first");
    let before = f.handle.generation();
    std::fs::write(f.profiles.join("custom.toml"), custom("second", "bye")).unwrap();
    let report = f.handle.reload().await;
    assert_eq!(report.outcome, Outcome::Applied, "{report}");
    assert_eq!(report.generation, before + 1);
    assert_eq!(f.handle.generation(), before + 1);
    let changes: Vec<String> = report.changes.iter().map(ToString::to_string).collect();
    assert_eq!(
        changes,
        ["custom: [greeting] banner: \"first\" -> \"second\""]
    );
    assert_eq!(greeting(f.server.addr).await, "* OK second");
    let again = f.handle.reload().await;
    assert_eq!(again.outcome, Outcome::Unchanged);
    assert_eq!(again.generation, before + 1);
}

#[tokio::test]
async fn a_broken_edit_keeps_the_old_profile_and_reports_every_error() {
    let f = fixture("custom", &[("custom.toml", &custom("first", "bye"))]).await;
    let path = f.profiles.join("custom.toml");
    let broken = format!(
        "{}\n[timeouts]\nauthenticated_connection_timeout = \"long\"\n[auth]\nlogin_typo = \"x\"\n",
        custom("second", "bye")
    );
    std::fs::write(&path, broken).unwrap();
    let before = f.handle.generation();
    let report = f.handle.reload().await;
    let p = path.display();
    let expected = Outcome::Rejected {
        errors: vec![
            format!("{p}:11:36: [timeouts] authenticated_connection_timeout: invalid type: string \"long\", expected u32"),
            format!("{p}:13:1: unknown key `login_typo` in [auth]; expected one of: login_type, mechanisms, enable_gssapi_and_ntlm_auth, hide_mechanisms_while_plaintext_refused, login_disabled_over_tls, max_auth_failures"),
        ],
    };
    assert_eq!(report.outcome, expected, "{report}");
    assert_eq!(report.generation, before);
    assert!(report.changes.is_empty());
    assert_eq!(greeting(f.server.addr).await, "* OK first");
    std::fs::write(&path, custom("fixed", "bye")).unwrap();
    assert!(f.handle.reload().await.is_applied());
    assert_eq!(greeting(f.server.addr).await, "* OK fixed");
}

#[tokio::test]
async fn a_deleted_listener_profile_is_rejected() {
    let f = fixture("custom", &[("custom.toml", &custom("first", "bye"))]).await;
    std::fs::remove_file(f.profiles.join("custom.toml")).unwrap();
    let report = f.handle.reload().await;
    let expected = Outcome::Rejected {
        errors: vec!["listener serves profile \"custom\", which no longer exists".into()],
    };
    assert_eq!(report.outcome, expected);
    assert_eq!(greeting(f.server.addr).await, "* OK first");
}

#[tokio::test]
async fn an_existing_session_keeps_the_profile_it_started_with() {
    let f = fixture("custom", &[("custom.toml", &custom("first", "old bye"))]).await;
    let mut old = Client::plain(f.server.addr).await;
    assert_eq!(old.line().await.unwrap(), "* OK first");
    std::fs::write(f.profiles.join("custom.toml"), custom("second", "new bye")).unwrap();
    assert!(f.handle.reload().await.is_applied());
    let mut new = Client::plain(f.server.addr).await;
    assert_eq!(new.line().await.unwrap(), "* OK second");
    new.send("b1 LOGOUT").await;
    assert_eq!(new.until_tagged("b1").await[0], "* BYE new bye");
    old.send("a1 LOGOUT").await;
    assert_eq!(old.until_tagged("a1").await[0], "* BYE old bye");
}

#[tokio::test]
async fn editing_an_extends_parent_reloads_its_children() {
    let parent = "schema = 1\nname = \"parent\"\nemulates = \"p\"\nextends = \"exchange-2016\"\n[greeting]\nbanner = \"parent v1\"\n";
    let child = "schema = 1\nname = \"child\"\nemulates = \"c\"\nextends = \"parent\"\n[greeting]\nlogout = \"child bye\"\n";
    let f = fixture("child", &[("parent.toml", parent), ("child.toml", child)]).await;
    assert_eq!(greeting(f.server.addr).await, "* OK parent v1");
    std::fs::write(f.profiles.join("parent.toml"), parent.replace("v1", "v2")).unwrap();
    let report = f.handle.reload().await;
    let changes: Vec<String> = report.changes.iter().map(ToString::to_string).collect();
    assert_eq!(
        changes,
        [
            "child: [greeting] banner: \"parent v1\" -> \"parent v2\"",
            "parent: [greeting] banner: \"parent v1\" -> \"parent v2\"",
        ]
    );
    assert_eq!(greeting(f.server.addr).await, "* OK parent v2");
}

fn config_text(addr: &str, database: Option<&str>) -> String {
    let database = database.map_or(String::new(), |d| format!("database = \"{d}\"\n"));
    format!(
        "data = \"data\"\n{database}profiles_dirs = [\"profiles\"]\n\n[[listener]]\naddress = \"{addr}\"\ntls = \"starttls\"\nprofile = \"custom\"\n"
    )
}

#[tokio::test]
async fn changing_a_startup_setting_is_refused_with_the_fields_and_applies_nothing() {
    let f = fixture("custom", &[("custom.toml", &custom("first", "bye"))]).await;
    let config = f.profiles.parent().unwrap().join("imap-mimic.toml");
    let addr = f.server.addr.to_string();
    std::fs::write(&config, config_text(&addr, None)).unwrap();
    let initial = ServeConfig::load(Some(&config), &Overrides::default()).unwrap();
    let source = Arc::new(plan_source(Some(config.clone()), Overrides::default()));
    let handle = ReloadHandle::new(f.server.registry.clone(), source, initial.plan());
    let before = handle.generation();

    std::fs::write(&config, config_text("127.0.0.1:1", Some("sqlite:other.db"))).unwrap();
    std::fs::write(f.profiles.join("custom.toml"), custom("second", "bye")).unwrap();
    let report = handle.reload().await;
    let expected = Outcome::Refused {
        fields: vec![
            "database: (unset) -> sqlite:other.db".into(),
            format!("listener[0].address: {addr} -> 127.0.0.1:1"),
        ],
    };
    assert_eq!(report.outcome, expected, "{report}");
    assert_eq!(handle.generation(), before);
    assert_eq!(greeting(f.server.addr).await, "* OK first");

    // With a broken profile as well, every problem is reported together.
    let custom_path = f.profiles.join("custom.toml");
    std::fs::write(
        &custom_path,
        format!("{}oops = 1\n", custom("second", "bye")),
    )
    .unwrap();
    let report = handle.reload().await;
    let expected = Outcome::Rejected {
        errors: vec![
            format!("{}:9:1: unknown key `oops` in [greeting]; expected one of: banner, logout", custom_path.display()),
            "database: (unset) -> sqlite:other.db (a startup setting: restart to change it)".into(),
            format!("listener[0].address: {addr} -> 127.0.0.1:1 (a startup setting: restart to change it)"),
        ],
    };
    assert_eq!(report.outcome, expected, "{report}");
    std::fs::write(&custom_path, custom("second", "bye")).unwrap();

    std::fs::write(&config, config_text(&addr, None)).unwrap();
    assert!(handle.reload().await.is_applied());
    assert_eq!(greeting(f.server.addr).await, "* OK second");
}

#[tokio::test]
async fn a_broken_config_file_is_rejected_with_its_position() {
    let f = fixture("custom", &[("custom.toml", &custom("first", "bye"))]).await;
    let config = f.profiles.parent().unwrap().join("imap-mimic.toml");
    let addr = f.server.addr.to_string();
    std::fs::write(&config, config_text(&addr, None)).unwrap();
    let initial = ServeConfig::load(Some(&config), &Overrides::default()).unwrap();
    let source = Arc::new(plan_source(Some(config.clone()), Overrides::default()));
    let handle = ReloadHandle::new(f.server.registry.clone(), source, initial.plan());
    std::fs::write(&config, format!("{}listen = 1\n", config_text(&addr, None))).unwrap();
    let report = handle.reload().await;
    let Outcome::Rejected { errors } = &report.outcome else {
        panic!("{report}");
    };
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].starts_with(&format!(
            "{}:8:1: unknown key `listen` in [[listener]]",
            config.display()
        )),
        "{errors:?}"
    );
}

#[tokio::test]
async fn a_saved_file_is_in_force_for_new_connections_through_file_system_events() {
    let f = fixture("custom", &[("custom.toml", &custom("first", "bye"))]).await;
    let _watcher = spawn_watcher(f.handle.clone(), DEBOUNCE).unwrap();
    let path = f.profiles.join("custom.toml");
    // The watcher may need a moment to register; saving until it is seen keeps the test
    // free of fixed sleeps and still bounded.
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut n = 0;
    loop {
        n += 1;
        let banner = format!("edit {n}");
        save(&path, &custom(&banner, "bye"));
        let seen = poll_greeting(f.server.addr, &banner, Duration::from_secs(2)).await;
        if seen {
            break;
        }
        assert!(Instant::now() < deadline, "the edit never took effect");
    }
    // Once watching, one more save (renamed over the old file) is seen too.
    save(&path, &custom("last", "bye"));
    assert!(poll_greeting(f.server.addr, "last", Duration::from_secs(5)).await);
}

/// Connects until the greeting is `* OK {banner}` or `within` has passed.
async fn poll_greeting(addr: std::net::SocketAddr, banner: &str, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    let expected = format!("* OK {banner}");
    while Instant::now() < deadline {
        if greeting(addr).await == expected {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

#[tokio::test]
async fn certificate_contents_reload_and_a_broken_certificate_rejects_the_reload() {
    use imap_mimic::server::tls::{ensure_generated, CertPaths, CertStore};
    let f = fixture("custom", &[("custom.toml", &custom("first", "bye"))]).await;
    let paths = CertPaths::generated_in(f.profiles.parent().unwrap());
    ensure_generated(&paths).unwrap();
    let certs = CertStore::open(paths.clone()).unwrap();
    let handle = f.handle.clone().with_certificates(certs.clone());
    let old_fingerprint = certs.fingerprint();

    std::fs::write(&paths.cert, "not a certificate\n").unwrap();
    std::fs::write(f.profiles.join("custom.toml"), custom("second", "bye")).unwrap();
    let report = handle.reload().await;
    let Outcome::Rejected { errors } = &report.outcome else {
        panic!("{report}");
    };
    assert!(
        errors[0].contains(&paths.cert.display().to_string()),
        "{errors:?}"
    );
    assert_eq!(greeting(f.server.addr).await, "* OK first");
    assert_eq!(certs.fingerprint(), old_fingerprint);

    std::fs::remove_file(&paths.cert).unwrap();
    ensure_generated(&paths).unwrap();
    assert!(handle.reload().await.is_applied());
    assert_ne!(
        certs.fingerprint(),
        old_fingerprint,
        "the renewed certificate is in use"
    );
    assert_eq!(greeting(f.server.addr).await, "* OK second");
}
