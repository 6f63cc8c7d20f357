//! Decisions a hook returns, and the helper functions scripts build them with. A hook
//! returns `()` (continue), one decision, or an array of them applied in order. A decision
//! is a map with a `kind`; the helpers only build such maps, so scripts may write the maps
//! themselves too.

use rhai::{Array, Dynamic, Engine, Map};
use std::time::Duration;

/// The longest delay a hook may ask for.
pub const MAX_DELAY_MS: i64 = 600_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Answer the command with this tagged status instead of running it (before) or
    /// instead of its own status (after).
    Reject {
        bad: bool,
        code: Option<String>,
        text: String,
    },
    Delay(Duration),
    /// `* BYE text`, then close.
    Bye(String),
    /// Close without a word (nothing of this reply is sent).
    Close,
    /// Send the first n bytes of the reply (which may end inside a literal), then close.
    CloseAfter(usize),
    AppendUntagged(Vec<String>),
    ReplaceUntagged(Vec<String>),
    RewriteTagged(String),
}

/// Registers `reject`, `delay`, `bye`, `close`, `append_untagged`, `replace_untagged`,
/// `rewrite_tagged`, `close_after` and `proceed` (`continue` is a rhai keyword).
pub fn register(engine: &mut Engine) {
    engine.register_fn("reject", |status: &str, code: &str, text: &str| {
        map(&[
            ("kind", "reject".into()),
            ("status", status.into()),
            ("code", code.into()),
            ("text", text.into()),
        ])
    });
    engine.register_fn("reject", |status: &str, text: &str| {
        map(&[
            ("kind", "reject".into()),
            ("status", status.into()),
            ("text", text.into()),
        ])
    });
    engine.register_fn("delay", |ms: i64| {
        map(&[("kind", "delay".into()), ("ms", ms.into())])
    });
    engine.register_fn("bye", |text: &str| {
        map(&[("kind", "bye".into()), ("text", text.into())])
    });
    engine.register_fn("close", || map(&[("kind", "close".into())]));
    engine.register_fn("close_after", |bytes: i64| {
        map(&[("kind", "close_after".into()), ("bytes", bytes.into())])
    });
    engine.register_fn("append_untagged", |lines: Array| {
        map(&[("kind", "append_untagged".into()), ("lines", lines.into())])
    });
    engine.register_fn("replace_untagged", |lines: Array| {
        map(&[("kind", "replace_untagged".into()), ("lines", lines.into())])
    });
    engine.register_fn("rewrite_tagged", |text: &str| {
        map(&[("kind", "rewrite_tagged".into()), ("text", text.into())])
    });
    engine.register_fn("proceed", || ());
    engine.register_fn("literal", |text: &str| literal(text));
}

fn map(entries: &[(&str, Dynamic)]) -> Map {
    entries
        .iter()
        .map(|(k, v)| ((*k).into(), v.clone()))
        .collect()
}

/// Reads what a hook returned.
pub fn parse(value: Dynamic) -> Result<Vec<Decision>, String> {
    if value.is_unit() {
        return Ok(Vec::new());
    }
    if value.is_array() {
        let items = value.cast::<Array>();
        let mut out = Vec::new();
        for item in items {
            out.extend(parse(item)?);
        }
        return Ok(out);
    }
    match value.try_cast::<Map>() {
        Some(m) => one(&m).map(|d| vec![d]),
        None => Err("a hook must return (), a decision map or an array of them".to_string()),
    }
}

