//! `/users/{user}/mailboxes/{mailbox}/messages`: what another protocol does to a mailbox
//! while IMAP clients watch (MS-STANXIMAP V0013): deliver, change flags, delete, revise.
//! Sessions see each change through the change feed, as their profile says (V0046: no
//! untagged FETCH for an outside flag change under Exchange).

use super::error::{ApiError, ApiResult, JsonBody, Segments};
use super::input;
use super::AdminState;
use crate::storage::{FlagSet, NewMessage, Origin, Want};
use crate::wire::types::{ImapDateTime, StoreMode};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use base64::Engine;
use serde::{Deserialize, Serialize};

pub(super) fn routes() -> Router<AdminState> {
    let base = "/users/{user}/mailboxes/{mailbox}/messages";
    Router::new()
        .route(base, get(list).post(deliver))
        .route(&format!("{base}/{{uid}}"), delete(expunge))
        .route(&format!("{base}/{{uid}}/flags"), post(set_flags))
        .route(&format!("{base}/{{uid}}/revise"), post(revise))
}

/// How the message came in. MIME-known: like SMTP delivery, its size is its MIME length.
/// Other protocol: created through another protocol (MS-STANXIMAP V0006), its RFC822.SIZE
/// is the stored size where the profile reports that.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum Kind {
    #[default]
    MimeKnown,
    OtherProtocol,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MessageIn {
    /// The RFC 5322 message as text (bare LF line ends become CRLF)...
    raw: Option<String>,
    /// ...or as base64, for 8-bit content.
    raw_base64: Option<String>,
    #[serde(default)]
    kind: Kind,
    stored_size: Option<u32>,
    flags: Option<Vec<String>>,
    /// RFC 3339; the current time when absent.
    internal_date: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FlagsIn {
    mode: Mode,
    flags: Vec<String>,
}

#[derive(Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Mode {
    Add,
    Remove,
    Replace,
}

#[derive(Serialize)]
struct MessageView {
    uid: u32,
    flags: Vec<String>,
    size: u32,
    stored_size: Option<u32>,
    internal_date: i64,
}

#[derive(Serialize)]
struct Delivered {
    uid: u32,
    uidvalidity: u32,
}

#[derive(Serialize)]
struct Revised {
    old_uid: u32,
    uid: u32,
}

#[derive(Serialize)]
struct FlagsOut {
    uid: u32,
    flags: Vec<String>,
}

/// A checked message: CRLF bytes, flags, date, size facts.
struct Checked {
    raw: Vec<u8>,
    flags: Option<FlagSet>,
    date: ImapDateTime,
    size_known: bool,
    stored_size: Option<u32>,
}

fn check(m: MessageIn) -> ApiResult<Checked> {
    let bad = ApiError::BadRequest;
    let raw = match (m.raw, m.raw_base64) {
        (Some(text), None) => text.into_bytes(),
        (None, Some(b64)) => base64::engine::general_purpose::STANDARD
            .decode(b64.trim())
            .map_err(|e| bad(format!("raw_base64 is not base64: {e}")))?,
        _ => return Err(bad("give exactly one of raw and raw_base64".into())),
    };
    let raw = input::crlf(&raw);
    input::check_rfc5322(&raw)
        .map_err(|(line, why)| bad(format!("not an RFC 5322 message: line {line}: {why}")))?;
    if m.kind == Kind::MimeKnown && m.stored_size.is_some() {
        return Err(bad(
            "stored_size applies to kind \"other-protocol\" only".into()
        ));
    }
    let flags = m
        .flags
        .as_deref()
        .map(input::flags)
        .transpose()
        .map_err(bad)?;
    let date = match m.internal_date {
        Some(text) => parse_date(&text).map_err(bad)?,
        None => crate::handlers::append::now(),
    };
    Ok(Checked {
        raw,
        flags,
        date,
        size_known: m.kind == Kind::MimeKnown,
        stored_size: m.stored_size,
    })
}

fn parse_date(text: &str) -> Result<ImapDateTime, String> {
    let d = chrono::DateTime::parse_from_rfc3339(text)
        .map_err(|e| format!("internal_date {text:?} is not RFC 3339: {e}"))?;
    Ok(ImapDateTime {
        timestamp: d.timestamp(),
        offset_minutes: d.offset().local_minus_utc() / 60,
    })
}

