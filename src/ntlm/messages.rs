//! NTLM message layouts (MS-NLMP §2.2.1): reading NEGOTIATE and AUTHENTICATE messages with
//! every offset bounds-checked (a malformed message is an error, never a panic), writing the
//! CHALLENGE message.

const SIGNATURE: &[u8; 8] = b"NTLMSSP\0";

/// Negotiate flags (MS-NLMP §2.2.2.5) the server sets in its challenge.
const UNICODE: u32 = 0x0000_0001;
const REQUEST_TARGET: u32 = 0x0000_0004;
const NEGOTIATE_NTLM: u32 = 0x0000_0200;
const ALWAYS_SIGN: u32 = 0x0000_8000;
const TARGET_TYPE_DOMAIN: u32 = 0x0001_0000;
const EXTENDED_SESSION_SECURITY: u32 = 0x0008_0000;
const TARGET_INFO: u32 = 0x0080_0000;
const NEGOTIATE_128: u32 = 0x2000_0000;
const NEGOTIATE_56: u32 = 0x8000_0000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NtlmError {
    #[error("not an NTLM message")]
    Signature,
    #[error("expected NTLM message type {expected}, got {got}")]
    Type { expected: u32, got: u32 },
    #[error("NTLM message field out of bounds")]
    Bounds,
    #[error("NTLM text is not valid UTF-16")]
    Text,
}

/// What the client's AUTHENTICATE message carries that verification needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authenticate {
    pub user: String,
    pub domain: String,
    pub workstation: String,
    /// NTProofStr (16 bytes) followed by the client's blob, for NTLMv2.
    pub nt_response: Vec<u8>,
}

fn u16_at(m: &[u8], at: usize) -> Result<u16, NtlmError> {
    let b = m.get(at..at + 2).ok_or(NtlmError::Bounds)?;
    Ok(u16::from_le_bytes([b[0], b[1]]))
}

