//! Command framing: finds where one command ends in the byte stream, across lines and
//! `{n}` / `{n+}` literals (RFC 3501 §4.3, RFC 7888), before any parsing.
//!
//! Step 2 of the command path. The framer is sans-IO: the connection pushes bytes in and
//! takes frames out. It never decides policy: when a literal is announced it stops and the
//! session decides (accept with or without a `+` continuation, MS-STANXIMAP V0058, or reject
//! for size). A command whose text outside literals exceeds the limit is discarded as it
//! streams by, never buffered whole.

use std::collections::VecDeque;

/// How many bytes of an overlong command are kept to find its tag.
const HEAD_LEN: usize = 64;
/// Longest `{4294967295+}` marker plus CRLF, with room to spare.
const TAIL_LEN: usize = 32;

#[derive(Debug, PartialEq, Eq)]
pub enum Frame {
    /// A complete command: its lines and literal bytes exactly as sent, ending in CRLF.
    Command(Vec<u8>),
    /// The current line announced a literal. Call `accept_literal` or `reject_literal`
    /// before asking for the next frame; `pending()` shows the command so far.
    Literal { len: u64, sync: bool },
    /// The command's text exceeded the limit; it is being discarded. `head` holds its first
    /// bytes, to read the tag from.
    TooLong { head: Vec<u8> },
}

/// What reading one line achieved.
enum Step {
    Frame(Frame),
    Continue,
    NeedInput,
}

#[derive(Debug, PartialEq, Eq)]
enum State {
    /// Reading command text up to LF.
    Line,
    /// A literal was announced and the session has not decided yet.
    AwaitDecision { len: u64, sync: bool },
    /// Reading `remaining` literal bytes.
    Literal { remaining: u64 },
}

/// Splits a byte stream into commands.
#[derive(Debug)]
pub struct Framer {
    input: VecDeque<u8>,
    state: State,
    /// The command so far (empty while discarding).
    command: Vec<u8>,
    /// Bytes of command text (outside literals) seen so far in this command.
    text_len: usize,
    /// True while the rest of the current command is being thrown away.
    discarding: bool,
    /// The last bytes of the current line, so a literal marker is seen while discarding.
    tail: Vec<u8>,
    max_text: usize,
}

impl Framer {
    /// `max_text`: the longest command text accepted, literals excluded
    /// (Set-ImapSettings `MaxCommandSize`).
    pub fn new(max_text: usize) -> Framer {
        Framer {
            input: VecDeque::new(),
            state: State::Line,
            command: Vec::new(),
            text_len: 0,
            discarding: false,
            tail: Vec::new(),
            max_text,
        }
    }

    pub fn push(&mut self, bytes: &[u8]) {
        self.input.extend(bytes);
    }

    /// Drops every buffered byte not yet framed (after STARTTLS, plaintext pipelined behind
    /// the command must never be executed: the CVE-2011-0411 class).
    pub fn clear_input(&mut self) {
        self.input.clear();
    }

    /// Bytes received and not yet framed.
    pub fn buffered(&self) -> usize {
        self.input.len()
    }

    /// The command received so far (while a literal decision is pending).
    pub fn pending(&self) -> &[u8] {
        &self.command
    }

    /// True while a command has started but not ended.
    pub fn in_command(&self) -> bool {
        !self.command.is_empty() || self.state != State::Line || self.discarding
    }

    pub fn accept_literal(&mut self) {
        if let State::AwaitDecision { len, .. } = self.state {
            self.state = State::Literal { remaining: len };
        }
    }

    /// Refuses the announced literal. A synchronizing literal is never sent by the client
    /// once refused, so the command ends here; a non-synchronizing one arrives anyway and is
    /// discarded with the rest of its command (RFC 7888 §4).
    pub fn reject_literal(&mut self) {
        if let State::AwaitDecision { len, sync } = self.state {
            if sync {
                self.reset();
            } else {
                self.start_discarding();
                self.state = State::Literal { remaining: len };
            }
        }
    }

    /// The next frame, or None when more input is needed.
    pub fn next_frame(&mut self) -> Option<Frame> {
        // An idle connection should not keep the buffer of its largest APPEND.
        if self.input.is_empty() && self.input.capacity() > 64 * 1024 {
            self.input = VecDeque::new();
        }
        loop {
            match self.state {
                State::AwaitDecision { .. } => return None,
                State::Literal { remaining } => {
                    if !self.read_literal(remaining) {
                        return None;
                    }
                }
                State::Line => match self.read_line() {
                    Step::Frame(frame) => return Some(frame),
                    Step::NeedInput => return None,
                    Step::Continue => {}
                },
            }
        }
    }

