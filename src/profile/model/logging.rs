//! Switches about the protocol log (Set-ImapSettings `-ProtocolLogEnabled` and friends).

use super::section::{checks, section};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How often a new protocol log file is started. Set-ImapSettings `-LogFileRollOverSettings`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RollOver {
    /// One file per UTC day (`IMAP4yyyyMMdd-N.LOG`).
    Daily,
    /// One file per UTC hour (`IMAP4yyyyMMddHH-N.LOG`).
    Hourly,
}

section! {
    /// The per-command protocol log in Exchange 2013's CSV format (consumed by `protolog`).
    pub struct Logging, patch LoggingPatch {
        /// Write one CSV line per command. Set-ImapSettings `-ProtocolLogEnabled`.
        protocol_log_enabled: bool,
        /// Directory of the log files (relative to the working directory when not absolute).
        /// Set-ImapSettings `-LogFileLocation`.
        log_file_location: String => checks::line_text,
        /// When a new file is started. Set-ImapSettings `-LogFileRollOverSettings`.
        log_file_roll_over_settings: RollOver,
        /// Bytes a file may grow to before the next line goes to a new file (`-N` suffix
        /// counts up); 0 for no limit. Set-ImapSettings `-LogPerFileSizeQuota`.
        log_per_file_size_quota: u64,
    }
}
