//! Response encoder: `Response` -> exact bytes (RFC 3501 §9), with the byte-level choices a
//! profile makes (`EncodeOptions`). Also a command encoder for test clients, replay and the
//! load generator.
//!
//! This file holds the options and the entry points; `status`, `data`, `fetch` and `body`
//! write responses, `command` writes commands, all through the primitives of `strings`.

mod body;
mod command;
mod command_keys;
mod data;
mod fetch;
mod status;
mod strings;

#[cfg(test)]
mod tests;

use super::command::Command;
use super::response::{Code, Response};

/// When a mailbox name in LIST / LSUB / STATUS is sent as a literal rather than quoted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MailboxQuoting {
    /// RFC 3501: atom when every byte is an ASTRING-CHAR, else quoted string when it can be,
    /// else literal.
    Strict,
    /// MS-STANXIMAP V0009, V0030, V0033: a literal whenever the name contains one of these
    /// bytes (Exchange 2007: `\`; 2010 and later: `\` and `"`), else atom or quoted as in
    /// `Strict`.
    LiteralWhenContains(Vec<u8>),
}

/// BODYSTRUCTURE defects clients have reported from Exchange, reproducible on demand.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BodyStructureQuirks {
    /// Disposition sent as a bare string (`"attachment"`) instead of `("attachment" (...))`.
    pub disposition_bare_string: bool,
    /// Content-Description sent in the disposition slot.
    pub description_in_disposition: bool,
    /// Body encoding sent as NIL instead of a string.
    pub nil_encoding: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncodeOptions {
    pub mailbox_quoting: MailboxQuoting,
    /// MS-STANXIMAP §2.1.5 (non-strict 2007 / 2010 / 2010 SP1): `* STATUS` lines end with one
    /// space after `)`.
    pub status_trailing_space: bool,
    /// MS-STANXIMAP V0057: Date, Subject, In-Reply-To, Message-ID present but empty -> NIL.
    pub envelope_empty_as_nil: bool,
    /// MS-STANXIMAP V0056: BODYSTRUCTURE carries extension data.
    pub bodystructure_extension: bool,
    pub bodystructure_quirks: BodyStructureQuirks,
    /// MS-STANXIMAP V0007: never send 8-bit bytes in server-generated strings (ENVELOPE and
    /// BODYSTRUCTURE fields); such strings go out as RFC 2047 encoded words instead of
    /// 8-bit literals.
    pub ascii_only_strings: bool,
}

impl EncodeOptions {
    /// RFC 3501 exactly.
    pub fn strict() -> EncodeOptions {
        EncodeOptions {
            mailbox_quoting: MailboxQuoting::Strict,
            status_trailing_space: false,
            envelope_empty_as_nil: false,
            bodystructure_extension: true,
            bodystructure_quirks: BodyStructureQuirks::default(),
            ascii_only_strings: false,
        }
    }
}

/// Appends the bytes of one response, CRLF included, to `out`.
pub fn encode_response(response: &Response, opts: &EncodeOptions, out: &mut Vec<u8>) {
    match response {
        Response::Status(s) => status::status(s, out),
        Response::Data(d) => data::data(d, opts, out),
        Response::Continue(c) => status::continuation(c, out),
    }
    out.extend_from_slice(b"\r\n");
}

/// A response's bytes as a new vector (tests, transcripts).
pub fn response_bytes(response: &Response, opts: &EncodeOptions) -> Vec<u8> {
    let mut out = Vec::new();
    encode_response(response, opts, &mut out);
    out
}

/// Appends a response code without its brackets (`COPYUID 7 1:3 10:12`): for lines a profile
/// builds around a code, such as Exchange's bare `[COPYUID ...]` line during MOVE, sent as
/// `Data::Raw`.
pub fn encode_code(code: &Code, out: &mut Vec<u8>) {
    status::code(code, out);
}

/// Appends the bytes of one command as a client would send it (synchronizing literals
/// written inline, CRLF included) to `out`.
pub fn encode_command(command: &Command, out: &mut Vec<u8>) {
    command::command(command, out);
}

/// RFC 2047 encoded words for 8-bit text, as `ascii_only_strings` (MS-STANXIMAP V0007)
/// writes them; exposed so other server-generated texts can follow the same rule.
pub fn encoded_words(bytes: &[u8]) -> String {
    body::encoded_words(bytes)
}
