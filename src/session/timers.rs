//! Session timers (`[timeouts]`): the inactivity autologout of authenticated sessions
//! (V0015) and the limit on the unauthenticated phase (E0002).

use crate::profile::model::Timeouts;
use std::time::Duration;
use tokio::time::Instant;

#[derive(Clone, Debug)]
pub struct TimerPolicy {
    authenticated: Duration,
    pre_authenticated: Duration,
    pre_authenticated_resets: bool,
}

impl TimerPolicy {
    pub fn compile(t: &Timeouts) -> Result<TimerPolicy, String> {
        Ok(TimerPolicy {
            authenticated: Duration::from_secs(t.authenticated_connection_timeout.into()),
            pre_authenticated: Duration::from_secs(t.pre_authenticated_connection_timeout.into()),
            pre_authenticated_resets: t.pre_authenticated_timeout_resets,
        })
    }

    /// When the session ends if nothing else happens. `connected` is when the connection
    /// was accepted, `last_command` when the last command arrived.
    pub fn deadline(
        &self,
        authenticated: bool,
        connected: Instant,
        last_command: Instant,
    ) -> Instant {
        if authenticated {
            last_command + self.authenticated
        } else if self.pre_authenticated_resets {
            last_command + self.pre_authenticated
        } else {
            connected + self.pre_authenticated
        }
    }
}
