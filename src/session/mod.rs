//! The per-connection state machine. The connection layer feeds it frames and feed wake-ups
//! and writes what it returns; the session decides everything else.
//!
//! Steps 4 – 7 of the command path: gate -> (hooks) -> handler -> transition, then pending
//! updates flushed as the profile and RFC 3501 allow.

pub mod auth;
pub mod authenticate;
pub mod capability;
pub mod dispatch;
pub mod encoding;
pub mod framing;
pub mod gate;
pub mod greeting;
pub mod hooks;
pub mod idle;
pub mod login;
pub mod sasl;
pub mod selected;
pub mod state;
pub mod texts;
pub mod timers;
pub mod updates;

use crate::profile::CompiledProfile;
use crate::server::limits::{Tracker, UserPermit};
use crate::storage::Store;
use crate::wire::{Code, Data, Response, StatusKind, StatusResponse, Tag};
use auth::ConnFacts;
use state::State;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use tokio::time::Instant;

/// What a session works with: fixed for its lifetime except `tls`.
#[derive(Clone, Debug)]
pub struct Env {
    pub store: Store,
    pub profile: Arc<CompiledProfile>,
    /// Unique among live sessions of all instances (origin of the changes it makes).
    pub id: i64,
    pub peer: SocketAddr,
    /// The server's end of the connection (the protocol log's `sIp`).
    pub local: Option<SocketAddr>,
    pub tls: bool,
    pub starttls_available: bool,
    pub tracker: Arc<Tracker>,
    /// Opens the sealed NT hashes NTLM verifies against.
    pub ntlm_key: Option<Arc<crate::ntlm::secret::SealingKey>>,
}

impl Env {
    pub fn facts(&self, authenticated: bool) -> ConnFacts {
        ConnFacts {
            tls: self.tls,
            starttls_available: self.starttls_available,
            authenticated,
        }
    }
}

/// A session id: process-random high bits, a counter below, so ids from several
/// instances on one database do not collide.
pub fn new_session_id() -> i64 {
    static NEXT: AtomicI64 = AtomicI64::new(0);
    static BASE: std::sync::OnceLock<i64> = std::sync::OnceLock::new();
    let base = *BASE.get_or_init(|| (rand::random::<u32>() as i64 & 0x7fff_ffff) << 31);
    base | (NEXT.fetch_add(1, Ordering::Relaxed) & 0x7fff_ffff)
}

/// The sub-protocol the next line belongs to.
#[derive(Debug)]
enum Mode {
    Command,
    Authenticating {
        tag: Tag,
        mechanism: Box<dyn sasl::Mechanism>,
    },
    Idling {
        tag: Tag,
    },
}

/// What the connection does after writing a reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum After {
    Continue,
    /// Close the connection (after LOGOUT's BYE or another BYE).
    Close,
    /// Run the TLS handshake, discarding buffered plaintext first.
    StartTls,
    /// Send only the first n bytes of the reply, then close: a hook's drop in the middle
    /// of a response (`close_after`).
    CloseAfter(usize),
}

#[derive(Debug)]
pub struct Reply {
    pub responses: Vec<Response>,
    pub after: After,
}

impl Reply {
    fn new(responses: Vec<Response>) -> Reply {
        Reply {
            responses,
            after: After::Continue,
        }
    }
}

#[derive(Debug)]
pub struct Session {
    pub env: Env,
    pub state: State,
    mode: Mode,
    auth_failures: u32,
    user_permit: Option<UserPermit>,
    connected: Instant,
    last_command: Instant,
    log: crate::protolog::SessionLog,
    /// Counters and random generator of the profile's hooks; None without hooks.
    hook_state: Option<Arc<crate::hooks::SessionState>>,
}