fn u32_at(m: &[u8], at: usize) -> Result<u32, NtlmError> {
    let b = m.get(at..at + 4).ok_or(NtlmError::Bounds)?;
    Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// The payload a `(len, maxlen, offset)` field descriptor at `at` points to.
fn field(m: &[u8], at: usize) -> Result<&[u8], NtlmError> {
    let len = u16_at(m, at)? as usize;
    let offset = u32_at(m, at + 4)? as usize;
    m.get(offset..offset.checked_add(len).ok_or(NtlmError::Bounds)?)
        .ok_or(NtlmError::Bounds)
}

fn check_header(m: &[u8], expected: u32) -> Result<(), NtlmError> {
    if m.get(..8) != Some(SIGNATURE.as_slice()) {
        return Err(NtlmError::Signature);
    }
    let got = u32_at(m, 8)?;
    if got != expected {
        return Err(NtlmError::Type { expected, got });
    }
    Ok(())
}

/// Reads a NEGOTIATE message; returns its flags.
pub fn parse_negotiate(m: &[u8]) -> Result<u32, NtlmError> {
    check_header(m, 1)?;
    u32_at(m, 12)
}

fn utf16(bytes: &[u8]) -> Result<String, NtlmError> {
    if bytes.len() % 2 != 0 {
        return Err(NtlmError::Text);
    }
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    String::from_utf16(&units).map_err(|_| NtlmError::Text)
}

fn to_utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// Reads an AUTHENTICATE message (MS-NLMP §2.2.1.3). Names are UTF-16 when the client
/// negotiated Unicode, OEM (read as Latin-1) otherwise.
pub fn parse_authenticate(m: &[u8]) -> Result<Authenticate, NtlmError> {
    check_header(m, 3)?;
    let flags = u32_at(m, 60)?;
    let text = |b: &[u8]| -> Result<String, NtlmError> {
        if flags & UNICODE != 0 {
            utf16(b)
        } else {
            Ok(b.iter().map(|&c| c as char).collect())
        }
    };
    Ok(Authenticate {
        nt_response: field(m, 20)?.to_vec(),
        domain: text(field(m, 28)?)?,
        user: text(field(m, 36)?)?,
        workstation: text(field(m, 44)?)?,
    })
}

/// The CHALLENGE message (MS-NLMP §2.2.1.2) for `server_challenge`, naming the server
/// `target`, with a TargetInfo list that NTLMv2 clients fold into their response.
pub fn challenge_message(server_challenge: [u8; 8], target: &str, filetime: u64) -> Vec<u8> {
    let name = to_utf16(target);
    let info = target_info(&name, filetime);
    let flags = UNICODE
        | REQUEST_TARGET
        | NEGOTIATE_NTLM
        | ALWAYS_SIGN
        | TARGET_TYPE_DOMAIN
        | EXTENDED_SESSION_SECURITY
        | TARGET_INFO
        | NEGOTIATE_128
        | NEGOTIATE_56;
    const HEADER: usize = 48;
    let mut m = Vec::with_capacity(HEADER + name.len() + info.len());
    m.extend_from_slice(SIGNATURE);
    m.extend_from_slice(&2u32.to_le_bytes());
    push_field(&mut m, name.len(), HEADER);
    m.extend_from_slice(&flags.to_le_bytes());
    m.extend_from_slice(&server_challenge);
    m.extend_from_slice(&[0u8; 8]);
    push_field(&mut m, info.len(), HEADER + name.len());
    m.extend_from_slice(&name);
    m.extend_from_slice(&info);
    m
}

fn push_field(m: &mut Vec<u8>, len: usize, offset: usize) {
    let len = len as u16;
    m.extend_from_slice(&len.to_le_bytes());
    m.extend_from_slice(&len.to_le_bytes());
    m.extend_from_slice(&(offset as u32).to_le_bytes());
}

/// AV pairs (MS-NLMP §2.2.2.1): NetBIOS domain and computer names, the timestamp, EOL.
fn target_info(name: &[u8], filetime: u64) -> Vec<u8> {
    let mut info = Vec::new();
    for (id, value) in [(2u16, name), (1, name), (4, name), (3, name)] {
        info.extend_from_slice(&id.to_le_bytes());
        info.extend_from_slice(&(value.len() as u16).to_le_bytes());
        info.extend_from_slice(value);
    }
    info.extend_from_slice(&7u16.to_le_bytes());
    info.extend_from_slice(&8u16.to_le_bytes());
    info.extend_from_slice(&filetime.to_le_bytes());
    info.extend_from_slice(&[0, 0, 0, 0]);
    info
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenge_has_the_documented_layout() {
        let m = challenge_message([1, 2, 3, 4, 5, 6, 7, 8], "IMAP", 0);
        assert_eq!(&m[..8], SIGNATURE);
        assert_eq!(u32_at(&m, 8), Ok(2));
        assert_eq!(field(&m, 12).unwrap(), to_utf16("IMAP").as_slice());
        assert_eq!(&m[24..32], &[1, 2, 3, 4, 5, 6, 7, 8]);
        let info = field(&m, 40).unwrap();
        assert_eq!(&info[info.len() - 4..], &[0, 0, 0, 0], "ends with MsvAvEOL");
    }

    #[test]
    fn malformed_messages_are_errors() {
        assert_eq!(parse_negotiate(b"garbage"), Err(NtlmError::Signature));
        assert_eq!(
            parse_negotiate(b"NTLMSSP\0\x02\0\0\0"),
            Err(NtlmError::Type {
                expected: 1,
                got: 2
            })
        );
        assert_eq!(
            parse_negotiate(b"NTLMSSP\0\x01\0\0"),
            Err(NtlmError::Bounds)
        );
        let mut m = vec![0u8; 64];
        m[..8].copy_from_slice(SIGNATURE);
        m[8] = 3;
        m[20] = 200; // NT response length beyond the message
        assert_eq!(parse_authenticate(&m), Err(NtlmError::Bounds));
        m[20] = 0;
        m[24..28].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(
            parse_authenticate(&m),
            Err(NtlmError::Bounds),
            "offset overflow"
        );
    }
}
