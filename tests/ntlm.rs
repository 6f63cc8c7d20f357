//! AUTHENTICATE NTLM against Exchange profiles, driven by an NTLMv2 client written here
//! from MS-NLMP independently of the server's code: the client computes its response from
//! the password the test user was created with.

mod common;

use base64::Engine;
use common::Client;
use hmac::{Hmac, Mac};
use imap_mimic::testkit::TestServer;
use md4::{Digest, Md4};

type HmacMd5 = Hmac<md5::Md5>;

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn unb64(text: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .expect("base64 from the server")
}

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn hmac(key: &[u8], data: &[&[u8]]) -> Vec<u8> {
    let mut mac = HmacMd5::new_from_slice(key).unwrap();
    data.iter().for_each(|d| mac.update(d));
    mac.finalize().into_bytes().to_vec()
}

/// NEGOTIATE: Unicode, NTLM, extended session security, always sign.
fn negotiate() -> Vec<u8> {
    let mut m = b"NTLMSSP\0".to_vec();
    m.extend_from_slice(&1u32.to_le_bytes());
    m.extend_from_slice(&0x0008_8205u32.to_le_bytes());
    m.extend_from_slice(&[0; 16]);
    m
}

/// Reads the server challenge and TargetInfo out of a CHALLENGE message.
fn read_challenge(m: &[u8]) -> ([u8; 8], Vec<u8>) {
    assert_eq!(&m[..8], b"NTLMSSP\0");
    assert_eq!(u32::from_le_bytes(m[8..12].try_into().unwrap()), 2);
    let challenge: [u8; 8] = m[24..32].try_into().unwrap();
    let len = u16::from_le_bytes(m[40..42].try_into().unwrap()) as usize;
    let off = u32::from_le_bytes(m[44..48].try_into().unwrap()) as usize;
    (challenge, m[off..off + len].to_vec())
}

/// AUTHENTICATE with an NTLMv2 response for `password`.
fn authenticate(
    user: &str,
    domain: &str,
    password: &str,
    challenge: [u8; 8],
    info: &[u8],
) -> Vec<u8> {
    let nt_hash = Md4::digest(utf16(password));
    let owf = hmac(
        &nt_hash,
        &[&utf16(&format!("{}{domain}", user.to_uppercase()))],
    );
    let mut blob = vec![1, 1, 0, 0, 0, 0, 0, 0];
    blob.extend_from_slice(&0x01d9_0000_0000_0000u64.to_le_bytes());
    blob.extend_from_slice(&[0x5a; 8]);
    blob.extend_from_slice(&[0; 4]);
    blob.extend_from_slice(info);
    blob.extend_from_slice(&[0; 4]);
    let proof = hmac(&owf, &[&challenge, &blob]);
    let nt = [proof.as_slice(), &blob].concat();
    let lm = vec![0u8; 24];
    let (d, u, w) = (utf16(domain), utf16(user), utf16("WORKSTATION"));
    let mut payload_at = 64u32;
    let mut header = b"NTLMSSP\0".to_vec();
    header.extend_from_slice(&3u32.to_le_bytes());
    let mut payload = Vec::new();
    for part in [&lm, &nt, &d, &u, &w, &Vec::new()] {
        header.extend_from_slice(&(part.len() as u16).to_le_bytes());
        header.extend_from_slice(&(part.len() as u16).to_le_bytes());
        header.extend_from_slice(&payload_at.to_le_bytes());
        payload_at += part.len() as u32;
        payload.extend_from_slice(part);
    }
    header.extend_from_slice(&0x0008_8205u32.to_le_bytes());
    [header, payload].concat()
}

