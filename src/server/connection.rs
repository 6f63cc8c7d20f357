//! One connection: reads bytes into the framer, hands frames to the session, writes what
//! it returns, and runs the TLS upgrade, feed wake-ups, timers and shutdown around it.
//!
//! Commands are processed strictly one after another (MS-STANXIMAP V0016, V0017): the next
//! frame is not looked at until the previous reply is written.

use super::limits::ConnectionPermit;
use super::metrics::command_name;
use super::sessions::{End, Registration};
use super::stream::Stream;
use super::tap::Tap;
use super::{ListenerSpec, Shared, TlsMode};
use crate::profile::CompiledProfile;
use crate::session::framing::LiteralDecision;
use crate::session::{new_session_id, After, Env, Reply, Session};
use crate::wire::fragment::{Frame, Framer};
use crate::wire::{encode_response, Continue, Response, StatusKind, StatusResponse};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;

/// Reads start small (an idle connection holds only this) and grow while reads fill the
/// buffer, for APPENDs and other bulk input.
const READ_MIN: usize = 4 * 1024;
const READ_MAX: usize = 256 * 1024;

pub async fn run(
    tcp: TcpStream,
    peer: SocketAddr,
    spec: ListenerSpec,
    shared: Shared,
    profile: Arc<CompiledProfile>,
    _permit: ConnectionPermit,
) {
    let id = new_session_id();
    let (registration, end) = shared.sessions.register(id, &profile.name, peer);
    let local = tcp.local_addr().ok();
    let span = tracing::info_span!("session", id, %peer, profile = %profile.name);
    let stream = match (spec.tls, &shared.tls) {
        (TlsMode::Implicit, Some(acceptor)) => match tls_handshake(acceptor, tcp, &profile).await {
            Some(s) => Stream::Tls(Box::new(s)),
            None => return,
        },
        (TlsMode::Implicit, None) => return,
        _ => Stream::Plain(tcp),
    };
    let env = Env {
        store: shared.store.clone(),
        profile,
        id,
        peer,
        local,
        tls: spec.tls == TlsMode::Implicit,
        starttls_available: spec.tls == TlsMode::Starttls && shared.tls.is_some(),
        tracker: shared.tracker.clone(),
        ntlm_key: shared.ntlm_key.clone(),
    };
    let tap = shared.tap.as_ref().map(|c| {
        let implicit = spec.tls == TlsMode::Implicit;
        Tap::open(c, id, peer, &env.profile.name, implicit)
    });
    let mut conn = Connection {
        tap,
        framer: Framer::new(env.profile.framing.max_command_size()),
        session: Session::new(env),
        stream,
        shared,
        registration,
        command: None,
    };
    if let Err(e) = tracing::Instrument::instrument(conn.serve(end), span).await {
        conn.registration.sessions().metrics.error("connection_io");
        tracing::debug!(error = %e, "connection ended");
    }
    if let Some(tap) = conn.tap.take() {
        tap.finish();
    }
}

/// Waits at most the unauthenticated timeout for a TLS handshake.
async fn tls_handshake(
    acceptor: &tokio_rustls::TlsAcceptor,
    tcp: TcpStream,
    profile: &CompiledProfile,
) -> Option<tokio_rustls::server::TlsStream<TcpStream>> {
    let now = tokio::time::Instant::now();
    let deadline = profile.timers.deadline(false, now, now);
    match tokio::time::timeout_at(deadline, acceptor.accept(tcp)).await {
        Ok(Ok(s)) => Some(s),
        Ok(Err(e)) => {
            tracing::debug!(error = %e, "TLS handshake failed");
            None
        }
        Err(_) => None,
    }
}

struct Connection {
    tap: Option<Tap>,
    framer: Framer,
    session: Session,
    stream: Stream,
    shared: Shared,
    /// This session's entry in the admin API's session list.
    registration: Registration,
    /// The name of the command awaiting its tagged status (for the metrics).
    command: Option<String>,
}

impl Connection {
    async fn serve(&mut self, mut end: oneshot::Receiver<End>) -> std::io::Result<()> {
        let greeting = self.session.on_connect().await;
        if self.send(greeting).await? {
            return Ok(());
        }
        let mut feed = self.shared.store.feed().subscribe();
        let mut shutdown = self.shared.shutdown.clone();
        let mut buf = vec![0u8; READ_MIN];
        loop {
            if self.drain_frames().await? {
                return Ok(());
            }
            let deadline = self.session.deadline();
            let wants_feed = self.session.wants_feed() && !self.framer.in_command();
            tokio::select! {
                read = self.stream.read(&mut buf) => match read? {
                    0 => {
                        if let Some(tap) = &mut self.tap {
                            tap.client_closed();
                        }
                        return Ok(());
                    }
                    n => {
                        if let Some(tap) = &mut self.tap {
                            tap.client(&buf[..n]);
                        }
                        self.framer.push(&buf[..n]);
                        if n == buf.len() && buf.len() < READ_MAX {
                            buf.resize(buf.len() * 2, 0);
                        }
                    }
                },
                changed = feed.changed(), if wants_feed => {
                    if changed.is_err() {
                        return Ok(());
                    }
                    let reply = self.session.on_feed().await;
                    if self.send(reply).await? {
                        return Ok(());
                    }
                }
                _ = tokio::time::sleep_until(deadline) => {
                    let bye = self.session.on_timeout();
                    return self.write(&bye).await;
                }
                _ = shutdown.changed() => {
                    let bye = self.session.on_shutdown();
                    return self.write(&bye).await;
                }
                how = &mut end => {
                    // Ended from the admin API; a BYE carries the profile's shutdown text.
                    if how == Ok(End::Bye) {
                        let bye = self.session.on_shutdown();
                        self.write(&bye).await?;
                    }
                    return Ok(());
                }
            }
        }
    }

