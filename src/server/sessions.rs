//! The live sessions of this process, for the admin API: who is connected, under which
//! profile, in which state, and a way to end one. The connection loop registers itself
//! at start, refreshes its entry after every reply, and the entry goes with the
//! `Registration` when the connection ends.
//!
//! Also holds the counters the metrics endpoint serves (commands by name and status,
//! errors), since the connection loop is where they are observed.

use super::metrics::Metrics;
use crate::session::state::State;
use crate::session::Session;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::oneshot;

/// What the admin API shows of one session.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SessionInfo {
    pub id: i64,
    pub user: Option<String>,
    pub profile: String,
    /// `not-authenticated`, `authenticated`, `selected` or `logout` (RFC 3501 §3).
    pub state: &'static str,
    pub selected: Option<String>,
    pub peer: SocketAddr,
    /// Unix seconds of the connection.
    pub since: i64,
}

/// How the administrator ends a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// An untagged BYE first (the profile's shutdown text), then close.
    Bye,
    /// Close the socket without a word, as a crashed server or a cut network would.
    Drop,
}

struct Entry {
    info: SessionInfo,
    end: Option<oneshot::Sender<End>>,
}

#[derive(Default)]
pub struct Sessions {
    entries: Mutex<BTreeMap<i64, Entry>>,
    pub metrics: Metrics,
}

impl std::fmt::Debug for Sessions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sessions")
            .field("count", &self.lock().len())
            .finish()
    }
}

impl Sessions {
    fn lock(&self) -> MutexGuard<'_, BTreeMap<i64, Entry>> {
        // A panic while holding the lock leaves plain data behind: keep using it.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds a session; the returned receiver fires when the administrator ends it.
    pub fn register(
        self: &Arc<Self>,
        id: i64,
        profile: &str,
        peer: SocketAddr,
    ) -> (Registration, oneshot::Receiver<End>) {
        let (tx, rx) = oneshot::channel();
        let info = SessionInfo {
            id,
            user: None,
            profile: profile.to_string(),
            state: "not-authenticated",
            selected: None,
            peer,
            since: chrono::Utc::now().timestamp(),
        };
        self.lock().insert(
            id,
            Entry {
                info,
                end: Some(tx),
            },
        );
        let registration = Registration {
            sessions: self.clone(),
            id,
        };
        (registration, rx)
    }

    /// Every live session, by id.
    pub fn list(&self) -> Vec<SessionInfo> {
        self.lock().values().map(|e| e.info.clone()).collect()
    }

    /// Asks session `id` to end; false when there is no such session.
    pub fn end(&self, id: i64, how: End) -> bool {
        let sender = self.lock().get_mut(&id).and_then(|e| e.end.take());
        match sender {
            Some(tx) => tx.send(how).is_ok(),
            None => self.lock().contains_key(&id),
        }
    }
}

/// A session's entry; removed when dropped (the connection ended).
pub struct Registration {
    sessions: Arc<Sessions>,
    id: i64,
}

impl Registration {
    /// Refreshes the user, state and selected mailbox after a reply.
    pub fn update(&self, session: &Session) {
        let (state, user, selected) = match &session.state {
            State::NotAuthenticated => ("not-authenticated", None, None),
            State::Authenticated(u) => ("authenticated", Some(u.name.clone()), None),
            State::Selected(u, s) => (
                "selected",
                Some(u.name.clone()),
                Some(s.mailbox.name.clone()),
            ),
            State::Logout => ("logout", None, None),
        };
        if let Some(entry) = self.sessions.lock().get_mut(&self.id) {
            entry.info.state = state;
            if user.is_some() || state == "not-authenticated" {
                entry.info.user = user;
            }
            entry.info.selected = selected;
        }
    }

    pub fn sessions(&self) -> &Sessions {
        &self.sessions
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        self.sessions.lock().remove(&self.id);
    }
}
