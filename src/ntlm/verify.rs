//! NTLMv2 verification (MS-NLMP §3.3.2): NTOWFv2 from the NT hash, then the expected
//! NTProofStr over the server challenge and the client's blob, compared in constant time.

use hmac::{Hmac, Mac};
use md4::{Digest, Md4};

type HmacMd5 = Hmac<md5::Md5>;

/// The NT hash: MD4 of the UTF-16LE password (MS-NLMP §3.3.1 NTOWFv1).
pub fn nt_hash(password: &[u8]) -> [u8; 16] {
    let text = String::from_utf8_lossy(password);
    let utf16: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    Md4::digest(&utf16).into()
}

fn hmac_md5(key: &[u8], parts: &[&[u8]]) -> [u8; 16] {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = HmacMd5::new_from_slice(key).expect("HMAC takes any key length");
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().into()
}

/// True when `nt_response` (NTProofStr + blob) proves knowledge of the password behind
/// `nt_hash` for this user, domain and server challenge.
pub fn verify_v2(
    nt_hash: &[u8; 16],
    user: &str,
    domain: &str,
    server_challenge: &[u8; 8],
    nt_response: &[u8],
) -> bool {
    // 16 bytes of proof, then a blob of at least its fixed 28-byte header (MS-NLMP
    // §2.2.2.7); anything shorter is NTLMv1 or garbage.
    if nt_response.len() < 16 + 28 {
        return false;
    }
    let (proof, blob) = nt_response.split_at(16);
    let identity: Vec<u8> = format!("{}{}", user.to_uppercase(), domain)
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let owf = hmac_md5(nt_hash, &[&identity]);
    let mut mac = HmacMd5::new_from_slice(&owf).expect("HMAC takes any key length");
    mac.update(server_challenge);
    mac.update(blob);
    // verify_slice compares in constant time.
    mac.verify_slice(proof).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// MS-NLMP §4.2.4 test vectors: user "User", domain "Domain", password "Password",
    /// server challenge 0123456789abcdef, client challenge aa*8, time 0, the documented
    /// AV pairs.
    #[test]
    fn ms_nlmp_ntlmv2_vector() {
        let hash = nt_hash(b"Password");
        assert_eq!(hex(&hash), "a4f49c406510bdcab6824ee7c30fd852");
        let server_challenge = [0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef];
        let mut blob = vec![1, 1, 0, 0, 0, 0, 0, 0];
        blob.extend_from_slice(&[0; 8]); // timestamp
        blob.extend_from_slice(&[0xaa; 8]); // client challenge
        blob.extend_from_slice(&[0; 4]);
        blob.extend_from_slice(&av_pairs());
        blob.extend_from_slice(&[0; 4]);
        let proof = {
            let owf = hmac_md5(&hash, &[&utf16("USERDomain")]);
            hmac_md5(&owf, &[&server_challenge, &blob])
        };
        assert_eq!(hex(&proof), "68cd0ab851e51c96aabc927bebef6a1c");
        let response = [proof.as_slice(), &blob].concat();
        assert!(verify_v2(
            &hash,
            "User",
            "Domain",
            &server_challenge,
            &response
        ));
        assert!(
            verify_v2(&hash, "user", "Domain", &server_challenge, &response),
            "user name is case-insensitive"
        );
        assert!(!verify_v2(
            &nt_hash(b"password"),
            "User",
            "Domain",
            &server_challenge,
            &response
        ));
        assert!(!verify_v2(
            &hash,
            "User",
            "Other",
            &server_challenge,
            &response
        ));
        assert!(!verify_v2(&hash, "User", "Domain", &[0; 8], &response));
        assert!(
            !verify_v2(&hash, "User", "Domain", &server_challenge, &response[..24]),
            "NTLMv1-sized"
        );
    }

    fn av_pairs() -> Vec<u8> {
        let mut v = Vec::new();
        for (id, value) in [(2u16, utf16("Domain")), (1, utf16("Server"))] {
            v.extend_from_slice(&id.to_le_bytes());
            v.extend_from_slice(&(value.len() as u16).to_le_bytes());
            v.extend_from_slice(&value);
        }
        v.extend_from_slice(&[0, 0, 0, 0]);
        v
    }

    fn utf16(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }
}