/// Runs the exchange; returns the tagged line.
async fn ntlm_login(client: &mut Client, tag: &str, user: &str, password: &str) -> String {
    client.send(&format!("{tag} AUTHENTICATE NTLM")).await;
    assert_eq!(
        client.line().await.unwrap(),
        "+",
        "Exchange prompts with a bare +"
    );
    client.send(&b64(&negotiate())).await;
    let challenge_line = client.line().await.unwrap();
    let challenge = unb64(challenge_line.strip_prefix("+ ").expect("a challenge"));
    let (server_challenge, info) = read_challenge(&challenge);
    client
        .send(&b64(&authenticate(
            user,
            "DOMAIN",
            password,
            server_challenge,
            &info,
        )))
        .await;
    client.line().await.unwrap()
}

async fn server_with_alice(profile: &str) -> TestServer {
    let server = TestServer::start(profile).await.unwrap();
    server.add_user("alice", "pässword").await.unwrap();
    server
}

#[tokio::test]
async fn ntlmv2_logs_in_with_the_right_password_only() {
    for profile in ["exchange-2007", "exchange-2010-sp1", "exchange-2016"] {
        let server = server_with_alice(profile).await;
        let mut c = Client::tls(server.tls_addr, server.client_tls.clone()).await;
        c.line().await.unwrap();
        assert_eq!(
            ntlm_login(&mut c, "a1", "alice", "wrong").await,
            "a1 NO AUTHENTICATE failed."
        );
        assert_eq!(
            ntlm_login(&mut c, "a2", "nobody", "pässword").await,
            "a2 NO AUTHENTICATE failed."
        );
        assert_eq!(
            ntlm_login(&mut c, "a3", "alice", "pässword").await,
            "a3 OK AUTHENTICATE completed.",
            "{profile}"
        );
        c.send("a4 SELECT INBOX").await;
        assert!(c
            .until_tagged("a4")
            .await
            .last()
            .unwrap()
            .starts_with("a4 OK [READ-WRITE]"));
        server.stop().await;
    }
}

#[tokio::test]
async fn malformed_ntlm_messages_fail_cleanly() {
    let server = server_with_alice("exchange-2016").await;
    let mut c = Client::tls(server.tls_addr, server.client_tls.clone()).await;
    c.line().await.unwrap();
    // Not base64.
    c.send("b1 AUTHENTICATE NTLM").await;
    assert_eq!(c.line().await.unwrap(), "+");
    c.send("%%%").await;
    assert_eq!(c.line().await.unwrap(), "b1 NO AUTHENTICATE failed.");
    // A truncated NEGOTIATE.
    c.send("b2 AUTHENTICATE NTLM").await;
    c.line().await.unwrap();
    c.send(&b64(b"NTLMSSP\0\x01")).await;
    assert_eq!(c.line().await.unwrap(), "b2 NO AUTHENTICATE failed.");
    // A truncated AUTHENTICATE after a real challenge.
    c.send("b3 AUTHENTICATE NTLM").await;
    c.line().await.unwrap();
    c.send(&b64(&negotiate())).await;
    assert!(c.line().await.unwrap().starts_with("+ "));
    c.send(&b64(&b"NTLMSSP\0\x03\0\0\0\xff\xff"[..])).await;
    assert_eq!(c.line().await.unwrap(), "b3 NO AUTHENTICATE failed.");
    // The fourth failure ends the session (MS-STANXIMAP V0061).
    c.send("b4 AUTHENTICATE NTLM").await;
    c.line().await.unwrap();
    c.send("*").await;
    assert_eq!(
        c.line().await.unwrap(),
        "b4 NO The AUTH protocol exchange was canceled by the client."
    );
    assert_eq!(c.line().await.unwrap(), "* BYE Connection closed. 14");
    assert_eq!(c.line().await, None);
    server.stop().await;
}

#[tokio::test]
async fn gssapi_is_advertised_but_fails() {
    let server = server_with_alice("exchange-2016").await;
    let mut c = Client::tls(server.tls_addr, server.client_tls.clone()).await;
    c.line().await.unwrap();
    c.send("c1 AUTHENTICATE GSSAPI").await;
    assert_eq!(c.line().await.unwrap(), "c1 NO AUTHENTICATE failed.");
    server.stop().await;
}
