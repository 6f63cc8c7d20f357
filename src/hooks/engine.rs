//! The sandboxed rhai engine every hook script runs in. rhai has no file, network or
//! process access of its own and modules are compiled out (`no_module`), so the sandbox
//! is the API registered here plus limits that cut off runaway scripts: an infinite loop
//! hits `MAX_OPERATIONS` and fails like any other run-time error (logged, never a hang).

use super::decision;
use super::state::CallState;
use rhai::{Dynamic, Engine, EvalAltResult, NativeCallContext};

/// Operations one hook call may run (a loop iteration is a few); about a millisecond.
pub const MAX_OPERATIONS: u64 = 100_000;
pub const MAX_CALL_LEVELS: usize = 32;
pub const MAX_EXPR_DEPTH: usize = 64;
pub const MAX_STRING_SIZE: usize = 64 * 1024;
pub const MAX_ARRAY_SIZE: usize = 10_000;
pub const MAX_MAP_SIZE: usize = 1_000;

type Fallible<T> = Result<T, Box<EvalAltResult>>;

/// A new engine with the limits and the hook API.
pub fn sandboxed() -> Engine {
    let mut engine = Engine::new();
    engine
        .set_max_operations(MAX_OPERATIONS)
        .set_max_call_levels(MAX_CALL_LEVELS)
        .set_max_expr_depths(MAX_EXPR_DEPTH, MAX_EXPR_DEPTH)
        .set_max_string_size(MAX_STRING_SIZE)
        .set_max_array_size(MAX_ARRAY_SIZE)
        .set_max_map_size(MAX_MAP_SIZE);
    // `eval` would compile text at run time, outside the load-time checks.
    engine.disable_symbol("eval");
    engine.on_print(|text| tracing::info!(target: "imap_mimic::hooks", "{text}"));
    engine.on_debug(|text, _, pos| tracing::debug!(target: "imap_mimic::hooks", %pos, "{text}"));
    decision::register(&mut engine);
    register_state(&mut engine);
    engine
}

/// Counters, the clock and the seeded random generator. They reach the calling session's
/// state through the call's tag (see `CallState`).
fn register_state(engine: &mut Engine) {
    engine.register_fn("counter_incr", |ctx: NativeCallContext, name: &str| {
        call_state(&ctx)?.incr(name, "session")
    });
    engine.register_fn(
        "counter_incr",
        |ctx: NativeCallContext, name: &str, scope: &str| call_state(&ctx)?.incr(name, scope),
    );
    engine.register_fn("counter_get", |ctx: NativeCallContext, name: &str| {
        call_state(&ctx)?.get(name, "session")
    });
    engine.register_fn(
        "counter_get",
        |ctx: NativeCallContext, name: &str, scope: &str| call_state(&ctx)?.get(name, scope),
    );
    engine.register_fn("rand_int", |ctx: NativeCallContext, lo: i64, hi: i64| {
        call_state(&ctx)?.rand_int(lo, hi)
    });
    engine.register_fn("now_ms", now_ms);
}

fn call_state(ctx: &NativeCallContext) -> Fallible<CallState> {
    ctx.tag()
        .and_then(|t: &Dynamic| t.clone().try_cast::<CallState>())
        .ok_or_else(|| "counters and rand_int are only available inside a hook".into())
}

/// Milliseconds since the Unix epoch.
fn now_ms() -> i64 {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    since.as_millis() as i64
}
