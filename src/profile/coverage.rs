//! Where each item of MS-STANXIMAP lives: the switch that implements it, or the fixed
//! behaviour every profile shares. The README's coverage table is generated from this and
//! the shipped profiles (`imap-mimic profile coverage`), and a test keeps the two in step.

use super::load::ProfileSet;

/// How an MS-STANXIMAP item is implemented.
#[derive(Clone, Copy, Debug)]
pub enum Implementation {
    /// `section.switch` names (their values differ between profiles).
    Switches(&'static [&'static str]),
    /// The same in every profile: what imap-mimic does.
    Fixed(&'static str),
}

use Implementation::{Fixed, Switches};

/// Every item of MS-STANXIMAP §2.1 and §2.2, in document order.
pub const ITEMS: &[(&str, &str, Implementation)] = &[
    (
        "§2.1.1",
        "listening ports",
        Fixed("any address and port: `--listen`, `--listen-tls`, config file"),
    ),
    (
        "§2.1.2",
        "revised message gets a new UID",
        Fixed("the admin API's revise: old UID expunged, new UID appended"),
    ),
    (
        "§2.1.3",
        "mailbox + UIDVALIDITY + UID immutable",
        Fixed("as §2.1.2: a revision is a new message"),
    ),
    (
        "§2.1.4",
        "LOGINDISABLED over TLS",
        Switches(&["auth.login_disabled_over_tls"]),
    ),
    (
        "§2.1.5",
        "responses follow the ABNF strictly",
        Switches(&["responses.status_trailing_space"]),
    ),
    (
        "§2.1.6",
        "TAB as a command delimiter",
        Switches(&["parsing.tab_delimiter"]),
    ),
    (
        "§2.1.7",
        "no RC4 cipher suite",
        Fixed("rustls's modern suites only"),
    ),
    (
        "C0001",
        "any tag format",
        Switches(&["parsing.any_tag_format"]),
    ),
    (
        "V0001",
        "reused tags",
        Fixed("accepted (RFC 3501 does not forbid them)"),
    ),
    (
        "V0002",
        "unsolicited responses",
        Switches(&["responses.unsolicited_exists"]),
    ),
    (
        "V0003",
        "liberal spaces in commands",
        Switches(&["parsing.tab_delimiter"]),
    ),
    (
        "V0004",
        "UID changes between sessions",
        Fixed("only through a revision from outside (§2.1.2)"),
    ),
    (
        "E0001",
        "$MDNSent keyword",
        Switches(&["messages.server_keywords"]),
    ),
    (
        "V0005",
        "no client-defined keywords",
        Switches(&["messages.client_keywords"]),
    ),
    (
        "V0006",
        "RFC 822 size from storage",
        Switches(&["messages.enable_exact_rfc822_size"]),
    ),
    (
        "V0007",
        "no 8-bit in server strings",
        Switches(&["responses.ascii_only_strings"]),
    ),
    (
        "V0008",
        "case-insensitive names",
        Switches(&["mailboxes.case_insensitive_names"]),
    ),
    (
        "V0009",
        "literal for names with specials",
        Switches(&["responses.mailbox_literal_chars"]),
    ),
    (
        "V0010",
        "wildcards in names",
        Switches(&["mailboxes.wildcards_in_names"]),
    ),
    (
        "V0011",
        "hierarchy delimiter",
        Switches(&["mailboxes.delimiter"]),
    ),
    (
        "V0012",
        "`&` encoded, `#` allowed",
        Fixed("modified UTF-7 validated; `#` allowed unescaped"),
    ),
    (
        "C0002",
        "at most 31 levels",
        Switches(&["mailboxes.max_depth"]),
    ),
    (
        "C0003",
        "at most 250 characters",
        Switches(&["mailboxes.max_name_length"]),
    ),
    (
        "V0013",
        "other protocols change mailboxes",
        Fixed("the admin API and `imap-mimic inject`"),
    ),
    (
        "V0014",
        "unsolicited responses are short",
        Switches(&["responses.unsolicited_exists"]),
    ),
    (
        "V0015",
        "autologout timer",
        Switches(&["timeouts.authenticated_connection_timeout"]),
    ),
    (
        "E0002",
        "unauthenticated timer",
        Switches(&[
            "timeouts.pre_authenticated_connection_timeout",
            "timeouts.pre_authenticated_timeout_resets",
        ]),
    ),
    (
        "V0016",
        "commands processed serially",
        Fixed("one command at a time per connection"),
    ),
    ("V0017", "no ambiguity handling needed", Fixed("as V0016")),
    (
        "V0018",
        "no unauthenticated access",
        Fixed("never PREAUTH, no anonymous mailboxes"),
    ),
    (
        "V0019",
        "no ANONYMOUS",
        Fixed("`anonymous` is an unknown user; AUTHENTICATE ANONYMOUS unsupported"),
    ),
    (
        "V0020",
        "no CAPABILITY code after STARTTLS",
        Switches(&["capabilities.codes"]),
    ),
    ("V0021", "no SASL security layer", Fixed("never negotiated")),
    ("E0003", "SASL mechanisms", Switches(&["auth.mechanisms"])),
    (
        "V0022",
        "plaintext authentication",
        Switches(&["auth.login_type"]),
    ),
    (
        "E0004",
        "mechanisms without plaintext passwords",
        Switches(&[
            "auth.enable_gssapi_and_ntlm_auth",
            "auth.hide_mechanisms_while_plaintext_refused",
        ]),
    ),
    (
        "V0023",
        "no CAPABILITY code after AUTHENTICATE",
        Switches(&["capabilities.codes"]),
    ),
    (
        "V0024",
        "no CAPABILITY code after LOGIN",
        Switches(&["capabilities.codes"]),
    ),
    ("V0025", "LOGIN without TLS", Switches(&["auth.login_type"])),
    (
        "V0026",
        "CREATE makes superiors",
        Fixed("superiors created in every profile"),
    ),
    (
        "V0027",
        "DELETE with inferiors",
        Switches(&["mailboxes.delete_with_inferiors"]),
    ),
    (
        "V0028",
        "RENAME with the delimiter",
        Switches(&["mailboxes.rename_with_delimiter"]),
    ),
    (
        "V0029",
        "SUBSCRIBE checks existence",
        Switches(&["mailboxes.subscribe_requires_existing"]),
    ),
    (
        "V0030",
        "LIST literal for `\\`",
        Switches(&["responses.mailbox_literal_chars"]),
    ),
    (
        "V0031",
        "reference that is not a level",
        Switches(&["mailboxes.list_reference_must_be_level"]),
    ),
    (
        "V0032",
        "no mailbox hidden from wildcards",
        Fixed("none hidden"),
    ),
    (
        "V0033",
        "LSUB literal quoting",
        Switches(&["responses.mailbox_literal_chars"]),
    ),
    (
        "V0034",
        "LSUB flags differ from LIST",
        Switches(&["mailboxes.lsub_minimal_attributes"]),
    ),
    (
        "V0035",
        "EXISTS with APPEND's completion",
        Fixed("EXISTS in the APPEND response, before its tagged OK"),
    ),
    (
        "V0036",
        "CHECK is NOOP",
        Fixed("CHECK reports pending updates like NOOP"),
    ),
    (
        "V0037",
        "SEARCH charsets",
        Switches(&["messages.search_charsets"]),
    ),
    (
        "V0038",
        "BADCHARSET lists charsets",
        Switches(&["messages.search_charsets"]),
    ),
    (
        "V0039",
        "KEYWORD",
        Switches(&["messages.client_keywords", "messages.server_keywords"]),
    ),
    (
        "V0040",
        "LARGER compares the reported size",
        Switches(&["messages.enable_exact_rfc822_size"]),
    ),
    (
        "V0041",
        "SMALLER compares the reported size",
        Switches(&["messages.enable_exact_rfc822_size"]),
    ),
    (
        "V0042",
        "UNKEYWORD",
        Switches(&["messages.client_keywords", "messages.server_keywords"]),
    ),
    (
        "V0043",
        "SEARCH nesting",
        Switches(&["messages.max_search_depth"]),
    ),
    (
        "V0044",
        "outside flag changes visible to FETCH",
        Fixed("FETCH reads the stored flags"),
    ),
    (
        "V0045",
        "RFC822.SIZE",
        Switches(&["messages.enable_exact_rfc822_size"]),
    ),
    (
        "V0046",
        "no FETCH for outside flag changes",
        Switches(&["messages.external_flag_updates"]),
    ),
    (
        "V0047",
        "no experimental commands",
        Fixed("only advertised extensions; others get BAD"),
    ),
    ("V0048", "optional response codes", Switches(&["texts"])),
    ("V0049", "no ALERT or PARSE", Fixed("never sent")),
    (
        "V0050",
        "untagged OK without code",
        Fixed("informational untagged OK carry text only"),
    ),
    ("V0051", "no PREAUTH", Fixed("never sent")),
    (
        "V0052",
        "no CAPABILITY code in the greeting",
        Switches(&["capabilities.codes"]),
    ),
    (
        "V0053",
        "LIST attributes",
        Switches(&["mailboxes.noinferiors_and_unmarked"]),
    ),
    (
        "V0054",
        "FLAGS lists the server's keywords",
        Switches(&["messages.server_keywords"]),
    ),
    (
        "V0055",
        "EXISTS after EXPUNGE",
        Switches(&["messages.expunge_reports_exists"]),
    ),
    (
        "V0056",
        "BODYSTRUCTURE extension data",
        Switches(&["responses.bodystructure_extension_data"]),
    ),
    (
        "V0057",
        "NIL for empty envelope fields",
        Switches(&["responses.envelope_empty_as_nil"]),
    ),
    (
        "V0058",
        "continuation for UID SEARCH literals",
        Switches(&["parsing.uid_search_literal_continuation"]),
    ),
    (
        "V0059",
        "no 3DES cipher suite",
        Fixed("rustls's modern suites only"),
    ),
    (
        "V0060",
        "optional cipher suites from the OS",
        Fixed("rustls's modern suites only"),
    ),
    (
        "V0061",
        "failed authentications per session",
        Switches(&["auth.max_auth_failures"]),
    ),
];