async fn list(
    State(state): State<AdminState>,
    Segments((user, name)): Segments<(String, String)>,
) -> ApiResult<Json<Vec<MessageView>>> {
    let mailbox = state.mailbox(&user, &name).await?;
    let uids = state.store.snapshot(mailbox.id).await?.uids;
    let data = state
        .store
        .fetch(mailbox.id, &uids, Want::default())
        .await?;
    Ok(Json(
        data.into_iter()
            .map(|m| MessageView {
                uid: m.uid,
                flags: input::names(&m.flags),
                size: m.size,
                stored_size: m.stored_size,
                internal_date: m.internal_date.timestamp,
            })
            .collect(),
    ))
}

async fn deliver(
    State(state): State<AdminState>,
    Segments((user, name)): Segments<(String, String)>,
    JsonBody(body): JsonBody<MessageIn>,
) -> ApiResult<(StatusCode, Json<Delivered>)> {
    let m = check(body)?;
    let mailbox = state.mailbox(&user, &name).await?;
    let analysis = crate::mime::analyze(&m.raw);
    let message = NewMessage {
        size_known: m.size_known,
        stored_size: m.stored_size,
        ..NewMessage::analyzed(&m.raw, &analysis, m.flags.unwrap_or_default(), m.date)
    };
    let (uidvalidity, uid) = state
        .store
        .append(mailbox.id, message, Origin::External)
        .await
        .map_err(|e| not_selectable(e, &name))?;
    Ok((StatusCode::CREATED, Json(Delivered { uid, uidvalidity })))
}

fn not_selectable(e: crate::storage::StoreError, name: &str) -> ApiError {
    match e {
        crate::storage::StoreError::NotFound(_) => ApiError::BadRequest(format!(
            "mailbox {name:?} cannot hold messages (\\Noselect)"
        )),
        other => other.into(),
    }
}

fn missing(uid: u32, name: &str) -> ApiError {
    ApiError::NotFound(format!("message UID {uid} in mailbox {name:?}"))
}

async fn set_flags(
    State(state): State<AdminState>,
    Segments((user, name, uid)): Segments<(String, String, u32)>,
    JsonBody(body): JsonBody<FlagsIn>,
) -> ApiResult<Json<FlagsOut>> {
    let flags = input::flags(&body.flags).map_err(ApiError::BadRequest)?;
    let mailbox = state.mailbox(&user, &name).await?;
    let mode = match body.mode {
        Mode::Add => StoreMode::Add,
        Mode::Remove => StoreMode::Remove,
        Mode::Replace => StoreMode::Replace,
    };
    let result = state
        .store
        .store_flags(mailbox.id, &[uid], mode, &flags, Origin::External)
        .await?;
    let (uid, flags) = result
        .into_iter()
        .next()
        .ok_or_else(|| missing(uid, &name))?;
    Ok(Json(FlagsOut {
        uid,
        flags: input::names(&flags),
    }))
}

async fn expunge(
    State(state): State<AdminState>,
    Segments((user, name, uid)): Segments<(String, String, u32)>,
) -> ApiResult<StatusCode> {
    let mailbox = state.mailbox(&user, &name).await?;
    let removed = state
        .store
        .remove(mailbox.id, &[uid], Origin::External)
        .await?;
    if removed.is_empty() {
        return Err(missing(uid, &name));
    }
    Ok(StatusCode::NO_CONTENT)
}

async fn revise(
    State(state): State<AdminState>,
    Segments((user, name, uid)): Segments<(String, String, u32)>,
    JsonBody(body): JsonBody<MessageIn>,
) -> ApiResult<Json<Revised>> {
    let m = check(body)?;
    let mailbox = state.mailbox(&user, &name).await?;
    let analysis = crate::mime::analyze(&m.raw);
    let message = NewMessage {
        size_known: m.size_known,
        stored_size: m.stored_size,
        ..NewMessage::analyzed(&m.raw, &analysis, FlagSet::default(), m.date)
    };
    let new = state
        .store
        .revise_message(mailbox.id, uid, message, m.flags)
        .await
        .map_err(|e| match e {
            crate::storage::StoreError::NotFound(_) => missing(uid, &name),
            other => other.into(),
        })?;
    Ok(Json(Revised {
        old_uid: uid,
        uid: new,
    }))
}
