//! What is running: `/sessions` (list, end with or without BYE), `/profiles` (reload,
//! generation) and `/metrics` (Prometheus text).

use super::error::{ApiError, ApiResult, JsonBody, Segments};
use super::AdminState;
use crate::profile::reload::{Outcome, ReloadReport};
use crate::server::sessions::{End, SessionInfo};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

pub(super) fn routes() -> Router<AdminState> {
    Router::new()
        .route("/sessions", get(sessions))
        .route("/sessions/{id}/end", post(end))
        .route("/profiles/generation", get(generation))
        .route("/profiles/reload", post(reload))
        .route("/metrics", get(metrics))
}

async fn sessions(State(state): State<AdminState>) -> Json<Vec<SessionInfo>> {
    Json(state.sessions.list())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EndIn {
    /// Send an untagged BYE before closing (default true).
    #[serde(default = "yes")]
    bye: bool,
}

fn yes() -> bool {
    true
}

async fn end(
    State(state): State<AdminState>,
    Segments(id): Segments<i64>,
    JsonBody(body): JsonBody<EndIn>,
) -> ApiResult<StatusCode> {
    let how = if body.bye { End::Bye } else { End::Drop };
    if state.sessions.end(id, how) {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound(format!("session {id}")))
    }
}

#[derive(Serialize)]
struct GenerationOut {
    generation: u64,
}

async fn generation(State(state): State<AdminState>) -> Json<GenerationOut> {
    Json(GenerationOut {
        generation: state.reloader.generation(),
    })
}

/// The reload's report as JSON: 200 when applied or unchanged, 422 with every error (or
/// every refused startup field) otherwise; the last good profiles then stay in force.
async fn reload(State(state): State<AdminState>) -> (StatusCode, Json<ReloadReport>) {
    let report = state.reloader.reload().await;
    let ok = matches!(report.outcome, Outcome::Applied | Outcome::Unchanged);
    state
        .sessions
        .metrics
        .reload(if ok { "ok" } else { "failed" });
    tracing::info!(%report, "profile reload requested through the admin API");
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (status, Json(report))
}

async fn metrics(State(state): State<AdminState>) -> impl IntoResponse {
    let text = state.sessions.metrics.render(&state.sessions.list());
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text)
}
