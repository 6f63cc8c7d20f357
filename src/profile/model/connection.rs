//! Switches about the connection before and around login: greeting, capabilities,
//! authentication, timers and limits.

use super::section::{checks, section};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

section! {
    /// The greeting and the sign-off (consumed by `session::greeting`).
    pub struct Greeting, patch GreetingPatch {
        /// Text of the `* OK` greeting. Set-ImapSettings `-Banner`; PROFILES.md "greeting".
        banner: String => checks::line_text,
        /// Text of the `* BYE` that answers LOGOUT. PROFILES.md "logout".
        logout: String => checks::line_text,
    }
}

section! {
    /// What CAPABILITY announces, and so which extensions are enabled (consumed by
    /// `session::capability`).
    pub struct Capabilities, patch CapabilitiesPatch {
        /// The CAPABILITY line, in order. `AUTH=*` stands for the SASL mechanisms offered in
        /// the current state (see `[auth]`); `LOGINDISABLED` and `STARTTLS` appear only where
        /// they apply (RFC 3501 §6.2.1, §7.2.1). An extension is enabled exactly when it is
        /// listed: IDLE (RFC 2177), NAMESPACE (RFC 2342), UIDPLUS (RFC 4315), UNSELECT (RFC
        /// 3691), ID (RFC 2971), MOVE (RFC 6851), CHILDREN (RFC 3348), LITERAL+ (RFC 7888),
        /// SASL-IR (RFC 4959). PROFILES.md "CAPABILITY lines".
        line: Vec<String> => check_line,
        /// Names on `line` shown only once authenticated (Exchange 2013's `XPROXY3`).
        after_login_only: Vec<String>,
        /// Send `[CAPABILITY ...]` response codes in the greeting and in the OK of LOGIN,
        /// AUTHENTICATE and STARTTLS (RFC 3501 §7.2.1). MS-STANXIMAP V0020, V0023, V0024,
        /// V0052: Exchange never does.
        codes: bool,
    }
}

// The `section!` macro passes checks `&FieldType`.
#[allow(clippy::ptr_arg)]
fn check_line(line: &Vec<String>) -> Result<(), String> {
    let bad = line
        .iter()
        .find(|c| c.is_empty() || !c.bytes().all(is_atom_char));
    match bad {
        Some(c) => Err(format!("{c:?} is not a capability atom")),
        None if !line.iter().any(|c| c == "IMAP4rev1") => Err("must list IMAP4rev1".into()),
        None => Ok(()),
    }
}

fn is_atom_char(b: u8) -> bool {
    b.is_ascii_graphic() && !b"(){%\"\\]".contains(&b)
}

/// Set-ImapSettings `-LoginType` (MS-STANXIMAP V0022, V0025): where plaintext passwords
/// are accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum LoginType {
    /// LOGIN and AUTHENTICATE PLAIN allowed without TLS.
    PlainTextLogin,
    /// AUTHENTICATE PLAIN allowed without TLS, LOGIN not.
    PlainTextAuthentication,
    /// Neither before TLS (Exchange's default).
    SecureLogin,
}

/// SASL mechanisms imap-mimic implements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[allow(clippy::upper_case_acronyms)]
pub enum Mechanism {
    PLAIN,
    NTLM,
    GSSAPI,
}

section! {
    /// Authentication policy (consumed by `session::auth`).
    pub struct Auth, patch AuthPatch {
        /// Set-ImapSettings `-LoginType`; MS-STANXIMAP V0022, V0025.
        login_type: LoginType,
        /// SASL mechanisms in the order `AUTH=*` lists them. MS-STANXIMAP E0003.
        mechanisms: Vec<Mechanism>,
        /// Set-ImapSettings `-EnableGSSAPIAndNTLMAuth`: NTLM and GSSAPI are offered only
        /// while true.
        enable_gssapi_and_ntlm_auth: bool,
        /// Offer no mechanism at all (not even NTLM or GSSAPI) where plaintext
        /// authentication is refused. PROFILES.md CAPABILITY table: 2013 and 2016 list no
        /// `AUTH=` before STARTTLS, 2007 – 2010 SP2 list NTLM and GSSAPI there.
        hide_mechanisms_while_plaintext_refused: bool,
        /// Announce and enforce LOGINDISABLED on TLS connections too (implicit TLS or after
        /// STARTTLS), leaving AUTHENTICATE as the way in. MS-STANXIMAP §2.1.4 (off by
        /// default in Exchange).
        login_disabled_over_tls: bool,
        /// Failed LOGIN / AUTHENTICATE attempts a session may make; the next failure ends
        /// it with a BYE. 0 means no limit. MS-STANXIMAP V0061 (Exchange: 4, counted per
        /// session only).
        max_auth_failures: u32,
    }
}

section! {
    /// Timers (consumed by `session::timers`).
    pub struct Timeouts, patch TimeoutsPatch {
        /// Seconds an authenticated session may stay idle before it is logged out.
        /// Set-ImapSettings `-AuthenticatedConnectionTimeout`; MS-STANXIMAP V0015
        /// (may be below RFC 3501 §5.4's 30 minutes).
        authenticated_connection_timeout: u32 => checks::seconds,
        /// Seconds a connection may stay unauthenticated. Set-ImapSettings
        /// `-PreAuthenticatedConnectionTimeout`; MS-STANXIMAP E0002.
        pre_authenticated_connection_timeout: u32 => checks::seconds,
        /// Whether a command resets the unauthenticated timer. MS-STANXIMAP E0002: Exchange's
        /// limits the whole unauthenticated phase and commands do not reset it.
        pre_authenticated_timeout_resets: bool,
    }
}

section! {
    /// Connection limits (consumed by `server::limits`).
    pub struct Limits, patch LimitsPatch {
        /// Set-ImapSettings `-MaxConnections`: connections to the server at once.
        max_connections: u32 => checks::positive,
        /// Set-ImapSettings `-MaxConnectionFromSingleIP`.
        max_connection_from_single_ip: u32 => checks::positive,
        /// Set-ImapSettings `-MaxConnectionsPerUser`: authenticated sessions of one user.
        max_connections_per_user: u32 => checks::positive,
    }
}
