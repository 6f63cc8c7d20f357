//! Accepting connections: snapshot the listener's profile (the session keeps that
//! generation), take a connection permit or refuse with a BYE, and spawn the connection.

use super::{connection, ListenerSpec, Shared};
use crate::session::status;
use crate::wire::{encode_response, StatusKind};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

pub async fn accept_loop(socket: TcpListener, spec: ListenerSpec, shared: Shared) {
    let mut shutdown = shared.shutdown.clone();
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = socket.accept() => match accepted {
                Ok((stream, peer)) => {
                    let _ = stream.set_nodelay(true);
                    connections.spawn(accept_one(stream, peer, spec.clone(), shared.clone()));
                }
                Err(e) => {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
            },
            _ = shutdown.changed() => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    while connections.join_next().await.is_some() {}
}

async fn accept_one(
    mut stream: TcpStream,
    peer: std::net::SocketAddr,
    spec: ListenerSpec,
    shared: Shared,
) {
    let Some(profile) = shared.registry.get(&spec.profile) else {
        tracing::error!(profile = %spec.profile, "listener profile vanished; closing connection");
        return;
    };
    let Some(permit) = shared.tracker.connect(peer.ip(), &profile.limits) else {
        tracing::info!(%peer, "connection refused: connection limit reached");
        let text = profile.texts.texts().too_many_connections.clone();
        let mut out = Vec::new();
        encode_response(
            &status(None, StatusKind::Bye, None, text),
            profile.responses.encode_options(),
            &mut out,
        );
        let _ = stream.write_all(&out).await;
        return;
    };
    connection::run(stream, peer, spec, shared, profile, permit).await;
}
