//! Byte classes of RFC 3501 §9 (formal syntax), shared by the decoder, which uses them to
//! accept exactly the grammar, and the encoder, which uses them to choose between atom,
//! quoted string and literal.

/// `CHAR = %x01-7F` (RFC 5234 core rule used by RFC 3501).
pub fn is_char(b: u8) -> bool {
    (0x01..=0x7f).contains(&b)
}

/// `CTL = %x00-1F / %x7F`.
pub fn is_ctl(b: u8) -> bool {
    b < 0x20 || b == 0x7f
}

/// `atom-specials = "(" / ")" / "{" / SP / CTL / list-wildcards / quoted-specials /
/// resp-specials`.
pub fn is_atom_special(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'{' | b' ' | b'%' | b'*' | b'"' | b'\\' | b']'
    ) || is_ctl(b)
}

/// `ATOM-CHAR = <any CHAR except atom-specials>`.
pub fn is_atom_char(b: u8) -> bool {
    is_char(b) && !is_atom_special(b)
}

/// `ASTRING-CHAR = ATOM-CHAR / resp-specials`.
pub fn is_astring_char(b: u8) -> bool {
    is_atom_char(b) || b == b']'
}

/// `list-char = ATOM-CHAR / list-wildcards / resp-specials`.
pub fn is_list_char(b: u8) -> bool {
    is_atom_char(b) || matches!(b, b'%' | b'*' | b']')
}

/// `tag = 1*<any ASTRING-CHAR except "+">`.
pub fn is_tag_char(b: u8) -> bool {
    is_astring_char(b) && b != b'+'
}

/// `TEXT-CHAR = <any CHAR except CR and LF>`: what may appear inside a quoted string
/// (besides the escaped quoted-specials).
pub fn is_text_char(b: u8) -> bool {
    is_char(b) && b != b'\r' && b != b'\n'
}

/// True when `bytes` can be written as a quoted string (every byte a TEXT-CHAR).
pub fn is_quotable(bytes: &[u8]) -> bool {
    bytes.iter().all(|&b| is_text_char(b))
}

/// True when `bytes` is a non-empty atom.
pub fn is_atom(bytes: &[u8]) -> bool {
    !bytes.is_empty() && bytes.iter().all(|&b| is_atom_char(b))
}

/// True when `bytes` is a non-empty `1*ASTRING-CHAR`.
pub fn is_astring_atom(bytes: &[u8]) -> bool {
    !bytes.is_empty() && bytes.iter().all(|&b| is_astring_char(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_follow_rfc3501() {
        assert!(is_atom_char(b'a') && is_atom_char(b'+') && is_atom_char(b'&'));
        for b in [
            b'(', b')', b'{', b' ', b'%', b'*', b'"', b'\\', b']', 0, 0x1f, 0x7f,
        ] {
            assert!(!is_atom_char(b), "{b:#x}");
        }
        assert!(!is_atom_char(0x80));
        assert!(is_astring_char(b']') && !is_astring_char(b'%'));
        assert!(is_list_char(b'%') && is_list_char(b'*') && is_list_char(b']'));
        assert!(!is_tag_char(b'+') && is_tag_char(b']'));
        assert!(is_quotable(b"a \"b\\") && !is_quotable(b"a\r") && !is_quotable(b"\xc3\xa9"));
        assert!(!is_quotable(b"\0"));
        assert!(!is_atom(b"") && is_astring_atom(b"a]") && !is_atom(b"a]"));
    }
}
