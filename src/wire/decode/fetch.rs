//! FETCH arguments (RFC 3501 §6.4.5, §9 `fetch`, `fetch-att`, `section`). The macros ALL,
//! FAST and FULL are expanded here so handlers only ever see `FetchAttr` lists.

use super::lexer::{fail, Cursor, Fail, PResult};
use super::values::sequence_set;
use crate::wire::command::CommandBody;
use crate::wire::types::{FetchAttr, Section, SectionText};

/// `fetch = "FETCH" SP sequence-set SP ("ALL" / "FULL" / "FAST" / fetch-att /
/// "(" fetch-att *(SP fetch-att) ")")`, after `FETCH SP`.
pub(super) fn fetch(c: &mut Cursor<'_>, uid: bool) -> PResult<CommandBody> {
    let set = sequence_set(c)?;
    c.sp()?;
    let attrs = fetch_atts(c)?;
    Ok(CommandBody::Fetch { set, attrs, uid })
}

fn fetch_atts(c: &mut Cursor<'_>) -> PResult<Vec<FetchAttr>> {
    use FetchAttr::*;
    // ALL = FLAGS INTERNALDATE RFC822.SIZE ENVELOPE; FAST drops ENVELOPE; FULL adds BODY.
    if c.eat_word("ALL") {
        return Ok(vec![Flags, InternalDate, Rfc822Size, Envelope]);
    }
    if c.eat_word("FAST") {
        return Ok(vec![Flags, InternalDate, Rfc822Size]);
    }
    if c.eat_word("FULL") {
        return Ok(vec![Flags, InternalDate, Rfc822Size, Envelope, Body]);
    }
    if !c.eat(b'(') {
        return Ok(vec![fetch_att(c)?]);
    }
    let mut attrs = vec![fetch_att(c)?];
    while c.eat(b' ') {
        attrs.push(fetch_att(c)?);
    }
    c.expect(b')', "')' to close the fetch attribute list")?;
    Ok(attrs)
}

/// One `fetch-att`.
fn fetch_att(c: &mut Cursor<'_>) -> PResult<FetchAttr> {
    use FetchAttr::*;
    let name = c
        .take_while(|b| b.is_ascii_alphanumeric() || b == b'.')
        .to_ascii_uppercase();
    let peek = match name.as_slice() {
        b"ENVELOPE" => return Ok(Envelope),
        b"FLAGS" => return Ok(Flags),
        b"INTERNALDATE" => return Ok(InternalDate),
        b"RFC822" => return Ok(Rfc822),
        b"RFC822.HEADER" => return Ok(Rfc822Header),
        b"RFC822.SIZE" => return Ok(Rfc822Size),
        b"RFC822.TEXT" => return Ok(Rfc822Text),
        b"BODYSTRUCTURE" => return Ok(BodyStructure),
        b"UID" => return Ok(Uid),
        b"BODY" if c.peek() != Some(b'[') => return Ok(Body),
        b"BODY" => false,
        b"BODY.PEEK" => true,
        b"" => return fail(format!("expected a fetch attribute {}", c.found())),
        _ => {
            let name = String::from_utf8_lossy(&name).into_owned();
            return fail(format!("unknown fetch attribute {name}"));
        }
    };
    let section = section(c)?;
    let partial = if c.peek() == Some(b'<') {
        Some(partial(c)?)
    } else {
        None
    };
    Ok(BodySection {
        peek,
        section,
        partial,
    })
}

/// `section = "[" [section-spec] "]"`.
fn section(c: &mut Cursor<'_>) -> PResult<Section> {
    c.expect(b'[', "'[' to open the section")?;
    let mut section = Section::default();
    if c.peek().is_some_and(|b| b.is_ascii_digit()) {
        section.part = section_part(c)?;
        if c.eat(b'.') {
            section.text = Some(section_text(c, true)?);
        }
    } else if c.peek() != Some(b']') {
        section.text = Some(section_text(c, false)?);
    }
    c.expect(b']', "']' to close the section")?;
    Ok(section)
}

/// `section-part = nz-number *("." nz-number)`; a `.` followed by a letter starts the text.
fn section_part(c: &mut Cursor<'_>) -> PResult<Vec<u32>> {
    let mut part = vec![c.nz_number("a part number")?];
    while c.peek() == Some(b'.') && c.peek_at(1).is_some_and(|b| b.is_ascii_digit()) {
        c.take(1);
        part.push(c.nz_number("a part number")?);
    }
    Ok(part)
}

/// `section-msgtext = "HEADER" / "HEADER.FIELDS" [".NOT"] SP header-list / "TEXT"`, and
/// `section-text = section-msgtext / "MIME"` after a part number.
fn section_text(c: &mut Cursor<'_>, after_part: bool) -> PResult<SectionText> {
    let word = c
        .take_while(|b| b.is_ascii_alphabetic() || b == b'.')
        .to_ascii_uppercase();
    Ok(match word.as_slice() {
        b"HEADER" => SectionText::Header,
        b"TEXT" => SectionText::Text,
        b"MIME" if after_part => SectionText::Mime,
        b"MIME" => return fail("MIME is only valid after a part number"),
        b"HEADER.FIELDS" => {
            c.sp()?;
            SectionText::HeaderFields(header_list(c)?)
        }
        b"HEADER.FIELDS.NOT" => {
            c.sp()?;
            SectionText::HeaderFieldsNot(header_list(c)?)
        }
        _ => {
            let word = String::from_utf8_lossy(&word).into_owned();
            return fail(format!("unknown section text '{word}'"));
        }
    })
}

/// `header-list = "(" header-fld-name *(SP header-fld-name) ")"`; names kept as written
/// because the response echoes them.
fn header_list(c: &mut Cursor<'_>) -> PResult<Vec<String>> {
    c.expect(b'(', "'(' to open the header list")?;
    let mut names = Vec::new();
    loop {
        let name = c.astring("a header field name")?;
        let name =
            String::from_utf8(name).map_err(|_| Fail("a header field name is not UTF-8".into()))?;
        names.push(name);
        if c.eat(b')') {
            return Ok(names);
        }
        c.sp()?;
    }
}

/// `"<" number "." nz-number ">"`: origin and count.
fn partial(c: &mut Cursor<'_>) -> PResult<(u32, u32)> {
    c.expect(b'<', "'<'")?;
    let origin = c.number("the partial origin")?;
    c.expect(b'.', "'.' between partial origin and count")?;
    let count = c.nz_number("the partial count")?;
    c.expect(b'>', "'>' to close the partial range")?;
    Ok((origin, count))
}
