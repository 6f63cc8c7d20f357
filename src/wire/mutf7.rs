//! Modified UTF-7 for mailbox names (RFC 3501 §5.1.3).
//!
//! Mailbox names travel on the wire in this encoding; the decoder keeps them as raw bytes
//! (`MailboxName`) and the handlers call `decode` / `is_valid` when they need the Unicode
//! name (for case-insensitive comparison, MS-STANXIMAP V0008) and `encode` when they list a
//! name that was stored as Unicode. Printable US-ASCII except `&` stands for itself, `&-` is
//! `&`, anything else is UTF-16 in a modified base64 (`,` instead of `/`, no padding) between
//! `&` and `-`.

/// Why a name is not valid modified UTF-7, and the byte offset where that was noticed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid modified UTF-7 at byte {position}: {reason}")]
pub struct Mutf7Error {
    pub position: usize,
    pub reason: &'static str,
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

/// Encodes a Unicode name: the shortest form RFC 3501 §5.1.3 allows.
pub fn encode(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut pending: Vec<u16> = Vec::new();
    for ch in name.chars() {
        if (' '..='~').contains(&ch) {
            flush(&mut pending, &mut out);
            if ch == '&' {
                out.push_str("&-");
            } else {
                out.push(ch);
            }
        } else {
            pending.extend_from_slice(ch.encode_utf16(&mut [0; 2]));
        }
    }
    flush(&mut pending, &mut out);
    out
}

/// Writes the pending UTF-16 units as one `&...-` shift sequence.
fn flush(pending: &mut Vec<u16>, out: &mut String) {
    if pending.is_empty() {
        return;
    }
    out.push('&');
    let mut bits: u32 = 0;
    let mut nbits = 0;
    for unit in pending.drain(..) {
        bits = (bits << 16) | u32::from(unit);
        nbits += 16;
        while nbits >= 6 {
            nbits -= 6;
            out.push(char::from(ALPHABET[((bits >> nbits) & 0x3f) as usize]));
        }
    }
    if nbits > 0 {
        // Left-align the remaining bits; the padding bits are zero, as §5.1.3 requires.
        out.push(char::from(
            ALPHABET[((bits << (6 - nbits)) & 0x3f) as usize],
        ));
    }
    out.push('-');
}

/// Decodes a wire name, refusing anything RFC 3501 §5.1.3 does not allow: 8-bit or control
/// bytes, an unterminated or empty shift, non-zero padding bits, a lone surrogate, base64
/// used for a printable ASCII character, and a null shift (`-&` between two sequences).
pub fn decode(bytes: &[u8]) -> Result<String, Mutf7Error> {
    let mut out = String::with_capacity(bytes.len());
    let mut i = 0;
    let mut after_shift = false;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'&' {
            if bytes.get(i + 1) == Some(&b'-') {
                out.push('&');
                i += 2;
                after_shift = false;
                continue;
            }
            if after_shift {
                return Err(err(i, "null shift between two base64 sequences"));
            }
            i = decode_shift(bytes, i + 1, &mut out)?;
            after_shift = true;
        } else if (0x20..=0x7e).contains(&b) {
            out.push(char::from(b));
            i += 1;
            after_shift = false;
        } else {
            return Err(err(i, "byte outside printable US-ASCII"));
        }
    }
    Ok(out)
}

/// True when `bytes` is valid modified UTF-7.
pub fn is_valid(bytes: &[u8]) -> bool {
    decode(bytes).is_ok()
}

fn err(position: usize, reason: &'static str) -> Mutf7Error {
    Mutf7Error { position, reason }
}