impl Session {
    pub fn new(env: Env) -> Session {
        let now = Instant::now();
        let hook_state = env.profile.hooks.as_ref().map(|h| h.new_session());
        Session {
            env,
            state: State::NotAuthenticated,
            mode: Mode::Command,
            auth_failures: 0,
            user_permit: None,
            connected: now,
            last_command: now,
            log: Default::default(),
            hook_state,
        }
    }

    pub fn profile(&self) -> &CompiledProfile {
        &self.env.profile
    }

    /// The capability names for the current state.
    pub fn capabilities(&self) -> Vec<String> {
        let p = &self.env.profile;
        let facts = self.env.facts(self.state.user().is_some());
        p.capabilities.render(&p.auth, facts)
    }

    /// `[CAPABILITY ...]` when the profile sends capability codes (V0052).
    pub fn capability_code(&self) -> Option<Code> {
        self.profile()
            .capabilities
            .codes()
            .then(|| Code::Capability(self.capabilities()))
    }

    /// `* OK [CAPABILITY ...] <banner>` (never PREAUTH: V0051).
    pub fn greeting(&self) -> Vec<Response> {
        let text = self.profile().greeting.banner().to_string();
        vec![status(None, StatusKind::Ok, self.capability_code(), text)]
    }

    /// When the session times out if nothing happens (V0015, E0002).
    pub fn deadline(&self) -> Instant {
        let authenticated = self.state.user().is_some();
        self.profile()
            .timers
            .deadline(authenticated, self.connected, self.last_command)
    }

    /// The autologout BYE.
    pub fn on_timeout(&mut self) -> Vec<Response> {
        self.state = State::Logout;
        let text = self.profile().texts.texts().autologout.clone();
        vec![status(None, StatusKind::Bye, None, text)]
    }

    /// The BYE sent when the server shuts down.
    pub fn on_shutdown(&mut self) -> Vec<Response> {
        self.state = State::Logout;
        let text = self.profile().texts.texts().shutdown.clone();
        vec![status(None, StatusKind::Bye, None, text)]
    }

    /// The TLS handshake after STARTTLS succeeded.
    pub fn tls_established(&mut self) {
        self.env.tls = true;
    }

    /// Whether feed wake-ups matter now: while idling, or selected with unsolicited
    /// responses enabled (V0002).
    pub fn wants_feed(&self) -> bool {
        match self.mode {
            Mode::Idling { .. } => true,
            Mode::Command => {
                self.state.selected().is_some() && self.profile().responses.unsolicited_exists()
            }
            Mode::Authenticating { .. } => false,
        }
    }

    /// Updates to send because the feed moved while no command is being processed.
    pub async fn on_feed(&mut self) -> Reply {
        let idling = matches!(self.mode, Mode::Idling { .. });
        let moment = if idling {
            updates::Moment::Full
        } else {
            updates::Moment::Unsolicited
        };
        self.flush(moment).await
    }

    /// Flushes pending updates of the selected mailbox; a vanished mailbox ends the session.
    async fn flush(&mut self, moment: updates::Moment) -> Reply {
        let env = self.env.clone();
        let Some(sel) = self.state.selected_mut() else {
            return Reply::new(Vec::new());
        };
        match updates::flush(&env, sel, moment).await {
            Ok(responses) if !sel.gone => Reply::new(responses),
            Ok(mut responses) => {
                let text = env.profile.texts.texts().selected_mailbox_gone.clone();
                responses.push(status(None, StatusKind::Bye, None, text));
                self.state = State::Logout;
                Reply {
                    responses,
                    after: After::Close,
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the change feed");
                Reply::new(Vec::new())
            }
        }
    }
}

/// A status response.
pub fn status(
    tag: Option<Tag>,
    kind: StatusKind,
    code: Option<Code>,
    text: impl Into<String>,
) -> Response {
    Response::Status(StatusResponse {
        tag,
        kind,
        code,
        text: text.into(),
    })
}

/// An untagged data response.
pub fn data(d: Data) -> Response {
    Response::Data(d)
}
