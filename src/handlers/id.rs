//! ID (RFC 2971): the client's parameters are logged; the server answers with its own.

use crate::session::state::{HandlerResult, Outcome};
use crate::session::{data, Session};
use crate::wire::command::IdParams;
use crate::wire::Data;

pub fn handle(s: &Session, params: Option<IdParams>) -> HandlerResult {
    if let Some(params) = params {
        let shown: Vec<String> = params
            .iter()
            .take(30)
            .map(|(k, v)| {
                let v = v
                    .as_deref()
                    .map(String::from_utf8_lossy)
                    .unwrap_or_default();
                format!("{}={v}", String::from_utf8_lossy(k))
            })
            .collect();
        tracing::info!(client = %shown.join(", "), "ID");
    }
    let ours = vec![
        ("name".to_string(), Some("imap-mimic".to_string())),
        (
            "version".to_string(),
            Some(env!("CARGO_PKG_VERSION").to_string()),
        ),
        ("profile".to_string(), Some(s.profile().name.clone())),
    ];
    Ok(Outcome::with_untagged(vec![data(Data::Id(Some(ours)))]))
}
