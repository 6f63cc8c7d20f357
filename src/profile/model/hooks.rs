//! rhai hook scripts: custom rules and IMAP-aware fault injection on top of a profile
//! (consumed by `hooks`). Not an Exchange switch: these are imap-mimic's own extension
//! point (issue 8), so their source is this project's README "Hooks".

use super::section::section;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What happens to a command when a hook fails at run time (a script error, or a sandbox
/// limit such as too many operations).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum OnError {
    /// The error is logged and the command proceeds as if the hook had said continue.
    Continue,
    /// The error is logged and the command gets `NO [SERVERBUG] Hook failed.`; a failing
    /// `on_connect` sends `* BYE Hook failed.` instead of the greeting.
    Fail,
}

section! {
    /// rhai hook scripts (consumed by `hooks`). Source: imap-mimic README "Hooks".
    pub struct Hooks, patch HooksPatch {
        /// Script files, relative to the profile file that sets this key, run in order. A
        /// script defines the hook functions it wants (`on_connect`, `before_command`,
        /// `after_command`, `on_login`, `on_select`, `on_idle`); a script that does not
        /// compile fails the profile load with file, line and column.
        scripts: Vec<String>,
        /// What a run-time error in a hook does to the command.
        on_error: OnError,
        /// Seed of each session's random generator (`rand_int`), so runs repeat.
        seed: u64,
    }
}