/// Decodes the base64 run starting at `start` (just after `&`) up to its `-`; returns the
/// index after the `-`.
fn decode_shift(bytes: &[u8], start: usize, out: &mut String) -> Result<usize, Mutf7Error> {
    let len = bytes[start..]
        .iter()
        .position(|&b| b == b'-')
        .ok_or_else(|| err(start, "base64 sequence without closing '-'"))?;
    let units = sextets_to_units(&bytes[start..start + len], start)?;
    for ch in char::decode_utf16(units.iter().copied()) {
        let ch = ch.map_err(|_| err(start, "unpaired UTF-16 surrogate"))?;
        if (' '..='~').contains(&ch) {
            return Err(err(start, "printable US-ASCII character encoded in base64"));
        }
        out.push(ch);
    }
    Ok(start + len + 1)
}

fn sextets_to_units(run: &[u8], start: usize) -> Result<Vec<u16>, Mutf7Error> {
    if run.is_empty() {
        return Err(err(start, "empty base64 sequence"));
    }
    let mut units = Vec::with_capacity(run.len() * 6 / 16);
    let mut bits: u32 = 0;
    let mut nbits = 0;
    for (k, &b) in run.iter().enumerate() {
        let v = ALPHABET
            .iter()
            .position(|&a| a == b)
            .ok_or_else(|| err(start + k, "byte outside the modified base64 alphabet"))?;
        bits = (bits << 6) | v as u32;
        nbits += 6;
        if nbits >= 16 {
            nbits -= 16;
            units.push(((bits >> nbits) & 0xffff) as u16);
        }
    }
    if nbits >= 6 || bits & ((1 << nbits) - 1) != 0 {
        return Err(err(
            start,
            "base64 sequence with leftover or non-zero padding bits",
        ));
    }
    Ok(units)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn rfc3501_examples() {
        // §5.1.3: "~peter/mail/日本語/台北" is "~peter/mail/&ZeVnLIqe-/&U,BTFw-".
        let name = "~peter/mail/\u{65e5}\u{672c}\u{8a9e}/\u{53f0}\u{5317}";
        assert_eq!(encode(name), "~peter/mail/&ZeVnLIqe-/&U,BTFw-");
        assert_eq!(
            decode(b"~peter/mail/&ZeVnLIqe-/&U,BTFw-").as_deref(),
            Ok(name)
        );
        assert_eq!(encode("A&B"), "A&-B");
        assert_eq!(decode(b"A&-B").as_deref(), Ok("A&B"));
        assert_eq!(encode("caf\u{e9}"), "caf&AOk-");
        assert_eq!(encode("Entw\u{fc}rfe"), "Entw&APw-rfe");
        assert_eq!(encode("\u{1f600}"), "&2D3eAA-");
        assert_eq!(decode(b"&2D3eAA-").as_deref(), Ok("\u{1f600}"));
    }

    #[test]
    fn invalid_forms_are_refused() {
        for bad in [
            &b"&Jjo!"[..],  // unterminated
            b"&-&",         // lone '&' at the end
            b"&AGE-",       // 'a' encoded in base64
            b"&AOk-&AOk-",  // null shift
            b"&AOl-",       // non-zero padding bits
            b"&2D0-",       // lone high surrogate
            b"caf\xc3\xa9", // raw 8-bit
            b"a\tb",        // control
            b"&-",          // fine: checked below
        ] {
            if bad == b"&-" {
                assert!(is_valid(bad));
            } else {
                assert!(!is_valid(bad), "{:?}", String::from_utf8_lossy(bad));
            }
        }
        assert_eq!(decode(b"&AOk-&-").as_deref(), Ok("\u{e9}&"));
        assert_eq!(decode(b"&").unwrap_err().position, 1);
    }

    proptest! {
        #[test]
        fn encode_decode_round_trip(s in "\\PC*") {
            let enc = encode(&s);
            prop_assert!(enc.bytes().all(|b| (0x20..=0x7e).contains(&b)));
            prop_assert_eq!(decode(enc.as_bytes()), Ok(s));
        }

        #[test]
        fn decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            if let Ok(s) = decode(&bytes) {
                prop_assert_eq!(encode(&s).into_bytes(), bytes);
            }
        }
    }
}
