//! A plain IMAP client for load generation: one command at a time (no pipelining), so
//! every server is driven identically. Reads responses with their literals.

use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

pub struct Conn {
    io: BufReader<TcpStream>,
    next_tag: u64,
    /// Bytes received, for throughput figures.
    pub received: u64,
}

/// One response line with its literals inline.
pub type Line = Vec<u8>;

impl Conn {
    pub async fn connect(addr: &str) -> anyhow::Result<Conn> {
        let tcp = TcpStream::connect(addr).await?;
        tcp.set_nodelay(true)?;
        let mut conn = Conn {
            io: BufReader::with_capacity(256 * 1024, tcp),
            next_tag: 0,
            received: 0,
        };
        let greeting = conn.read_response_line().await?;
        anyhow::ensure!(
            greeting.starts_with(b"* OK"),
            "greeting: {}",
            String::from_utf8_lossy(&greeting)
        );
        Ok(conn)
    }

    pub async fn login(addr: &str, user: &str, password: &str) -> anyhow::Result<Conn> {
        let mut c = Conn::connect(addr).await?;
        c.ok(&format!("LOGIN {user} {password}")).await?;
        Ok(c)
    }

    /// Sends a command (with an optional LITERAL+ literal appended) and returns the untagged
    /// lines; an error unless the tagged response is OK.
    pub async fn command(
        &mut self,
        text: &str,
        literal: Option<&[u8]>,
    ) -> anyhow::Result<Vec<Line>> {
        self.next_tag += 1;
        let tag = format!("t{}", self.next_tag);
        let mut out = Vec::with_capacity(text.len() + 32 + literal.map_or(0, <[u8]>::len));
        out.extend_from_slice(tag.as_bytes());
        out.push(b' ');
        out.extend_from_slice(text.as_bytes());
        if let Some(l) = literal {
            out.extend_from_slice(format!(" {{{}+}}\r\n", l.len()).as_bytes());
            out.extend_from_slice(l);
        }
        out.extend_from_slice(b"\r\n");
        self.io.get_mut().write_all(&out).await?;
        let mut untagged = Vec::new();
        loop {
            let line = self.read_response_line().await?;
            if line.starts_with(tag.as_bytes()) && line.get(tag.len()) == Some(&b' ') {
                let status = &line[tag.len() + 1..];
                anyhow::ensure!(
                    status.starts_with(b"OK"),
                    "{text}: {}",
                    String::from_utf8_lossy(&line)
                );
                return Ok(untagged);
            }
            untagged.push(line);
        }
    }

    pub async fn ok(&mut self, text: &str) -> anyhow::Result<Vec<Line>> {
        self.command(text, None).await
    }

    /// Sends a raw line (IDLE's DONE).
    pub async fn send_line(&mut self, line: &str) -> anyhow::Result<()> {
        self.io
            .get_mut()
            .write_all(format!("{line}\r\n").as_bytes())
            .await?;
        Ok(())
    }

    /// Starts IDLE; returns once the continuation arrived.
    pub async fn idle(&mut self) -> anyhow::Result<String> {
        self.next_tag += 1;
        let tag = format!("t{}", self.next_tag);
        self.send_line(&format!("{tag} IDLE")).await?;
        let line = self.read_response_line().await?;
        anyhow::ensure!(
            line.starts_with(b"+"),
            "IDLE: {}",
            String::from_utf8_lossy(&line)
        );
        Ok(tag)
    }

    /// Waits up to `limit` for a line containing `needle`.
    pub async fn wait_for(&mut self, needle: &[u8], limit: Duration) -> anyhow::Result<()> {
        tokio::time::timeout(limit, async {
            loop {
                let line = self.read_response_line().await?;
                if line.windows(needle.len()).any(|w| w == needle) {
                    return Ok::<(), anyhow::Error>(());
                }
            }
        })
        .await?
    }

    /// One response line, with the bytes of every `{n}` literal it announces inline.
    pub async fn read_response_line(&mut self) -> anyhow::Result<Line> {
        let mut line = Vec::new();
        loop {
            let n = self.io.read_until(b'\n', &mut line).await?;
            anyhow::ensure!(n > 0, "connection closed");
            self.received += n as u64;
            let Some(len) = literal_len(&line) else { break };
            let start = line.len();
            line.resize(start + len, 0);
            self.io.read_exact(&mut line[start..]).await?;
            self.received += len as u64;
        }
        Ok(line)
    }
}

/// `{n}` at the end of a CRLF line.
fn literal_len(line: &[u8]) -> Option<usize> {
    let body = line.strip_suffix(b"\r\n")?.strip_suffix(b"}")?;
    let open = body.iter().rposition(|&b| b == b'{')?;
    std::str::from_utf8(&body[open + 1..])
        .ok()?
        .trim_end_matches('+')
        .parse()
        .ok()
}
