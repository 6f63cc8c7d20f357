//! Status responses with their response codes (RFC 3501 §7.1, RFC 4315 UIDPLUS codes,
//! RFC 5530 codes as `Code::Other`) and continuation requests (§7.5).

use super::strings::{astring, flag, join, number};
use crate::wire::response::{Code, Continue, StatusKind, StatusResponse, UidSet};
use crate::wire::types::PermanentFlag;
use base64::Engine;

/// `response-tagged` / `resp-cond-*`: `tag SP OK [code] text` or `* OK ...`, without CRLF.
pub(super) fn status(s: &StatusResponse, out: &mut Vec<u8>) {
    match &s.tag {
        Some(tag) => out.extend_from_slice(tag.as_str().as_bytes()),
        None => out.push(b'*'),
    }
    out.push(b' ');
    out.extend_from_slice(kind(s.kind).as_bytes());
    if let Some(c) = &s.code {
        out.extend_from_slice(b" [");
        code(c, out);
        out.push(b']');
    }
    if !s.text.is_empty() {
        out.push(b' ');
        text(&s.text, &[], out);
    }
}

fn kind(k: StatusKind) -> &'static str {
    match k {
        StatusKind::Ok => "OK",
        StatusKind::No => "NO",
        StatusKind::Bad => "BAD",
        StatusKind::PreAuth => "PREAUTH",
        StatusKind::Bye => "BYE",
    }
}

/// Human-readable text; CR and LF (and `also` bytes) become spaces so a handler's text can
/// never break the line framing.
fn text(t: &str, also: &[u8], out: &mut Vec<u8>) {
    out.extend(t.bytes().map(|b| {
        if b == b'\r' || b == b'\n' || also.contains(&b) {
            b' '
        } else {
            b
        }
    }));
}

/// `resp-text-code`, without the brackets. Public in the crate because Exchange's bare
/// `[COPYUID ...]` line (MS-STANXIMAP, MOVE) is built from it by the session.
pub(crate) fn code(c: &Code, out: &mut Vec<u8>) {
    let word = |w: &str, out: &mut Vec<u8>| out.extend_from_slice(w.as_bytes());
    match c {
        Code::Alert => word("ALERT", out),
        Code::Parse => word("PARSE", out),
        Code::ReadOnly => word("READ-ONLY", out),
        Code::ReadWrite => word("READ-WRITE", out),
        Code::TryCreate => word("TRYCREATE", out),
        Code::UidNext(n) => numbered("UIDNEXT", *n, out),
        Code::UidValidity(n) => numbered("UIDVALIDITY", *n, out),
        Code::Unseen(n) => numbered("UNSEEN", *n, out),
        Code::BadCharset(sets) => {
            word("BADCHARSET", out);
            if !sets.is_empty() {
                out.extend_from_slice(b" (");
                join(sets, out, |s, out| astring(s.as_bytes(), out));
                out.push(b')');
            }
        }
        Code::Capability(caps) => {
            word("CAPABILITY", out);
            for cap in caps {
                out.push(b' ');
                word(cap, out);
            }
        }
        Code::PermanentFlags(flags) => {
            word("PERMANENTFLAGS (", out);
            join(flags, out, |f, out| match f {
                PermanentFlag::Flag(f) => flag(f, out),
                PermanentFlag::Wildcard => out.extend_from_slice(b"\\*"),
            });
            out.push(b')');
        }
        Code::AppendUid { uidvalidity, uids } => {
            numbered("APPENDUID", *uidvalidity, out);
            out.push(b' ');
            uid_set(uids, out);
        }
        Code::CopyUid {
            uidvalidity,
            source,
            destination,
        } => {
            numbered("COPYUID", *uidvalidity, out);
            out.push(b' ');
            uid_set(source, out);
            out.push(b' ');
            uid_set(destination, out);
        }
        Code::Other { atom, text: t } => {
            word(atom, out);
            if let Some(t) = t {
                out.push(b' ');
                // `1*<any TEXT-CHAR except "]">`
                text(t, b"]", out);
            }
        }
    }
}

fn numbered(name: &str, n: u32, out: &mut Vec<u8>) {
    out.extend_from_slice(name.as_bytes());
    out.push(b' ');
    number(n, out);
}

/// RFC 4315 `uid-set`: `1:3,5`.
pub(super) fn uid_set(set: &UidSet, out: &mut Vec<u8>) {
    for (i, &(a, b)) in set.0.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        number(a, out);
        if a != b {
            out.push(b':');
            number(b, out);
        }
    }
}

/// `continue-req = "+" SP (resp-text / base64)`; `Bare` is Exchange's lone `+`.
pub(super) fn continuation(c: &Continue, out: &mut Vec<u8>) {
    match c {
        Continue::Text(t) => {
            out.extend_from_slice(b"+ ");
            text(t, &[], out);
        }
        Continue::Base64(bytes) => {
            out.extend_from_slice(b"+ ");
            let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
            out.extend_from_slice(b64.as_bytes());
        }
        Continue::Bare => out.push(b'+'),
    }
}
