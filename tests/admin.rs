//! The admin API over HTTP against a real server, with IMAP sessions over real TCP
//! watching: changes made from outside (MS-STANXIMAP V0013, V0046, §2.1.2, §2.1.3) reach
//! an idling session exactly as its profile says; auth, 404 and 400 bodies; sessions,
//! profiles, metrics and the OpenAPI document.

mod common;

use common::Client;
use imap_mimic::admin::client::{self, Response};
use imap_mimic::admin::{AdminServer, AdminState};
use imap_mimic::password::Cost;
use imap_mimic::profile::load::Search;
use imap_mimic::profile::reload::{fixed_plan, ReloadHandle, ReloadPlan};
use imap_mimic::testkit::TestServer;
use serde_json::{json, Value};
use std::path::PathBuf;

const TOKEN: &str = "test-token";

struct Setup {
    server: TestServer,
    admin: AdminServer,
}

impl Setup {
    async fn start(profile: &str) -> Setup {
        let server = TestServer::start(profile).await.unwrap();
        server.add_user("alice", "secret").await.unwrap();
        let search = Search {
            dirs: vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("profiles")],
            files: Vec::new(),
        };
        let plan = ReloadPlan {
            search,
            required: vec![("listener".into(), profile.to_string())],
            ..ReloadPlan::default()
        };
        let state = AdminState {
            store: server.store.clone(),
            ntlm_key: Some(server.ntlm_key.clone()),
            sessions: server.sessions.clone(),
            reloader: ReloadHandle::new(server.registry.clone(), fixed_plan(plan.clone()), plan),
            token: TOKEN.into(),
            cost: Cost::Low,
        };
        let admin = imap_mimic::admin::start("127.0.0.1:0".parse().unwrap(), state)
            .await
            .unwrap();
        Setup { server, admin }
    }

    /// One request with the right token.
    async fn call(&self, method: &str, path: &str, body: Option<Value>) -> Response {
        self.call_as(Some(TOKEN), method, path, body.map(|b| b.to_string()))
            .await
    }

    async fn call_as(
        &self,
        token: Option<&str>,
        method: &str,
        path: &str,
        body: Option<String>,
    ) -> Response {
        let c = client::Client {
            addr: self.admin.addr.to_string(),
            token: token.map(String::from),
        };
        let (method, path) = (method.to_string(), path.to_string());
        tokio::task::spawn_blocking(move || {
            c.request(&method, &path, body.as_deref().map(str::as_bytes))
        })
        .await
        .unwrap()
        .unwrap()
    }

    async fn imap(&self) -> Client {
        let mut c = Client::tls(self.server.tls_addr, self.server.client_tls.clone()).await;
        c.line().await.unwrap();
        c.send("a LOGIN alice secret").await;
        assert!(c.line().await.unwrap().starts_with("a OK"));
        c
    }

    async fn deliver(&self, raw: &str) -> u32 {
        let r = self
            .call("POST", INBOX_MESSAGES, Some(json!({ "raw": raw })))
            .await;
        assert_eq!(r.status, 201, "{}", r.text());
        r.json().unwrap()["uid"].as_u64().unwrap() as u32
    }

    async fn stop(self) {
        self.admin.stop().await;
        self.server.stop().await;
    }
}

const INBOX_MESSAGES: &str = "/users/alice/mailboxes/INBOX/messages";

/// Delivers one message, selects INBOX, and starts IDLE.
async fn idling(setup: &Setup) -> Client {
    setup.deliver("Subject: one\n\nfirst\n").await;
    let mut c = setup.imap().await;
    c.send("s SELECT INBOX").await;
    c.until_tagged("s").await;
    c.send("i IDLE").await;
    assert!(c.line().await.unwrap().starts_with("+ "));
    c
}

