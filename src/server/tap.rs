//! The recording tap (`serve --record DIR`): sees the bytes of one connection as the
//! connection loop reads and writes them, and writes the session as a transcript file
//! (`transcript::record`) into DIR when the connection ends.

use crate::transcript::record::{stem, write_file, Recorder};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Where sessions are recorded.
#[derive(Clone, Debug)]
pub struct TapConfig {
    pub record_dir: PathBuf,
}

/// One connection's recording.
pub struct Tap {
    recorder: Recorder,
    dir: PathBuf,
    id: i64,
    client_closed: bool,
}

impl Tap {
    pub fn open(
        config: &TapConfig,
        id: i64,
        peer: SocketAddr,
        profile: &str,
        implicit_tls: bool,
    ) -> Tap {
        let comments = vec![
            format!(
                "Recorded by imap-mimic {} (serve --record) at {}, client {peer}.",
                env!("CARGO_PKG_VERSION"),
                chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ")
            ),
            "Replay: imap-mimic replay THIS_FILE --profile NAME".to_string(),
        ];
        Tap {
            recorder: Recorder::new(profile, implicit_tls, comments),
            dir: config.record_dir.clone(),
            id,
            client_closed: false,
        }
    }

    pub fn client(&mut self, bytes: &[u8]) {
        self.recorder.client(bytes);
    }

    /// The client closed its end first.
    pub fn client_closed(&mut self) {
        self.client_closed = true;
    }

    pub fn server(&mut self, bytes: &[u8]) {
        self.recorder.server(bytes);
    }

    pub fn tls(&mut self) {
        self.recorder.tls();
    }

    /// Writes the transcript; a session the server ended ends with `closed:`.
    pub fn finish(mut self) {
        if !self.client_closed {
            self.recorder.closed();
        }
        let text = self.recorder.finish(None);
        match write_file(&self.dir, &stem(self.id), &text) {
            Ok(path) => tracing::info!(path = %path.display(), "session recorded"),
            Err(e) => {
                tracing::warn!(error = %e, dir = %self.dir.display(), "cannot write the transcript")
            }
        }
    }
}
