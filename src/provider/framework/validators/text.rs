//! Names and identifiers: what a name, a slug, a key, a UUID or a header
//! name may hold.

/// A name (of a project, workspace, key, organization): any script, any
/// length, but not empty, without spaces or line breaks at its ends and
/// without control characters. Such a name is refused, never trimmed: what
/// Ory holds is exactly what was written, so it never shows a diff.
pub fn name(v: &str) -> Result<(), String> {
    if v.trim().is_empty() {
        return Err("must not be empty.".into());
    }
    if v.trim() != v {
        return Err(format!("must not start or end with spaces or line breaks; got {v:?}."));
    }
    if v.chars().any(char::is_control) {
        return Err(format!("must not contain line breaks, tabs or other control characters; got {v:?}."));
    }
    if let Some(c) = v.chars().find(|c| is_bidi_control(*c) || matches!(c, '\u{2028}' | '\u{2029}')) {
        return Err(format!(
            "must not contain line or paragraph separators or bidirectional controls, which make text read other than it is; got U+{:04X} in {v:?}.",
            c as u32
        ));
    }
    if v.chars().all(|c| c.is_whitespace() || is_invisible(c)) {
        return Err(format!("must contain a visible character; {v:?} has none."));
    }
    Ok(())
}

/// Characters that reorder the text around them (embeddings, overrides,
/// isolates): a name holding one reads differently from what it is.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters with no glyph of their own: zero-width spaces and joiners,
/// direction marks, the word joiner, invisible operators, the BOM, variation
/// selectors and tags. Fine inside a name (emoji use joiners), never a name.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}' | '\u{180E}'
        | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}'
        | '\u{FEFF}' | '\u{FFA0}' | '\u{E0000}'..='\u{E007F}')
}

/// A UUID in its canonical form only: lowercase, hyphenated, 36
/// characters. `urn:uuid:...`, `{...}`, upper case and the simple form are
/// refused rather than rewritten, so what is sent is what was written.
/// An object or subject ID of a relation tuple: any text but empty or
/// with control characters.
pub fn tuple_part(v: &str) -> Result<(), String> {
    if v.is_empty() {
        return Err("must not be empty.".into());
    }
    match v.chars().find(|c| c.is_control()) {
        Some(c) => Err(format!("must not contain control characters; got U+{:04X} in {v:?}.", c as u32)),
        None => Ok(()),
    }
}

/// A namespace or relation of a relation tuple: a name without spaces or
/// the characters of Keto's notation (`:`, `#`, `@`), so that a tuple's ID
/// reads back as the tuple.
pub fn tuple_name(v: &str) -> Result<(), String> {
    tuple_part(v)?;
    match v.chars().find(|c| c.is_whitespace() || matches!(c, ':' | '#' | '@')) {
        Some(c) => Err(format!("must not contain {c:?}; got {v:?}.")),
        None => Ok(()),
    }
}

pub fn is_uuid(s: &str) -> bool {
    uuid::Uuid::parse_str(s).is_ok_and(|u| u.hyphenated().to_string() == s)
}

/// Ory's IDs are UUIDs.
pub fn uuid(v: &str) -> Result<(), String> {
    if !is_uuid(v) {
        return Err(format!(
            "must be a UUID in canonical form (lowercase, hyphenated) such as 3fa85f64-5717-4562-b3fc-2c963f66afa6; got {v:?}."
        ));
    }
    Ok(())
}

/// An entry of the provider's `allowed_project_ids`.
pub fn project_id_entry(v: &str) -> Result<(), String> {
    if !is_uuid(v) {
        return Err(format!("must be a project ID (a UUID); got {v:?}."));
    }
    Ok(())
}

pub fn non_empty(v: &str) -> Result<(), String> {
    if v.trim().is_empty() {
        Err("must not be empty.".into())
    } else {
        Ok(())
    }
}

/// A project's slug, as Ory makes them.
pub fn project_slug(slug: &str) -> Result<(), String> {
    if crate::project_api::is_slug(slug) {
        Ok(())
    } else {
        Err(format!("must be a project slug: lowercase letters, digits and hyphens, such as affectionate-archimedes-x1y2z3; got {slug:?}."))
    }
}

/// An API key (`ory_wak_...`, `ory_pat_...`): one line of visible
/// characters. The key is never repeated in the message.
pub fn api_key(key: &str) -> Result<(), String> {
    if key.chars().any(|c| c.is_control()) {
        return Err(
            "contains a line break or another control character; copy the key again from the Ory console.".into()
        );
    }
    if key.trim() != key || key.contains(' ') {
        return Err("contains spaces; copy the key again from the Ory console.".into());
    }
    Ok(())
}

/// An HTTP header (or cookie) name: an RFC 9110 token, so that it cannot
/// end the header line and start another.
pub fn header_name(v: &str) -> Result<(), String> {
    let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if !v.is_empty() && v.bytes().all(token) {
        return Ok(());
    }
    Err(format!("must be a header or cookie name: letters, digits and !#$%&'*+-.^_`|~ only; got {v:?}."))
}

/// A sign-in provider's ID (social or SAML): part of its callback URL.
pub fn provider_id(v: &str) -> Result<(), String> {
    let fine = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if !v.is_empty() && v.len() <= 64 && v.chars().all(fine) {
        return Ok(());
    }
    Err(format!("must be 1 to 64 letters, digits, - and _, since it is part of the callback URL; got {v:?}."))
}

/// An identity schema's ID: what identities name it by. Ory's presets
/// (`preset://...`) are Ory's own.
pub fn schema_id(v: &str) -> Result<(), String> {
    if v.starts_with("preset://") {
        return Err(format!("{v:?} names one of Ory's preset schemas, which are Ory's own; choose an ID of your own, such as customer_v1."));
    }
    if v.is_empty() || v.len() > 256 || v.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("must be 1 to 256 characters without spaces or control characters.".into());
    }
    Ok(())
}