/// The profiles the table shows, in column order.
pub const COLUMNS: &[&str] = &[
    "rfc3501",
    "exchange-2007",
    "exchange-2010",
    "exchange-2010-sp1",
    "exchange-2010-sp2",
    "exchange-2013",
    "exchange-2016",
];

/// The Markdown table: one row per item, one column per shipped profile.
pub fn table(set: &ProfileSet) -> String {
    let mut out = String::from("| id | behaviour | switch |");
    let mut rule = String::from("|---|---|---|");
    for c in COLUMNS {
        out.push_str(&format!(" {} |", c.trim_start_matches("exchange-")));
        rule.push_str("---|");
    }
    out.push('\n');
    out.push_str(&rule);
    out.push('\n');
    let tables: Vec<Option<toml::Table>> = COLUMNS
        .iter()
        .map(|c| {
            set.get(c)
                .and_then(|e| toml::Table::try_from(&e.model).ok())
        })
        .collect();
    for (id, what, how) in ITEMS {
        out.push_str(&row(id, what, how, &tables));
        out.push('\n');
    }
    out
}

fn row(id: &str, what: &str, how: &Implementation, tables: &[Option<toml::Table>]) -> String {
    match how {
        Fixed(text) => {
            let cells = vec!["same"; tables.len()].join(" | ");
            format!("| {id} | {what} | — ({text}) | {cells} |")
        }
        Switches(names) => {
            let switches: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            let cells: Vec<String> = tables.iter().map(|t| values(t.as_ref(), names)).collect();
            format!(
                "| {id} | {what} | {} | {} |",
                switches.join(", "),
                cells.join(" | ")
            )
        }
    }
}

/// The values of `names` in one profile, `/`-separated, compact.
fn values(table: Option<&toml::Table>, names: &[&str]) -> String {
    let shown: Vec<String> = names
        .iter()
        .map(|n| {
            let (section, key) = n.split_once('.').unwrap_or((n, ""));
            let value = table.and_then(|t| t.get(section));
            let value = if key.is_empty() {
                value
            } else {
                value.and_then(|s| s.get(key))
            };
            match value {
                Some(_) if key.is_empty() => "profile texts".to_string(),
                Some(v) => compact(v),
                None => "?".to_string(),
            }
            .replace('|', "\\|")
        })
        .collect();
    shown.join(" / ")
}

fn compact(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => format!("`{s}`"),
        toml::Value::Array(a) => format!(
            "`{}`",
            a.iter()
                .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        other => other.to_string(),
    }
}