    /// Consumes literal bytes; true when the literal is complete.
    fn read_literal(&mut self, remaining: u64) -> bool {
        let take = remaining.min(self.input.len() as u64) as usize;
        let chunk = self.input.drain(..take);
        if self.discarding {
            drop(chunk);
        } else {
            self.command.extend(chunk);
        }
        let left = remaining - take as u64;
        if left == 0 {
            self.state = State::Line;
            self.tail.clear();
            true
        } else {
            self.state = State::Literal { remaining: left };
            false
        }
    }

    fn read_line(&mut self) -> Step {
        let lf = self.input.iter().position(|&b| b == b'\n');
        let available = lf.map_or(self.input.len(), |i| i + 1);
        if !self.discarding && self.text_len + available > self.max_text {
            let head = self.head();
            self.start_discarding();
            self.consume_text(available);
            if lf.is_some() {
                // Discarding never yields a frame; it only moves the state on.
                self.end_of_line();
            }
            return Step::Frame(Frame::TooLong { head });
        }
        self.consume_text(available);
        if lf.is_none() {
            return Step::NeedInput;
        }
        self.end_of_line()
    }

    /// Moves `n` bytes of command text from the input to the command (or the bin).
    fn consume_text(&mut self, n: usize) {
        self.text_len += n;
        let chunk: Vec<u8> = self.input.drain(..n).collect();
        self.tail.extend_from_slice(&chunk);
        if self.tail.len() > TAIL_LEN {
            self.tail.drain(..self.tail.len() - TAIL_LEN);
        }
        if !self.discarding {
            self.command.extend_from_slice(&chunk);
        }
    }

    /// A line ended: either it announces a literal or the command is complete.
    fn end_of_line(&mut self) -> Step {
        let marker = literal_marker(&self.tail);
        self.tail.clear();
        match marker {
            // While discarding, a synchronizing literal never arrives (no `+` is sent), so
            // the command ends here; a non-synchronizing one is skipped.
            Some((len, false)) if self.discarding => {
                self.state = State::Literal { remaining: len };
                Step::Continue
            }
            Some((len, sync)) if !self.discarding => {
                self.state = State::AwaitDecision { len, sync };
                Step::Frame(Frame::Literal { len, sync })
            }
            _ => {
                let discarded = self.discarding;
                let command = std::mem::take(&mut self.command);
                self.reset();
                if discarded {
                    Step::Continue
                } else {
                    Step::Frame(Frame::Command(command))
                }
            }
        }
    }

    fn head(&self) -> Vec<u8> {
        let mut head: Vec<u8> = self.command.iter().take(HEAD_LEN).copied().collect();
        let more = HEAD_LEN.saturating_sub(head.len());
        head.extend(self.input.iter().take(more));
        head
    }

    fn start_discarding(&mut self) {
        self.discarding = true;
        self.command.clear();
    }

    fn reset(&mut self) {
        self.state = State::Line;
        self.command.clear();
        self.text_len = 0;
        self.discarding = false;
        self.tail.clear();
    }
}

