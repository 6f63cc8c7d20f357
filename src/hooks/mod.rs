//! rhai hooks: custom rules and IMAP-aware fault injection on top of a profile.
//!
//! A profile's `[hooks] scripts` are compiled once, at profile load, into a `Hooks` held by
//! the `CompiledProfile`; a session calls the hook points it reaches (`session::hooks`)
//! and applies the decisions they return. See README "Hooks".

pub mod decision;
pub mod engine;
pub mod state;

pub use decision::Decision;
pub use state::{CallState, SessionState};

use crate::profile::load::Diagnostic;
use crate::profile::model::{self, OnError};
use rhai::{CallFnOptions, Dynamic, Engine, Map, Scope, AST};
use state::UserCounters;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where a session calls into the scripts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Point {
    Connect,
    BeforeCommand,
    AfterCommand,
    Login,
    Select,
    Idle,
}

impl Point {
    pub const ALL: [Point; 6] = [
        Point::Connect,
        Point::BeforeCommand,
        Point::AfterCommand,
        Point::Login,
        Point::Select,
        Point::Idle,
    ];

    /// The function a script defines for this point.
    pub fn function(self) -> &'static str {
        match self {
            Point::Connect => "on_connect",
            Point::BeforeCommand => "before_command",
            Point::AfterCommand => "after_command",
            Point::Login => "on_login",
            Point::Select => "on_select",
            Point::Idle => "on_idle",
        }
    }
}

/// One compiled script.
struct Script {
    label: String,
    path: PathBuf,
    ast: AST,
    /// The hook functions it defines (one parameter each).
    points: HashSet<&'static str>,
}

/// A profile's compiled scripts and the engine they run in.
pub struct Hooks {
    engine: Engine,
    scripts: Vec<Script>,
    /// The points some script defines (asked on every command, so worked out once).
    defined: Vec<Point>,
    pub on_error: OnError,
    pub seed: u64,
    users: Arc<UserCounters>,
}

impl std::fmt::Debug for Hooks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let labels: Vec<&str> = self.scripts.iter().map(|s| s.label.as_str()).collect();
        f.debug_struct("Hooks")
            .field("scripts", &labels)
            .field("on_error", &self.on_error)
            .finish()
    }
}

impl Hooks {
    /// Reads and compiles the scripts of `[hooks]`, relative to `base` (the directory of
    /// the profile file that set `scripts`). None when there are no scripts.
    pub fn load(
        config: &model::Hooks,
        base: Option<&Path>,
    ) -> Result<Option<Hooks>, Vec<Diagnostic>> {
        if config.scripts.is_empty() {
            return Ok(None);
        }
        let engine = engine::sandboxed();
        let mut scripts = Vec::new();
        let mut errors = Vec::new();
        for name in &config.scripts {
            let path = match base {
                Some(dir) => dir.join(name),
                None => PathBuf::from(name),
            };
            match compile(&engine, &path) {
                Ok(s) => scripts.push(s),
                Err(d) => errors.push(d),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let defined = Point::ALL
            .into_iter()
            .filter(|p| scripts.iter().any(|s| s.points.contains(p.function())))
            .collect();
        Ok(Some(Hooks {
            defined,
            engine,
            scripts,
            on_error: config.on_error,
            seed: config.seed,
            users: Arc::new(UserCounters::default()),
        }))
    }

    /// The script files, for the profile watcher (a changed script reloads its profile).
    pub fn files(&self) -> Vec<PathBuf> {
        self.scripts.iter().map(|s| s.path.clone()).collect()
    }

    /// Whether any script defines this point (a session skips building the view if not).
    pub fn defines(&self, point: Point) -> bool {
        self.defined.contains(&point)
    }

    /// The state a new session's hooks keep.
    pub fn new_session(&self) -> Arc<SessionState> {
        Arc::new(SessionState::new(self.seed))
    }

    /// The state a call sees: the session's and its user's.
    pub fn call_state(&self, session: &Arc<SessionState>, user: Option<&str>) -> CallState {
        CallState {
            session: session.clone(),
            users: self.users.clone(),
            user: user.map(str::to_string),
        }
    }

    /// Calls `point` in every script that defines it, in order; the decisions of all,
    /// in order. The error names the script and the position in it.
    pub fn call(&self, point: Point, ctx: Map, state: &CallState) -> Result<Vec<Decision>, String> {
        let name = point.function();
        let scripts: Vec<&Script> = self
            .scripts
            .iter()
            .filter(|s| s.points.contains(name))
            .collect();
        let mut out = Vec::new();
        // The last script takes the view itself, earlier ones a copy: it is read-only, and
        // what a script changes in it is lost.
        let mut ctx = Some(ctx);
        for (i, script) in scripts.iter().enumerate() {
            let view = match i + 1 == scripts.len() {
                true => ctx.take().unwrap_or_default(),
                false => ctx.clone().unwrap_or_default(),
            };
            let options = CallFnOptions::new()
                .eval_ast(false)
                .rewind_scope(true)
                .with_tag(state.clone());
            let args = (Dynamic::from_map(view),);
            let value = self
                .engine
                .call_fn_with_options::<Dynamic>(
                    options,
                    &mut Scope::new(),
                    &script.ast,
                    name,
                    args,
                )
                .map_err(|e| format!("{}: {name}: {e}", script.label))?;
            let decisions =
                decision::parse(value).map_err(|e| format!("{}: {name}: {e}", script.label))?;
            out.extend(decisions);
        }
        Ok(out)
    }
}

/// Reads and compiles one script; a syntax error is `file:line:column: message`.
fn compile(engine: &Engine, path: &Path) -> Result<Script, Diagnostic> {
    let label = path.display().to_string();
    let at = |line: usize, column: usize, message: String| Diagnostic {
        file: label.clone(),
        line,
        column,
        message,
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| at(0, 0, format!("cannot read hook script: {e}")))?;
    let ast = engine.compile(&text).map_err(|e| {
        let pos = e.position();
        at(
            pos.line().unwrap_or(0),
            pos.position().unwrap_or(0),
            e.err_type().to_string(),
        )
    })?;
    let points = ast
        .iter_functions()
        .filter(|f| f.params.len() == 1)
        .filter_map(|f| {
            Point::ALL
                .iter()
                .map(|p| p.function())
                .find(|n| *n == f.name)
        })
        .collect();
    Ok(Script {
        label,
        path: path.to_path_buf(),
        ast,
        points,
    })
}

#[cfg(test)]
mod tests;
