//! The engine, limits, decisions and state without a server (the wire behaviour is in
//! tests/hooks.rs).

use super::*;

fn hooks(script: &str, seed: u64) -> (Hooks, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("t.rhai"), script).unwrap();
    let config = model::Hooks {
        scripts: vec!["t.rhai".to_string()],
        on_error: OnError::Continue,
        seed,
    };
    let hooks = Hooks::load(&config, Some(dir.path())).unwrap().unwrap();
    (hooks, dir)
}

fn call(hooks: &Hooks, user: Option<&str>) -> Result<Vec<Decision>, String> {
    let session = hooks.new_session();
    hooks.call(
        Point::BeforeCommand,
        Map::new(),
        &hooks.call_state(&session, user),
    )
}

#[test]
fn an_infinite_loop_stops_at_the_operation_limit() {
    let (h, _d) = hooks("fn before_command(ctx) { loop { } }", 0);
    let err = call(&h, None).unwrap_err();
    assert!(
        err.contains("t.rhai: before_command: Too many operations"),
        "{err}"
    );
}

#[test]
fn a_huge_string_stops_at_the_size_limit() {
    let (h, _d) = hooks(
        "fn before_command(ctx) { let s = \"x\"; loop { s += s; } }",
        0,
    );
    let err = call(&h, None).unwrap_err();
    assert!(err.contains("Length of string"), "{err}");
}

#[test]
fn deep_recursion_stops_at_the_call_limit() {
    let (h, _d) = hooks("fn f(n) { f(n + 1) } fn before_command(ctx) { f(0) }", 0);
    let err = call(&h, None).unwrap_err();
    assert!(
        err.contains("Stack overflow") || err.contains("call"),
        "{err}"
    );
}

#[test]
fn eval_is_not_available() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("t.rhai"),
        "fn before_command(ctx) { eval(\"1\") }",
    )
    .unwrap();
    let config = model::Hooks {
        scripts: vec!["t.rhai".to_string()],
        on_error: OnError::Continue,
        seed: 0,
    };
    let err = Hooks::load(&config, Some(dir.path())).unwrap_err();
    assert_eq!((err[0].line, err[0].column), (1, 26), "{err:?}");
}

#[test]
fn the_same_seed_draws_the_same_numbers() {
    let script = "fn before_command(ctx) { reject(\"NO\", `${rand_int(1, 1000000)}`) }";
    let (a, _d1) = hooks(script, 7);
    let (b, _d2) = hooks(script, 7);
    let (c, _d3) = hooks(script, 8);
    assert_eq!(call(&a, None), call(&b, None));
    assert_ne!(call(&a, None), call(&c, None));
}

#[test]
fn user_counters_are_shared_by_sessions_and_session_counters_are_not() {
    let script = r#"fn before_command(ctx) {
        reject("NO", `${counter_incr("n")} ${counter_incr("n", "user")}`)
    }"#;
    let (h, _d) = hooks(script, 0);
    let text = |d: Vec<Decision>| match &d[0] {
        Decision::Reject { text, .. } => text.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(text(call(&h, Some("alice")).unwrap()), "1 1");
    assert_eq!(text(call(&h, Some("alice")).unwrap()), "1 2");
    assert_eq!(text(call(&h, Some("bob")).unwrap()), "1 1");
    let err = call(&h, None).unwrap_err();
    assert!(
        err.contains("a user counter needs an authenticated session"),
        "{err}"
    );
}

#[test]
fn decisions_are_checked() {
    let cases = [
        ("reject(\"OK\", \"x\")", "must be \"NO\" or \"BAD\""),
        ("reject(\"NO\", \"bad code\", \"x\")", "upper-case atom"),
        (
            "append_untagged([\"a OK forged\"])",
            "must start with \"* \"",
        ),
        ("bye(\"a\\r\\nb\")", "must not contain CR or LF"),
        (
            r#"append_untagged(["* OK a\r\nb OK forged"])"#,
            "does not follow a literal",
        ),
        (r#"append_untagged(["* OK {9}\r\nshort"])"#, "fewer follow"),
        (r#"append_untagged(["* OK {1}\r\nab\nc"])"#, "bare CR or LF"),
        ("delay(-1)", "out of range"),
        ("42", "must return ()"),
        ("#{kind: \"explode\"}", "unknown decision kind"),
    ];
    for (body, message) in cases {
        let (h, _d) = hooks(&format!("fn before_command(ctx) {{ {body} }}"), 0);
        let err = call(&h, None).unwrap_err();
        assert!(err.contains(message), "{body}: {err}");
    }
}

#[test]
fn untagged_lines_may_carry_exact_literals() {
    let script = r#"fn before_command(ctx) {
        append_untagged(["* 1 FETCH (BODY[] " + literal("é\r\n") + ")"])
    }"#;
    let (h, _d) = hooks(script, 0);
    let lines = vec!["* 1 FETCH (BODY[] {4}\r\né\r\n)".to_string()];
    assert_eq!(
        call(&h, None).unwrap(),
        vec![Decision::AppendUntagged(lines)]
    );
}