/// Reads `{n}` or `{n+}` right before the CRLF (or bare LF) that ends `line`.
fn literal_marker(line: &[u8]) -> Option<(u64, bool)> {
    let line = line.strip_suffix(b"\n")?;
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let inner = line.strip_suffix(b"}")?;
    let open = inner.iter().rposition(|&b| b == b'{')?;
    let digits = &inner[open + 1..];
    let (digits, sync) = match digits.strip_suffix(b"+") {
        Some(d) => (d, false),
        None => (digits, true),
    };
    if digits.is_empty() || digits.len() > 10 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let len = std::str::from_utf8(digits).ok()?.parse().ok()?;
    Some((len, sync))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(framer: &mut Framer) -> Vec<Frame> {
        std::iter::from_fn(|| framer.next_frame()).collect()
    }

    #[test]
    fn simple_commands_split_on_crlf() {
        let mut f = Framer::new(100);
        f.push(b"a NOOP\r\nb CAPA");
        assert_eq!(frames(&mut f), vec![Frame::Command(b"a NOOP\r\n".to_vec())]);
        f.push(b"BILITY\r\n");
        assert_eq!(
            frames(&mut f),
            vec![Frame::Command(b"b CAPABILITY\r\n".to_vec())]
        );
        assert!(!f.in_command());
    }

    #[test]
    fn synchronizing_literal_waits_for_decision() {
        let mut f = Framer::new(100);
        f.push(b"a LOGIN {3}\r\n");
        assert_eq!(f.next_frame(), Some(Frame::Literal { len: 3, sync: true }));
        assert_eq!(f.pending(), b"a LOGIN {3}\r\n");
        assert_eq!(f.next_frame(), None, "no progress before the decision");
        f.accept_literal();
        f.push(b"bob {2}\r\n");
        assert_eq!(f.next_frame(), Some(Frame::Literal { len: 2, sync: true }));
        f.accept_literal();
        f.push(b"pw\r\n");
        assert_eq!(
            frames(&mut f),
            vec![Frame::Command(b"a LOGIN {3}\r\nbob {2}\r\npw\r\n".to_vec())]
        );
    }

    #[test]
    fn literal_bytes_may_contain_crlf_and_braces() {
        let mut f = Framer::new(100);
        f.push(b"a APPEND x {10+}\r\nab\r\n{1}\r\nz\r\n");
        assert_eq!(
            f.next_frame(),
            Some(Frame::Literal {
                len: 10,
                sync: false
            })
        );
        f.accept_literal();
        assert_eq!(
            frames(&mut f),
            vec![Frame::Command(
                b"a APPEND x {10+}\r\nab\r\n{1}\r\nz\r\n".to_vec()
            )]
        );
    }

    #[test]
    fn rejected_sync_literal_ends_the_command() {
        let mut f = Framer::new(100);
        f.push(b"a APPEND x {999999}\r\nb NOOP\r\n");
        assert_eq!(
            f.next_frame(),
            Some(Frame::Literal {
                len: 999999,
                sync: true
            })
        );
        f.reject_literal();
        assert_eq!(frames(&mut f), vec![Frame::Command(b"b NOOP\r\n".to_vec())]);
    }

    #[test]
    fn rejected_non_sync_literal_is_skipped_without_buffering() {
        let mut f = Framer::new(100);
        f.push(b"a APPEND x {5+}\r\n");
        assert_eq!(
            f.next_frame(),
            Some(Frame::Literal {
                len: 5,
                sync: false
            })
        );
        f.reject_literal();
        f.push(b"12");
        assert_eq!(f.next_frame(), None);
        assert!(f.pending().is_empty());
        f.push(b"345 {2+}\r\nxy\r\nb NOOP\r\n");
        assert_eq!(frames(&mut f), vec![Frame::Command(b"b NOOP\r\n".to_vec())]);
    }

    #[test]
    fn overlong_line_is_reported_once_and_discarded() {
        let mut f = Framer::new(16);
        f.push(b"tag1 SEARCH ");
        assert_eq!(f.next_frame(), None);
        f.push(&[b'x'; 100]);
        assert_eq!(
            f.next_frame(),
            Some(Frame::TooLong {
                head: [b"tag1 SEARCH ".as_slice(), &[b'x'; 52]].concat()
            })
        );
        f.push(&[b'y'; 100]);
        assert_eq!(f.next_frame(), None);
        f.push(b"\r\nb NOOP\r\n");
        assert_eq!(frames(&mut f), vec![Frame::Command(b"b NOOP\r\n".to_vec())]);
    }

    #[test]
    fn overlong_command_with_non_sync_literal_skips_literal_bytes() {
        let mut f = Framer::new(8);
        f.push(b"a LOGIN {4+}\r\n");
        assert!(matches!(f.next_frame(), Some(Frame::TooLong { .. })));
        f.push(b"abcd\r\nb NOOP\r\n");
        assert_eq!(frames(&mut f), vec![Frame::Command(b"b NOOP\r\n".to_vec())]);
    }

    #[test]
    fn clear_input_drops_pipelined_bytes() {
        let mut f = Framer::new(100);
        f.push(b"a STARTTLS\r\nb LOGIN x y\r\n");
        assert_eq!(
            f.next_frame(),
            Some(Frame::Command(b"a STARTTLS\r\n".to_vec()))
        );
        f.clear_input();
        assert_eq!(f.next_frame(), None);
    }

    #[test]
    fn marker_parsing() {
        assert_eq!(literal_marker(b"x {12}\r\n"), Some((12, true)));
        assert_eq!(literal_marker(b"x {12+}\r\n"), Some((12, false)));
        assert_eq!(literal_marker(b"x {12}\n"), Some((12, true)));
        assert_eq!(literal_marker(b"x {}\r\n"), None);
        assert_eq!(literal_marker(b"x {1a}\r\n"), None);
        assert_eq!(literal_marker(b"x {99999999999}\r\n"), None);
        assert_eq!(literal_marker(b"x 12}\r\n"), None);
    }
}
