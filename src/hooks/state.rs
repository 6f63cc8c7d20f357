//! The state hooks may keep: per-session and per-user counters and a seeded random
//! generator. Per-user counters live with the compiled profile, so a reload starts them
//! afresh.

use rhai::EvalAltResult;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

type Fallible<T> = Result<T, Box<EvalAltResult>>;

/// Counters of every user of one compiled profile.
#[derive(Debug, Default)]
pub struct UserCounters(Mutex<HashMap<String, HashMap<String, i64>>>);

/// One session's hook state.
#[derive(Debug)]
pub struct SessionState {
    counters: Mutex<HashMap<String, i64>>,
    rng: Mutex<SplitMix64>,
}

impl SessionState {
    /// Every session starts its generator from the profile's seed, so a replayed
    /// conversation draws the same numbers.
    pub fn new(seed: u64) -> SessionState {
        SessionState {
            counters: Mutex::new(HashMap::new()),
            rng: Mutex::new(SplitMix64(seed)),
        }
    }
}

/// What a registered function sees of the calling session (rhai's call tag).
#[derive(Clone, Debug)]
pub struct CallState {
    pub session: Arc<SessionState>,
    pub users: Arc<UserCounters>,
    pub user: Option<String>,
}

impl CallState {
    pub fn incr(&self, name: &str, scope: &str) -> Fallible<i64> {
        self.with_counter(name, scope, |v| {
            *v += 1;
            *v
        })
    }

    pub fn get(&self, name: &str, scope: &str) -> Fallible<i64> {
        self.with_counter(name, scope, |v| *v)
    }

    fn with_counter(
        &self,
        name: &str,
        scope: &str,
        f: impl FnOnce(&mut i64) -> i64,
    ) -> Fallible<i64> {
        match scope {
            "session" => {
                let mut map = lock(&self.session.counters);
                Ok(f(map.entry(name.to_string()).or_insert(0)))
            }
            "user" => {
                let Some(user) = &self.user else {
                    return Err("a user counter needs an authenticated session".into());
                };
                let mut users = lock(&self.users.0);
                let map = users.entry(user.clone()).or_default();
                Ok(f(map.entry(name.to_string()).or_insert(0)))
            }
            other => {
                Err(format!("counter scope {other:?}: expected \"session\" or \"user\"").into())
            }
        }
    }

    /// A number in `lo..=hi`.
    pub fn rand_int(&self, lo: i64, hi: i64) -> Fallible<i64> {
        if lo > hi {
            return Err(format!("rand_int({lo}, {hi}): lo is above hi").into());
        }
        let span = (hi as i128 - lo as i128 + 1) as u128;
        let draw = lock(&self.session.rng).next() as u128 % span;
        Ok((lo as i128 + draw as i128) as i64)
    }
}

/// A poisoned lock only means another hook call panicked; the counters are still usable.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// SplitMix64: tiny, and its output for a seed never changes between builds (unlike
/// `rand`'s StdRng), which is what "runs repeat" needs.
#[derive(Debug)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}
