//! The loopback HTTP admin API ("the external agent", DESIGN.md): users, mailboxes,
//! messages changed from outside IMAP (MS-STANXIMAP V0013, V0046, §2.1.2, §2.1.3), the
//! live sessions, profile reloads, an OpenAPI document and Prometheus metrics.
//!
//! Beside the command path: it writes through `storage` with `Origin::External`, and
//! sessions learn of those writes from the change feed like of any other. JSON in and
//! out; every request needs the bearer token (401 otherwise); errors are
//! `{"error": "..."}`.

pub mod client;
pub mod error;
pub mod input;
mod live;
mod mailboxes;
mod messages;
pub mod openapi;
pub mod token;
mod users;

use crate::ntlm::secret::SealingKey;
use crate::password::Cost;
use crate::profile::reload::ReloadHandle;
use crate::server::sessions::Sessions;
use crate::storage::{Mailbox, Store, User};
use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use error::{ApiError, ApiResult};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::watch;

/// What the handlers work with.
#[derive(Clone)]
pub struct AdminState {
    pub store: Store,
    pub ntlm_key: Option<Arc<SealingKey>>,
    pub sessions: Arc<Sessions>,
    /// The same handle the file watcher and SIGHUP use: reloads run one at a time.
    pub reloader: ReloadHandle,
    pub token: Arc<str>,
    /// Password hashing cost for users created or changed here.
    pub cost: Cost,
}

impl AdminState {
    /// The user named `name`, or a 404 naming it.
    async fn user(&self, name: &str) -> ApiResult<User> {
        self.store
            .user_by_name(name)
            .await?
            .ok_or_else(|| ApiError::NotFound(format!("user {name:?}")))
    }

    /// The mailbox `name` of user `user`, or a 404 naming whichever is missing.
    async fn mailbox(&self, user: &str, name: &str) -> ApiResult<Mailbox> {
        let owner = self.user(user).await?;
        let name = &canonical(name);
        if let Some(found) = self.store.mailbox_named(owner.id, name).await? {
            return Ok(found);
        }
        if name == "INBOX" {
            // INBOX always exists (RFC 3501 §5.1), even before the user's first login.
            return Ok(self.store.ensure_inbox(owner.id).await?);
        }
        Err(ApiError::NotFound(format!(
            "mailbox {name:?} of user {user:?}"
        )))
    }
}

/// `INBOX` in any case is INBOX (RFC 3501 §5.1); other names are case-sensitive.
pub fn canonical(name: &str) -> String {
    if name.eq_ignore_ascii_case("INBOX") {
        "INBOX".into()
    } else {
        name.to_string()
    }
}

/// A running admin API.
pub struct AdminServer {
    pub addr: SocketAddr,
    shutdown: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl AdminServer {
    pub async fn stop(self) {
        let _ = self.shutdown.send(true);
        let _ = self.task.await;
    }
}

/// Binds `addr` and serves the API. Non-loopback addresses are the caller's explicit
/// choice; the token is required either way.
pub async fn start(addr: SocketAddr, state: AdminState) -> std::io::Result<AdminServer> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    if !addr.ip().is_loopback() {
        tracing::warn!(%addr, "the admin API listens on a non-loopback address");
    }
    tracing::info!(%addr, "admin API listening");
    let (shutdown, mut rx) = watch::channel(false);
    let app = router(state);
    let task = tokio::spawn(async move {
        let stop = async move {
            let _ = rx.changed().await;
        };
        if let Err(e) = axum::serve(listener, app)
            .with_graceful_shutdown(stop)
            .await
        {
            tracing::warn!(error = %e, "admin API stopped");
        }
    });
    Ok(AdminServer {
        addr,
        shutdown,
        task,
    })
}

/// Largest request body: a 48 MiB message, base64-encoded, with room to spare.
const MAX_BODY: usize = 72 * 1024 * 1024;

/// Every route, behind the token check.
pub fn router(state: AdminState) -> Router {
    Router::new()
        .merge(users::routes())
        .merge(mailboxes::routes())
        .merge(messages::routes())
        .merge(live::routes())
        .merge(openapi::routes())
        .fallback(no_route)
        // Messages travel in JSON bodies: allow large ones (axum's default is 2 MB).
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY))
        .layer(middleware::from_fn_with_state(state.clone(), authorize))
        .with_state(state)
}

async fn no_route(request: Request) -> ApiError {
    ApiError::NotFound(format!(
        "route {} {}",
        request.method(),
        request.uri().path()
    ))
}

/// 401 unless the request carries `Authorization: Bearer <token>`.
async fn authorize(
    State(state): State<AdminState>,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let given = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.as_bytes().strip_prefix(b"Bearer "));
    match given {
        Some(t) if token::matches(t, state.token.as_bytes()) => {
            let response = next.run(request).await;
            if response.status().is_server_error() {
                state.sessions.metrics.error("admin_api");
            }
            Ok(response)
        }
        _ => Err(ApiError::Unauthorized),
    }
}
