//! Switches about bytes on the wire: how commands are parsed and how responses are
//! written.

use super::section::section;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

section! {
    /// Reading commands: leniency and sizes (consumed by `session::framing`, which compiles
    /// it into the framer's limits and the wire decoder's options).
    pub struct Parsing, patch ParsingPatch {
        /// Accept a TAB as the delimiter after the tag and after the command name.
        /// MS-STANXIMAP §2.1.6, V0003 (Exchange); RFC 3501 §9 forbids it.
        tab_delimiter: bool,
        /// Accept tags of any format. MS-STANXIMAP C0001 (Exchange); RFC 3501 §9 `tag`.
        any_tag_format: bool,
        /// Send a `+` continuation for a synchronizing literal in UID SEARCH. MS-STANXIMAP
        /// V0058: Exchange 2007 – 2010 SP1 wait for the bytes without prompting.
        uid_search_literal_continuation: bool,
        /// Set-ImapSettings `-MaxCommandSize`: bytes of command text (literals excluded);
        /// a longer command is refused without being buffered.
        max_command_size: u32 => check_command_size,
        /// Largest message APPEND accepts, in bytes; a larger literal is refused before its
        /// bytes are read (RFC 7888 §4).
        max_message_size: u32 => super::section::checks::positive,
        /// Largest literal in commands other than APPEND, in bytes.
        max_literal_size: u32 => super::section::checks::positive,
    }
}

fn check_command_size(v: &u32) -> Result<(), String> {
    // Exchange accepts 1024 to 16384; imap-mimic allows more for strict testing.
    if (256..=1_048_576).contains(v) {
        Ok(())
    } else {
        Err(format!(
            "{v} is out of range: expected 256 to 1048576 bytes"
        ))
    }
}

/// How MOVE reports the new UIDs (RFC 6851 §4.3, with UIDPLUS).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum MoveCopyUid {
    /// `* OK [COPYUID ...]` before the EXPUNGE lines, as RFC 6851 says.
    UntaggedOk,
    /// `[COPYUID ...]` on a line of its own without `* OK `, as Exchange 2013 CU22 and
    /// Exchange Online were captured sending (PROFILES.md "MOVE").
    BareLine,
}

section! {
    /// Response writing (consumed by `session::encoding`, which compiles it into the wire
    /// encoder's options, and `session::updates` for unsolicited responses).
    pub struct Responses, patch ResponsesPatch {
        /// Bytes that force a mailbox name in LIST, LSUB and STATUS to be sent as a literal;
        /// empty means RFC 3501's rules (literal only when a quoted string cannot carry it).
        /// MS-STANXIMAP V0009, V0030, V0033 (2007: `\`; 2010 and later: `\` and `"`).
        mailbox_literal_chars: String,
        /// End `* STATUS` lines with one space after `)`. MS-STANXIMAP §2.1.5: 2007, 2010
        /// and 2010 SP1 do not follow the ABNF strictly in responses.
        status_trailing_space: bool,
        /// Date, Subject, In-Reply-To and Message-ID present but empty are NIL in ENVELOPE.
        /// MS-STANXIMAP V0057.
        envelope_empty_as_nil: bool,
        /// BODYSTRUCTURE carries extension data. MS-STANXIMAP V0056.
        bodystructure_extension_data: bool,
        /// Opt-in defect: BODYSTRUCTURE disposition as a bare string (`"attachment"`), as
        /// clients have reported from Exchange; breaks strict parsers.
        bodystructure_disposition_bare_string: bool,
        /// Opt-in defect: the Content-Description value in the disposition slot of
        /// BODYSTRUCTURE, as clients have reported from Exchange.
        bodystructure_description_in_disposition: bool,
        /// Opt-in defect: NIL as the body encoding in BODYSTRUCTURE, as clients have
        /// reported from Exchange.
        bodystructure_nil_encoding: bool,
        /// Never send 8-bit bytes in server-generated strings (ENVELOPE, BODYSTRUCTURE);
        /// they go out as RFC 2047 encoded words. MS-STANXIMAP V0007.
        ascii_only_strings: bool,
        /// Announce new mail (`* n EXISTS`) while no command is in progress.
        /// MS-STANXIMAP V0002, V0014; RFC 3501 §5.3 allows it (never EXPUNGE).
        unsolicited_exists: bool,
        /// How MOVE reports COPYUID (PROFILES.md "MOVE").
        move_copyuid: MoveCopyUid,
    }
}
