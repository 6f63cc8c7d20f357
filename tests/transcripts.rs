//! Runs every transcript under `tests/transcripts/` against an in-process server with the
//! profile its header names, through the engine `imap-mimic replay` uses (any difference
//! fails, shown as a unified diff), and checks that everything the `rfc3501` profile sent
//! decodes with imap-codec, an independent strict IMAP parser.

use imap_codec::decode::{Decoder, ResponseDecodeError};
use imap_codec::{GreetingCodec, ResponseCodec};
use imap_mimic::testkit::TestServer;
use imap_mimic::transcript::replay::{replay, Options};
use imap_mimic::transcript::Transcript;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn transcript_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("tests/transcripts exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            transcript_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "txt") {
            out.push(path);
        }
    }
}

async fn run_one(path: PathBuf) -> Result<(), String> {
    let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
    let name = path
        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(&path)
        .display()
        .to_string();
    let transcript = Transcript::parse(&name, &text).map_err(|e| e.to_string())?;
    let extra = test_profiles();
    let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
    let server = TestServer::start_with(&transcript.profile, &extra)
        .await
        .map_err(|e| format!("{name}: {e}"))?;
    for (user, password) in &transcript.users {
        server
            .add_user(user, password)
            .await
            .map_err(|e| e.to_string())?;
    }
    let opts = Options {
        wait: Duration::from_secs(5),
        password: String::new(),
    };
    let played = replay(&transcript, &server.target(), &opts).await;
    server.stop().await;
    let played = played.map_err(|e| e.to_string())?;
    if !played.differences.is_empty() {
        return Err(played.unified(&name, &transcript.profile));
    }
    if transcript.profile == "rfc3501" {
        for (conn, bytes) in &played.received {
            oracle(bytes)
                .map_err(|e| format!("{name}: connection {conn}: imap-codec rejects: {e}"))?;
        }
    }
    Ok(())
}

/// Profiles only the transcripts use (`tests/transcripts/profiles/*.toml`): shipped profiles
/// with one switch changed, to show each value of a switch.
fn test_profiles() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts/profiles");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.sort();
    paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}

/// Decodes a whole server byte stream with imap-codec: a greeting, then responses.
fn oracle(bytes: &[u8]) -> Result<(), String> {
    let show = |b: &[u8]| String::from_utf8_lossy(&b[..b.len().min(200)]).into_owned();
    let (mut rest, _) = GreetingCodec::default()
        .decode(bytes)
        .map_err(|e| format!("{e:?} in greeting {:?}", show(bytes)))?;
    while !rest.is_empty() {
        // imap-codec 1.0 does not know ID (RFC 2971) or NAMESPACE (RFC 2342): those lines
        // (which never carry literals) are skipped, not checked.
        if rest.starts_with(b"* ID ") || rest.starts_with(b"* NAMESPACE ") {
            let end = rest
                .windows(2)
                .position(|w| w == b"\r\n")
                .map_or(rest.len(), |i| i + 2);
            rest = &rest[end..];
            continue;
        }
        match ResponseCodec::default().decode(rest) {
            Ok((next, _)) => rest = next,
            // A connection may end in the middle of nothing only if the transcript did.
            Err(ResponseDecodeError::Incomplete) => {
                return Err(format!("incomplete response {:?}", show(rest)))
            }
            Err(e) => return Err(format!("{e:?} at {:?}", show(rest))),
        }
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transcripts() {
    let mut files = Vec::new();
    transcript_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts"),
        &mut files,
    );
    assert!(!files.is_empty(), "no transcripts found");
    let filter = std::env::var("TRANSCRIPT").unwrap_or_default();
    let tasks: Vec<_> = files
        .into_iter()
        .filter(|p| p.to_string_lossy().contains(&filter))
        .map(|p| tokio::spawn(run_one(p)))
        .collect();
    let count = tasks.len();
    let mut failures = Vec::new();
    for task in tasks {
        if let Err(e) = task.await.expect("transcript task panicked") {
            failures.push(e);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} transcripts failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    eprintln!("{count} transcripts passed");
}
