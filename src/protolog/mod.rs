//! The protocol log: one CSV line per command in the format Exchange 2013 and later write
//! (`dateTime,sessionId,seqNumber,sIp,cIp,user,duration,rqsize,rpsize,command,parameters,
//! context`), enabled by the profile's `[logging]` section (Set-ImapSettings
//! `-ProtocolLogEnabled`, `-LogFileLocation`, `-LogFileRollOverSettings`,
//! `-LogPerFileSizeQuota`).
//!
//! It sits beside step 4 – 7 of the command path: `session::dispatch` hands every frame and
//! every reply to the session's [`SessionLog`], which writes a line when a command's tagged
//! response goes out. A command that spans several frames (AUTHENTICATE's SASL lines, IDLE
//! and its DONE) is one line. Passwords never reach the log: LOGIN logs only the user name,
//! AUTHENTICATE only the mechanism, and SASL lines only count towards `rqsize`.

mod file;
mod line;

pub use file::{file_name, FIELDS};
pub use line::Line;

use crate::profile::model::{Logging, RollOver};
use crate::session::Env;
use crate::wire::{Response, StatusKind};
use std::path::PathBuf;

/// The compiled `[logging]` section.
#[derive(Clone, Debug)]
pub struct LogPolicy {
    enabled: bool,
    dir: PathBuf,
    roll: RollOver,
    quota: u64,
}

impl LogPolicy {
    pub fn compile(l: &Logging) -> Result<LogPolicy, String> {
        Ok(LogPolicy {
            enabled: l.protocol_log_enabled,
            dir: PathBuf::from(&l.log_file_location),
            roll: l.log_file_roll_over_settings,
            quota: l.log_per_file_size_quota,
        })
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }
}

/// A command whose tagged response has not been sent yet.
#[derive(Debug)]
struct Pending {
    started: std::time::Instant,
    at: chrono::DateTime<chrono::Utc>,
    command: String,
    parameters: String,
    rqsize: usize,
    rpsize: usize,
}

/// One session's part of the log: its sequence counter and the command in progress.
#[derive(Debug, Default)]
pub struct SessionLog {
    seq: u64,
    user: String,
    pending: Option<Pending>,
}

impl SessionLog {
    /// A frame arrived. `starts_command` is false for lines inside a command (SASL
    /// responses, IDLE's DONE): they add to the size of the command in progress only.
    pub fn frame(&mut self, env: &Env, bytes: &[u8], starts_command: bool) {
        match (&mut self.pending, starts_command) {
            (Some(p), false) => p.rqsize += bytes.len(),
            _ => {
                let (command, parameters) = line::describe(bytes, &env.profile);
                self.pending = Some(Pending {
                    started: std::time::Instant::now(),
                    at: chrono::Utc::now(),
                    command,
                    parameters,
                    rqsize: bytes.len(),
                    rpsize: 0,
                });
            }
        }
    }

    /// A reply went out; when it carries a tagged status the command's line is written.
    pub fn reply(&mut self, env: &Env, user: Option<&str>, responses: &[Response]) {
        if let Some(u) = user {
            self.user = u.to_string();
        }
        let Some(p) = self.pending.as_mut() else {
            return;
        };
        let opts = env.profile.responses.encode_options();
        let mut out = Vec::new();
        for r in responses {
            crate::wire::encode_response(r, opts, &mut out);
        }
        p.rpsize += out.len();
        let Some(status) = responses.iter().rev().find_map(tagged) else {
            return;
        };
        let Some(p) = self.pending.take() else {
            return;
        };
        let line = Line {
            at: p.at,
            session_id: env.id,
            seq: self.seq,
            server: env.local,
            client: Some(env.peer),
            user: self.user.clone(),
            duration_ms: p.started.elapsed().as_millis(),
            rqsize: p.rqsize,
            rpsize: p.rpsize,
            command: p.command,
            parameters: p.parameters,
            context: status,
        };
        self.seq += 1;
        let policy = &env.profile.logging;
        if let Err(e) = file::append(&policy.dir, policy.roll, policy.quota, &line) {
            tracing::warn!(error = %e, dir = %policy.dir.display(), "cannot write the protocol log");
        }
    }
}

/// `R=ok`, or `R=no;Msg=text` / `R=bad;Msg=text`, for a tagged status response.
fn tagged(r: &Response) -> Option<String> {
    let Response::Status(s) = r else {
        return None;
    };
    s.tag.as_ref()?;
    Some(match s.kind {
        StatusKind::Ok => "R=ok".to_string(),
        StatusKind::No => format!("R=no;Msg={}", s.text),
        StatusKind::Bad => format!("R=bad;Msg={}", s.text),
        StatusKind::PreAuth | StatusKind::Bye => format!("R=bye;Msg={}", s.text),
    })
}
