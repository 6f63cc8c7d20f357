//! `/users`: create, list, delete, set password. Credentials go through `accounts` so the
//! NTLM secret is sealed alongside the argon2 hash.

use super::error::{ApiError, ApiResult, JsonBody, Segments};
use super::AdminState;
use crate::accounts;
use crate::secret::Secret;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

pub(super) fn routes() -> Router<AdminState> {
    Router::new()
        .route("/users", get(list).post(create))
        .route("/users/{user}", axum::routing::delete(remove))
        .route("/users/{user}/password", put(set_password))
}

#[derive(Serialize)]
struct UserView {
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewUser {
    name: String,
    password: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewPassword {
    password: String,
}

async fn list(State(state): State<AdminState>) -> ApiResult<Json<Vec<UserView>>> {
    let users = state.store.list_users().await?;
    Ok(Json(
        users
            .into_iter()
            .map(|u| UserView { name: u.name })
            .collect(),
    ))
}

async fn create(
    State(state): State<AdminState>,
    JsonBody(body): JsonBody<NewUser>,
) -> ApiResult<(StatusCode, Json<UserView>)> {
    if body.name.is_empty() || body.name.contains(char::is_whitespace) {
        return Err(ApiError::BadRequest(
            "a user name is non-empty and has no spaces".into(),
        ));
    }
    let key = state.ntlm_key.as_deref();
    let password = Secret::new(body.password);
    accounts::create_user(&state.store, key, &body.name, &password, state.cost)
        .await
        .map_err(|e| match e {
            crate::storage::StoreError::AlreadyExists(_) => {
                ApiError::Conflict(format!("user {:?}", body.name))
            }
            other => other.into(),
        })?;
    Ok((StatusCode::CREATED, Json(UserView { name: body.name })))
}

async fn remove(
    State(state): State<AdminState>,
    Segments(user): Segments<String>,
) -> ApiResult<StatusCode> {
    state.user(&user).await?;
    state.store.delete_user(&user).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn set_password(
    State(state): State<AdminState>,
    Segments(user): Segments<String>,
    JsonBody(body): JsonBody<NewPassword>,
) -> ApiResult<StatusCode> {
    state.user(&user).await?;
    let key = state.ntlm_key.as_deref();
    let password = Secret::new(body.password);
    accounts::set_password(&state.store, key, &user, &password, state.cost).await?;
    Ok(StatusCode::NO_CONTENT)
}