#[tokio::test]
async fn exchange_2016_idle_sees_outside_changes_but_no_flag_fetch() {
    let setup = Setup::start("exchange-2016").await;
    let mut c = idling(&setup).await;
    let second = setup.deliver("Subject: two\n\nsecond\n").await;
    assert_eq!(c.line().await.unwrap(), "* 2 EXISTS");
    assert_eq!(c.line().await.unwrap(), "* 2 RECENT");
    let flagged = setup
        .call(
            "POST",
            &format!("{INBOX_MESSAGES}/1/flags"),
            Some(json!({ "mode": "add", "flags": ["\\Seen"] })),
        )
        .await;
    assert_eq!(flagged.text(), r#"{"uid":1,"flags":["\\Seen"]}"#);
    // V0046: no untagged FETCH for a flag change from outside; the next line is the
    // expunge that follows.
    let gone = setup
        .call("DELETE", &format!("{INBOX_MESSAGES}/1"), None)
        .await;
    assert_eq!(gone.status, 204);
    assert_eq!(c.line().await.unwrap(), "* 1 EXPUNGE");
    // §2.1.2: the revision replaces UID `second` with a new UID.
    let revised = setup
        .call(
            "POST",
            &format!("{INBOX_MESSAGES}/{second}/revise"),
            Some(json!({ "raw": "Subject: two, revised\n\nsecond\n" })),
        )
        .await;
    let new = second + 1;
    assert_eq!(
        revised.text(),
        format!(r#"{{"old_uid":{second},"uid":{new}}}"#)
    );
    // One transaction: the session hears of both at once, the new message counted
    // before the old one's expunge is reported (RFC 3501 §7.4.1 allows either order).
    let mut heard = Vec::new();
    for _ in 0..3 {
        heard.push(c.line().await.unwrap());
    }
    assert_eq!(heard, ["* 2 EXISTS", "* 2 RECENT", "* 1 EXPUNGE"]);
    c.send("DONE").await;
    assert_eq!(c.line().await.unwrap(), "i OK IDLE completed.");
    c.send("u UID FETCH 1:* (UID FLAGS)").await;
    assert_eq!(
        c.until_tagged("u").await,
        vec![
            format!("* 1 FETCH (UID {new} FLAGS (\\Recent))"),
            "u OK FETCH completed.".to_string()
        ]
    );
    setup.stop().await;
}

#[tokio::test]
async fn rfc3501_idle_sees_an_outside_flag_change_as_fetch() {
    let setup = Setup::start("rfc3501").await;
    let mut c = idling(&setup).await;
    setup
        .call(
            "POST",
            &format!("{INBOX_MESSAGES}/1/flags"),
            Some(json!({ "mode": "add", "flags": ["\\Flagged"] })),
        )
        .await;
    assert_eq!(
        c.line().await.unwrap(),
        "* 1 FETCH (FLAGS (\\Flagged \\Recent))"
    );
    setup
        .call("DELETE", &format!("{INBOX_MESSAGES}/1"), None)
        .await;
    assert_eq!(c.line().await.unwrap(), "* 1 EXPUNGE");
    c.send("DONE").await;
    assert!(c.line().await.unwrap().starts_with("i OK"));
    setup.stop().await;
}

#[tokio::test]
async fn other_protocol_messages_report_their_stored_size() {
    let setup = Setup::start("exchange-2016").await;
    let r = setup
        .call(
            "POST",
            INBOX_MESSAGES,
            Some(
                json!({ "raw": "Subject: x\n\nbody\n", "kind": "other-protocol",
                         "stored_size": 2048 }),
            ),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let mut c = setup.imap().await;
    c.send("s SELECT INBOX").await;
    c.until_tagged("s").await;
    c.send("f FETCH 1 (RFC822.SIZE BODY.PEEK[])").await;
    // 20 octets once the line ends are CRLF.
    assert_eq!(
        c.until_tagged("f").await[0],
        "* 1 FETCH (RFC822.SIZE 2048 BODY[] {20}"
    );
    setup.stop().await;
}

#[tokio::test]
async fn requests_without_the_token_are_refused() {
    let setup = Setup::start("exchange-2016").await;
    let refused = r#"{"error":"missing or wrong bearer token"}"#;
    for token in [None, Some("wrong"), Some("test-token2")] {
        let r = setup.call_as(token, "GET", "/users", None).await;
        assert_eq!((r.status, r.text().as_str()), (401, refused), "{token:?}");
    }
    let r = setup.call_as(None, "GET", "/metrics", None).await;
    assert_eq!(r.status, 401);
    let r = setup.call("GET", "/users", None).await;
    assert_eq!(
        (r.status, r.text().as_str()),
        (200, r#"[{"name":"alice"}]"#)
    );
    setup.stop().await;
}

#[tokio::test]
async fn unknown_names_are_404_and_bad_input_is_400() {
    let setup = Setup::start("exchange-2016").await;
    let cases = [
        (
            "GET",
            "/users/bob/mailboxes",
            None,
            404,
            r#"{"error":"user \"bob\" not found"}"#,
        ),
        (
            "GET",
            "/users/alice/mailboxes/Nope/messages",
            None,
            404,
            r#"{"error":"mailbox \"Nope\" of user \"alice\" not found"}"#,
        ),
        (
            "DELETE",
            "/users/alice/mailboxes/INBOX/messages/77",
            None,
            404,
            r#"{"error":"message UID 77 in mailbox \"INBOX\" not found"}"#,
        ),
        (
            "POST",
            INBOX_MESSAGES,
            Some(r#"{"raw": "hello\n"}"#),
            400,
            r#"{"error":"not an RFC 5322 message: line 1: not a header field: \"hello\""}"#,
        ),
        (
            "POST",
            INBOX_MESSAGES,
            Some(r#"{"raw": "A: b\n\n", "kind": "mime-known", "stored_size": 5}"#),
            400,
            r#"{"error":"stored_size applies to kind \"other-protocol\" only"}"#,
        ),
        (
            "POST",
            "/users/alice/mailboxes/INBOX/messages/1/flags",
            Some(r#"{"mode": "add", "flags": ["\\Recent"]}"#),
            400,
            r#"{"error":"unknown system flag \"\\\\Recent\""}"#,
        ),
        (
            "GET",
            "/nowhere",
            None,
            404,
            r#"{"error":"route GET /nowhere not found"}"#,
        ),
    ];
    for (method, path, body, status, expected) in cases {
        let r = setup
            .call_as(Some(TOKEN), method, path, body.map(String::from))
            .await;
        assert_eq!(
            (r.status, r.text().as_str()),
            (status, expected),
            "{method} {path}"
        );
    }
    let r = setup
        .call_as(Some(TOKEN), "POST", "/users", Some("{\"name\": ".into()))
        .await;
    assert_eq!(r.status, 400);
    let error = r.json().unwrap()["error"].as_str().unwrap().to_string();
    assert!(
        error.starts_with("Failed to parse the request body as JSON"),
        "{error}"
    );
    setup.stop().await;
}

#[tokio::test]
async fn users_created_over_the_api_can_log_in() {
    let setup = Setup::start("exchange-2016").await;
    let r = setup
        .call(
            "POST",
            "/users",
            Some(json!({ "name": "bob", "password": "pw1" })),
        )
        .await;
    assert_eq!((r.status, r.text().as_str()), (201, r#"{"name":"bob"}"#));
    let again = setup
        .call(
            "POST",
            "/users",
            Some(json!({ "name": "bob", "password": "pw1" })),
        )
        .await;
    assert_eq!(again.status, 409);
    let r = setup
        .call(
            "PUT",
            "/users/bob/password",
            Some(json!({ "password": "pw2" })),
        )
        .await;
    assert_eq!(r.status, 204);
    let mut c = Client::tls(setup.server.tls_addr, setup.server.client_tls.clone()).await;
    c.line().await.unwrap();
    c.send("a LOGIN bob pw2").await;
    assert_eq!(c.line().await.unwrap(), "a OK LOGIN completed.");
    assert_eq!(setup.call("DELETE", "/users/bob", None).await.status, 204);
    assert_eq!(setup.call("DELETE", "/users/bob", None).await.status, 404);
    setup.stop().await;
}

#[tokio::test]
async fn mailboxes_and_uidvalidity_renumbering() {
    let setup = Setup::start("exchange-2016").await;
    let r = setup
        .call(
            "POST",
            "/users/alice/mailboxes",
            Some(json!({ "name": "Work/2024" })),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let path = "/users/alice/mailboxes/Work%2F2024";
    for subject in ["a", "b", "c"] {
        let raw = format!("Subject: {subject}\n\nx\n");
        let r = setup
            .call(
                "POST",
                &format!("{path}/messages"),
                Some(json!({ "raw": raw })),
            )
            .await;
        assert_eq!(r.status, 201);
    }
    setup
        .call("DELETE", &format!("{path}/messages/2"), None)
        .await;
    let r = setup
        .call(
            "PUT",
            &format!("{path}/uidvalidity"),
            Some(json!({ "uidvalidity": 77 })),
        )
        .await;
    assert_eq!(
        r.text(),
        r#"{"name":"Work/2024","uidvalidity":77,"uidnext":3,"selectable":true,"messages":2}"#
    );
    let mut c = setup.imap().await;
    c.send("s SELECT Work/2024").await;
    let lines = c.until_tagged("s").await;
    assert!(
        lines.contains(&"* OK [UIDVALIDITY 77] UIDVALIDITY value".to_string()),
        "{lines:?}"
    );
    c.send("u UID FETCH 1:* UID").await;
    assert_eq!(
        c.until_tagged("u").await[..2],
        ["* 1 FETCH (UID 1)", "* 2 FETCH (UID 2)"]
    );
    assert_eq!(setup.call("DELETE", path, None).await.status, 204);
    // CREATE made the superior too (RFC 3501 §6.3.3, V0026).
    assert_eq!(
        setup
            .call("DELETE", "/users/alice/mailboxes/Work", None)
            .await
            .status,
        204
    );
    let listed = setup.call("GET", "/users/alice/mailboxes", None).await;
    let names: Vec<Value> = listed
        .json()
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].clone())
        .collect();
    assert_eq!(names, vec![json!("INBOX")]);
    setup.stop().await;
}

#[tokio::test]
async fn sessions_are_listed_and_ended() {
    let setup = Setup::start("exchange-2016").await;
    let mut c = setup.imap().await;
    c.send("s SELECT INBOX").await;
    c.until_tagged("s").await;
    let listed = setup.call("GET", "/sessions", None).await.json().unwrap();
    let s = &listed[0];
    assert_eq!(
        (&s["user"], &s["profile"], &s["state"], &s["selected"]),
        (
            &json!("alice"),
            &json!("exchange-2016"),
            &json!("selected"),
            &json!("INBOX")
        )
    );
    let id = s["id"].as_i64().unwrap();
    let r = setup
        .call(
            "POST",
            &format!("/sessions/{id}/end"),
            Some(json!({ "bye": true })),
        )
        .await;
    assert_eq!(r.status, 204);
    assert!(c.line().await.unwrap().starts_with("* BYE "));
    assert_eq!(c.line().await, None);
    // Without BYE: the connection just closes.
    let mut quiet = setup.imap().await;
    let listed = setup.call("GET", "/sessions", None).await.json().unwrap();
    let id = listed[0]["id"].as_i64().unwrap();
    setup
        .call(
            "POST",
            &format!("/sessions/{id}/end"),
            Some(json!({ "bye": false })),
        )
        .await;
    assert_eq!(quiet.line().await, None);
    let r = setup
        .call("POST", "/sessions/12345/end", Some(json!({})))
        .await;
    assert_eq!(
        (r.status, r.text().as_str()),
        (404, r#"{"error":"session 12345 not found"}"#)
    );
    setup.stop().await;
}

#[tokio::test]
async fn profiles_reload_and_metrics() {
    let setup = Setup::start("exchange-2016").await;
    let before = setup.call("GET", "/profiles/generation", None).await;
    assert_eq!(before.text(), r#"{"generation":1}"#);
    let reloaded = setup.call("POST", "/profiles/reload", None).await;
    assert_eq!(
        reloaded.text(),
        r#"{"generation":1,"status":"unchanged","changes":[]}"#
    );
    let mut c = setup.imap().await;
    c.send("n NOOP").await;
    c.until_tagged("n").await;
    c.send("x XYZZY").await;
    c.until_tagged("x").await;
    let text = setup.call("GET", "/metrics", None).await.text();
    for line in [
        "imap_mimic_sessions{profile=\"exchange-2016\"} 1",
        "imap_mimic_commands_total{command=\"LOGIN\",status=\"ok\"} 1",
        "imap_mimic_commands_total{command=\"NOOP\",status=\"ok\"} 1",
        "imap_mimic_commands_total{command=\"OTHER\",status=\"bad\"} 1",
        "imap_mimic_reloads_total{result=\"ok\"} 1",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "{line} missing from\n{text}"
        );
    }
    setup.stop().await;
}

#[tokio::test]
async fn the_openapi_document_lists_every_route() {
    let setup = Setup::start("exchange-2016").await;
    let doc = setup
        .call("GET", "/openapi.json", None)
        .await
        .json()
        .unwrap();
    assert_eq!(doc["openapi"], "3.0.3");
    let listed: Vec<(&str, &str)> = imap_mimic::admin::openapi::routes_listed().collect();
    for (method, path) in &listed {
        assert!(doc["paths"][path][method].is_object(), "{method} {path}");
        // Every listed route is routed: never the fallback's "route ... not found".
        let concrete = path
            .replace("{user}", "nobody")
            .replace("{mailbox}", "INBOX")
            .replace("{uid}", "1")
            .replace("{id}", "1");
        let body = matches!(*method, "post" | "put").then(|| "{}".to_string());
        let r = setup
            .call_as(Some(TOKEN), &method.to_uppercase(), &concrete, body)
            .await;
        assert!(
            !r.text().contains("\"route "),
            "{method} {path}: {}",
            r.text()
        );
    }
    setup.stop().await;
}

/// `serve` with `--admin` writes the token into the data directory, and `inject` finds it
/// there; without the token `inject` is refused.
#[tokio::test]
async fn serve_and_inject_share_the_token_file() {
    use std::io::BufRead;
    use std::process::{Command, Stdio};
    let data = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_imap-mimic");
    let mut serve = Command::new(bin)
        .args(["serve", "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0"])
        .arg("--data")
        .arg(data.path())
        .env("IMAP_MIMIC_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = std::io::BufReader::new(serve.stdout.take().unwrap());
    // Stops the server even when an assertion below fails.
    struct Stop(std::process::Child);
    impl Drop for Stop {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let _serve = Stop(serve);
    let addr = stdout
        .lines()
        .map_while(Result::ok)
        .find_map(|l| {
            l.strip_prefix("Admin API on http://")
                .and_then(|rest| rest.split(' ').next())
                .map(String::from)
        })
        .expect("serve prints the admin address");
    let token = std::fs::read_to_string(data.path().join("admin.token")).unwrap();
    assert_eq!(token.trim().len(), 64);
    let inject = |extra: &[&str]| {
        Command::new(bin)
            .args(["inject", "--admin", &addr])
            .arg("--data")
            .arg(data.path())
            .args(extra)
            .output()
            .unwrap()
    };
    let listed = inject(&["users", "list"]);
    assert!(listed.status.success());
    assert_eq!(
        String::from_utf8_lossy(&listed.stdout),
        "[\n  {\n    \"name\": \"demo\"\n  }\n]\n"
    );
    let refused = inject(&["--token", "nope", "users", "list"]);
    assert!(!refused.status.success());
    assert_eq!(
        String::from_utf8_lossy(&refused.stderr),
        "HTTP 401: {\n  \"error\": \"missing or wrong bearer token\"\n}\n"
    );
}

/// A new UIDVALIDITY invalidates every UID a client holds: an idling session is told BYE
/// and closed (RFC 3501 §2.3.1.1).
#[tokio::test]
async fn a_new_uidvalidity_ends_the_sessions_that_selected_the_mailbox() {
    let setup = Setup::start("exchange-2016").await;
    let mut c = idling(&setup).await;
    let r = setup
        .call(
            "PUT",
            "/users/alice/mailboxes/INBOX/uidvalidity",
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(c.line().await.unwrap().starts_with("* BYE "));
    assert_eq!(c.line().await, None);
    setup.stop().await;
}
