//! `/users/{user}/mailboxes`: create, list, delete, and set UIDVALIDITY (which renumbers
//! the messages, as a server rebuilding a mailbox does: RFC 3501 §2.3.1.1). Names are as
//! stored: modified UTF-7, `/` as the hierarchy delimiter (percent-encode it in paths).

use super::error::{ApiError, ApiResult, JsonBody, Segments};
use super::{canonical, AdminState};
use crate::storage::{Mailbox, Origin};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

pub(super) fn routes() -> Router<AdminState> {
    Router::new()
        .route("/users/{user}/mailboxes", get(list).post(create))
        .route("/users/{user}/mailboxes/{mailbox}", delete(remove))
        .route(
            "/users/{user}/mailboxes/{mailbox}/uidvalidity",
            put(set_uidvalidity),
        )
}

#[derive(Serialize)]
pub(super) struct MailboxView {
    name: String,
    uidvalidity: u32,
    uidnext: u32,
    selectable: bool,
    messages: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewMailbox {
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewUidValidity {
    /// Without it, the next value of the server's counter.
    uidvalidity: Option<u32>,
}

async fn view(state: &AdminState, m: Mailbox) -> ApiResult<MailboxView> {
    let counts = state.store.counts(m.id).await?;
    Ok(MailboxView {
        name: m.name,
        uidvalidity: m.uidvalidity,
        uidnext: m.uidnext,
        selectable: m.selectable,
        messages: counts.messages,
    })
}

async fn list(
    State(state): State<AdminState>,
    Segments(user): Segments<String>,
) -> ApiResult<Json<Vec<MailboxView>>> {
    let owner = state.user(&user).await?;
    // INBOX always exists (RFC 3501 §5.1), also before the user's first login.
    state.store.ensure_inbox(owner.id).await?;
    let mut out = Vec::new();
    for m in state.store.list_mailboxes(owner.id).await? {
        out.push(view(&state, m).await?);
    }
    Ok(Json(out))
}

async fn create(
    State(state): State<AdminState>,
    Segments(user): Segments<String>,
    JsonBody(body): JsonBody<NewMailbox>,
) -> ApiResult<(StatusCode, Json<MailboxView>)> {
    let name = canonical(&body.name);
    if name.is_empty() || name.starts_with('/') || name.ends_with('/') || name.contains("//") {
        return Err(ApiError::BadRequest(format!(
            "{name:?} is not a mailbox name"
        )));
    }
    let owner = state.user(&user).await?;
    let created = state
        .store
        .create_mailbox_path(owner.id, &name)
        .await
        .map_err(|e| match e {
            crate::storage::StoreError::AlreadyExists(_) => {
                ApiError::Conflict(format!("mailbox {name:?} of user {user:?}"))
            }
            other => other.into(),
        })?;
    Ok((StatusCode::CREATED, Json(view(&state, created).await?)))
}

async fn remove(
    State(state): State<AdminState>,
    Segments((user, name)): Segments<(String, String)>,
) -> ApiResult<StatusCode> {
    let mailbox = state.mailbox(&user, &canonical(&name)).await?;
    if mailbox.name == "INBOX" {
        return Err(ApiError::BadRequest("INBOX cannot be deleted".into()));
    }
    state
        .store
        .delete_mailbox(mailbox.id, Origin::External)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn set_uidvalidity(
    State(state): State<AdminState>,
    Segments((user, name)): Segments<(String, String)>,
    JsonBody(body): JsonBody<NewUidValidity>,
) -> ApiResult<Json<MailboxView>> {
    let mailbox = state.mailbox(&user, &canonical(&name)).await?;
    if let Some(v) = body.uidvalidity {
        if v == 0 || v == mailbox.uidvalidity {
            return Err(ApiError::BadRequest(format!(
                "uidvalidity must be non-zero and differ from the current {}",
                mailbox.uidvalidity
            )));
        }
    }
    let renumbered = state
        .store
        .set_uidvalidity(mailbox.id, body.uidvalidity)
        .await?;
    Ok(Json(view(&state, renumbered).await?))
}