fn one(m: &Map) -> Result<Decision, String> {
    let kind = string(m, "kind")?;
    Ok(match kind.as_str() {
        "reject" => reject(m)?,
        "delay" => {
            let ms = m
                .get("ms")
                .and_then(|v| v.as_int().ok())
                .ok_or("delay: `ms` must be an integer")?;
            if !(0..=MAX_DELAY_MS).contains(&ms) {
                return Err(format!("delay: {ms} ms is out of range 0..={MAX_DELAY_MS}"));
            }
            Decision::Delay(Duration::from_millis(ms as u64))
        }
        "bye" => Decision::Bye(line_text(string(m, "text")?)?),
        "close" => Decision::Close,
        "close_after" => {
            let n = m.get("bytes").and_then(|v| v.as_int().ok());
            let n = n
                .filter(|n| *n >= 0)
                .ok_or("close_after: `bytes` must be a count")?;
            Decision::CloseAfter(n as usize)
        }
        "append_untagged" => Decision::AppendUntagged(untagged_lines(m)?),
        "replace_untagged" => Decision::ReplaceUntagged(untagged_lines(m)?),
        "rewrite_tagged" => Decision::RewriteTagged(line_text(string(m, "text")?)?),
        other => return Err(format!("unknown decision kind {other:?}")),
    })
}

fn reject(m: &Map) -> Result<Decision, String> {
    let bad = match string(m, "status")?.to_ascii_uppercase().as_str() {
        "NO" => false,
        "BAD" => true,
        s => return Err(format!("reject: status {s:?} must be \"NO\" or \"BAD\"")),
    };
    let code = match m.get("code") {
        Some(_) => Some(string(m, "code")?).filter(|c| !c.is_empty()),
        None => None,
    };
    if let Some(c) = &code {
        if !c
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(format!("reject: code {c:?} must be an upper-case atom"));
        }
    }
    let text = line_text(string(m, "text")?)?;
    Ok(Decision::Reject { bad, code, text })
}

fn string(m: &Map, key: &str) -> Result<String, String> {
    m.get(key)
        .and_then(|v| v.clone().into_string().ok())
        .ok_or_else(|| format!("decision: `{key}` must be a string"))
}

/// A hook cannot break the framing: its texts are single lines.
fn line_text(text: String) -> Result<String, String> {
    if text.contains(['\r', '\n']) {
        return Err(format!("{text:?} must not contain CR or LF"));
    }
    Ok(text)
}

/// Untagged lines start with `* ` and are one response each (CRLF is added when sent): a
/// CRLF may only end a literal's announcement `{n}` and be followed by its n bytes.
fn untagged_lines(m: &Map) -> Result<Vec<String>, String> {
    let lines = m
        .get("lines")
        .and_then(|v| v.clone().try_cast::<Array>())
        .ok_or("decision: `lines` must be an array of strings")?;
    lines
        .into_iter()
        .map(|l| {
            let l = l
                .into_string()
                .map_err(|_| "decision: `lines` must be strings".to_string())?;
            if !l.starts_with("* ") {
                return Err(format!("untagged line {l:?} must start with \"* \""));
            }
            check_literals(l.as_bytes()).map_err(|e| format!("untagged line {l:?}: {e}"))?;
            Ok(l)
        })
        .collect()
}

/// Every CR or LF of a response is the CRLF after a `{n}` and n bytes of literal follow
/// it, so the client's framing stays in step (RFC 3501 §4.3).
fn check_literals(line: &[u8]) -> Result<(), String> {
    let mut i = 0;
    while let Some(at) = line[i..].iter().position(|&b| b == b'\r' || b == b'\n') {
        let at = i + at;
        if !line[at..].starts_with(b"\r\n") {
            return Err("a bare CR or LF outside a literal".to_string());
        }
        let n = announced(&line[..at]).ok_or("a CRLF that does not follow a literal's {n}")?;
        let end = at + 2 + n;
        if end > line.len() {
            return Err(format!("the literal announces {n} bytes but fewer follow"));
        }
        i = end;
    }
    Ok(())
}

/// The n of a `{n}` (or `{n+}`) that ends `head`.
fn announced(head: &[u8]) -> Option<usize> {
    let inner = head.strip_suffix(b"}")?;
    let inner = inner.strip_suffix(b"+").unwrap_or(inner);
    let open = inner.iter().rposition(|&b| b == b'{')?;
    let digits = std::str::from_utf8(&inner[open + 1..]).ok()?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// `{n}\r\n` and the text: a literal with n counted in bytes (rhai counts characters).
pub fn literal(text: &str) -> String {
    format!("{{{}}}\r\n{text}", text.len())
}