    /// Handles every complete frame in the buffer; true when the connection must close.
    async fn drain_frames(&mut self) -> std::io::Result<bool> {
        while let Some(frame) = self.framer.next_frame() {
            let reply = match frame {
                Frame::Command(bytes) => {
                    if let Some(name) = command_name(&bytes) {
                        self.command = Some(name);
                    }
                    self.session.on_frame(bytes).await
                }
                Frame::TooLong { head } => self.session.on_too_long(&head),
                Frame::Literal { len, sync } => match self.literal(len, sync) {
                    Some(reply) => reply,
                    None => continue,
                },
            };
            if self.send(reply).await? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Decides about an announced literal; a reply when there is something to send.
    fn literal(&mut self, len: u64, sync: bool) -> Option<Reply> {
        let profile = self.session.profile();
        let literal_plus = profile.capabilities.enabled("LITERAL+");
        match profile
            .framing
            .on_literal(self.framer.pending(), len, sync, literal_plus)
        {
            LiteralDecision::Accept { prompt } => {
                self.framer.accept_literal();
                prompt.then(|| {
                    let text = profile.texts.texts().literal_continuation.clone();
                    Reply {
                        responses: vec![Response::Continue(Continue::Text(text))],
                        after: After::Continue,
                    }
                })
            }
            LiteralDecision::Reject { tag, refusal } => {
                self.framer.reject_literal();
                Some(self.session.literal_refused(tag, refusal))
            }
        }
    }

    /// Writes a reply and acts on what follows it; true when the connection must close.
    async fn send(&mut self, reply: Reply) -> std::io::Result<bool> {
        self.count_statuses(&reply.responses);
        self.registration.update(&self.session);
        if let After::CloseAfter(n) = reply.after {
            self.write_prefix(&reply.responses, n).await?;
            let _ = self.stream.shutdown().await;
            return Ok(true);
        }
        self.write(&reply.responses).await?;
        match reply.after {
            After::Continue => Ok(false),
            After::Close | After::CloseAfter(_) => {
                let _ = self.stream.shutdown().await;
                Ok(true)
            }
            After::StartTls => self.start_tls().await.map(|ok| !ok),
        }
    }

    /// Upgrades to TLS. Plaintext pipelined behind STARTTLS is discarded, never executed
    /// (the CVE-2011-0411 class).
    async fn start_tls(&mut self) -> std::io::Result<bool> {
        self.framer.clear_input();
        let Some(acceptor) = self.shared.tls.clone() else {
            return Ok(false);
        };
        let Stream::Plain(tcp) = std::mem::replace(&mut self.stream, Stream::Closed) else {
            return Ok(false);
        };
        match tls_handshake(&acceptor, tcp, self.session.profile()).await {
            Some(tls) => {
                self.stream = Stream::Tls(Box::new(tls));
                self.session.tls_established();
                if let Some(tap) = &mut self.tap {
                    tap.tls();
                }
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Counts the tagged statuses of a reply against the command that awaited them.
    fn count_statuses(&mut self, responses: &[Response]) {
        for r in responses {
            let Response::Status(StatusResponse {
                tag: Some(_), kind, ..
            }) = r
            else {
                continue;
            };
            let status = match kind {
                StatusKind::Ok => "ok",
                StatusKind::No => "no",
                _ => "bad",
            };
            let name = self.command.take().unwrap_or_else(|| "OTHER".into());
            self.registration.sessions().metrics.command(&name, status);
        }
    }

    async fn write(&mut self, responses: &[Response]) -> std::io::Result<()> {
        self.write_prefix(responses, usize::MAX).await
    }

    /// Writes at most the first `limit` bytes of the encoded responses (all of them unless
    /// a hook asked to drop the connection mid-response).
    async fn write_prefix(&mut self, responses: &[Response], limit: usize) -> std::io::Result<()> {
        if responses.is_empty() {
            return Ok(());
        }
        let opts = self.session.profile().responses.encode_options();
        let mut out = Vec::new();
        for r in responses {
            encode_response(r, opts, &mut out);
        }
        out.truncate(limit);
        if let Some(tap) = &mut self.tap {
            tap.server(&out);
        }
        self.stream.write_all(&out).await?;
        self.stream.flush().await
    }
}
