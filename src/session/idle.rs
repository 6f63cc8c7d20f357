//! IDLE (RFC 2177): a continuation, then updates as they happen until the client says
//! DONE.

use super::updates::Moment;
use super::{After, Mode, Reply, Session};
use crate::wire::{Continue, Response, Tag};

impl Session {
    pub(super) async fn idle_start(&mut self, tag: Tag) -> Reply {
        let mut pending = self.flush(Moment::Full).await;
        if pending.after == After::Close {
            return pending;
        }
        let text = self.profile().texts.texts().idle_continuation.clone();
        pending
            .responses
            .push(Response::Continue(Continue::Text(text)));
        self.mode = Mode::Idling { tag };
        pending
    }

    /// A line while idling: DONE ends IDLE; anything else is a protocol error that ends it
    /// with BAD.
    pub(super) async fn idle_line(&mut self, tag: Tag, line: &[u8]) -> Reply {
        let word = line
            .strip_suffix(b"\r\n")
            .or_else(|| line.strip_suffix(b"\n"))
            .unwrap_or(line);
        let result = if word.eq_ignore_ascii_case(b"DONE") {
            Ok(super::state::Outcome::ok())
        } else {
            Err(super::texts::Refusal::BadArguments.into())
        };
        self.finish(tag, "IDLE", result, Moment::Full).await
    }
}
