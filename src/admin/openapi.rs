//! `GET /openapi.json`: an OpenAPI 3.0 document listing every route. Written by hand from
//! `ROUTES`; tests/admin.rs requests every route it lists, so the list cannot drift from
//! the router unnoticed.

use super::AdminState;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Map, Value};

pub(super) fn routes() -> Router<AdminState> {
    Router::new().route("/openapi.json", get(|| async { Json(document()) }))
}

/// (method, path, summary, request body schema name, success status).
const ROUTES: &[(&str, &str, &str, Option<&str>, u16)] = &[
    ("get", "/users", "List users", None, 200),
    ("post", "/users", "Create a user", Some("NewUser"), 201),
    (
        "delete",
        "/users/{user}",
        "Delete a user and everything they own",
        None,
        204,
    ),
    (
        "put",
        "/users/{user}/password",
        "Set a user's password",
        Some("NewPassword"),
        204,
    ),
    (
        "get",
        "/users/{user}/mailboxes",
        "List a user's mailboxes",
        None,
        200,
    ),
    (
        "post",
        "/users/{user}/mailboxes",
        "Create a mailbox",
        Some("NewMailbox"),
        201,
    ),
    (
        "delete",
        "/users/{user}/mailboxes/{mailbox}",
        "Delete a mailbox",
        None,
        204,
    ),
    (
        "put",
        "/users/{user}/mailboxes/{mailbox}/uidvalidity",
        "Set UIDVALIDITY and renumber the messages",
        Some("NewUidValidity"),
        200,
    ),
    (
        "get",
        "/users/{user}/mailboxes/{mailbox}/messages",
        "List messages",
        None,
        200,
    ),
    (
        "post",
        "/users/{user}/mailboxes/{mailbox}/messages",
        "Deliver a message (MIME-known or other-protocol)",
        Some("Message"),
        201,
    ),
    (
        "delete",
        "/users/{user}/mailboxes/{mailbox}/messages/{uid}",
        "Delete (expunge) a message from outside",
        None,
        204,
    ),
    (
        "post",
        "/users/{user}/mailboxes/{mailbox}/messages/{uid}/flags",
        "Set or clear flags from outside",
        Some("Flags"),
        200,
    ),
    (
        "post",
        "/users/{user}/mailboxes/{mailbox}/messages/{uid}/revise",
        "Revise a message: the old UID goes away, the revision gets a new UID",
        Some("Message"),
        200,
    ),
    ("get", "/sessions", "List connected sessions", None, 200),
    (
        "post",
        "/sessions/{id}/end",
        "End a session, with or without BYE",
        Some("End"),
        204,
    ),
    (
        "get",
        "/profiles/generation",
        "The live profile generation",
        None,
        200,
    ),
    (
        "post",
        "/profiles/reload",
        "Reload every profile and the server config (all or nothing); the report: generation, status (applied, unchanged, rejected with errors, refused with fields), changes. 422 unless applied or unchanged",
        None,
        200,
    ),
    ("get", "/metrics", "Prometheus text metrics", None, 200),
    ("get", "/openapi.json", "This document", None, 200),
];

/// Every (method, path) the API serves.
pub fn routes_listed() -> impl Iterator<Item = (&'static str, &'static str)> {
    ROUTES.iter().map(|r| (r.0, r.1))
}

fn document() -> Value {
    let mut paths = Map::new();
    for &(method, path, summary, body, status) in ROUTES {
        let entry = paths.entry(path).or_insert_with(|| json!({}));
        entry[method] = operation(path, summary, body, status);
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "imap-mimic admin API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Perturb mailboxes from outside IMAP while clients are connected."
        },
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": schemas(),
        },
        "security": [{ "bearer": [] }],
        "paths": paths,
    })
}

fn operation(path: &str, summary: &str, body: Option<&str>, status: u16) -> Value {
    let parameters: Vec<Value> = path
        .split('/')
        .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| {
            let kind = if matches!(name, "uid" | "id") {
                "integer"
            } else {
                "string"
            };
            json!({ "name": name, "in": "path", "required": true, "schema": { "type": kind } })
        })
        .collect();
    let error = json!({ "description": "error", "content": { "application/json": {
        "schema": { "$ref": "#/components/schemas/Error" } } } });
    let mut op = json!({
        "summary": summary,
        "parameters": parameters,
        "responses": {
            status.to_string(): { "description": "success" },
            "400": error, "401": error, "404": error,
        },
    });
    if let Some(name) = body {
        op["requestBody"] = json!({ "required": true, "content": { "application/json": {
            "schema": { "$ref": format!("#/components/schemas/{name}") } } } });
    }
    op
}

fn schemas() -> Value {
    let string = json!({ "type": "string" });
    let flags = json!({ "type": "array", "items": { "type": "string" } });
    json!({
        "Error": { "type": "object", "properties": { "error": string } },
        "NewUser": { "type": "object", "required": ["name", "password"],
            "properties": { "name": string, "password": string } },
        "NewPassword": { "type": "object", "required": ["password"],
            "properties": { "password": string } },
        "NewMailbox": { "type": "object", "required": ["name"], "properties": { "name": string } },
        "NewUidValidity": { "type": "object",
            "properties": { "uidvalidity": { "type": "integer" } } },
        "Message": { "type": "object", "properties": {
            "raw": string, "raw_base64": string,
            "kind": { "type": "string", "enum": ["mime-known", "other-protocol"] },
            "stored_size": { "type": "integer" }, "flags": flags,
            "internal_date": { "type": "string", "format": "date-time" } } },
        "Flags": { "type": "object", "required": ["mode", "flags"], "properties": {
            "mode": { "type": "string", "enum": ["add", "remove", "replace"] }, "flags": flags } },
        "End": { "type": "object", "properties": { "bye": { "type": "boolean" } } },
    })
}
