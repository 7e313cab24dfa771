//! Plan-time checks of single values, and the parsers they rest on. A check
//! answers how a bad value is wrong, completing "<attribute> ...".

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

/// Whether a URL holds `@` in its authority, so may carry a user name or
/// password: such text is never repeated, even when it does not parse.
fn has_userinfo(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split(['/', '?', '#', '\\']).next().unwrap_or_default().contains('@')
}

/// A URL as a message may show it: not at all when it may hold credentials.
fn shown_url(url: &str) -> String {
    if url.contains('@') {
        "(not shown: it holds an @, so may hold credentials)".into()
    } else {
        format!("{url:?}")
    }
}

/// Whether the host is written where it is read: `scheme://host`, no
/// backslash, no extra slash. A URL parser reads `https:///x` and
/// `https:\\x` as the host `x`, so what is sent would not be what was
/// written.
fn authority_as_written(url: &str) -> bool {
    !url.contains('\\') && url.split_once("://").is_some_and(|(_, rest)| !rest.starts_with('/'))
}

/// Why a URL with spaces or control characters is refused: a URL parser
/// drops them at the ends, so what would be sent is not what was written.
/// Says nothing of the value, which may hold a secret.
fn unclean_url(v: &str) -> Option<String> {
    (v.trim() != v || v.chars().any(char::is_control))
        .then(|| "must not contain spaces or line breaks at its ends, or control characters.".to_string())
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

/// An RFC 3339 time in the future.
pub fn future_time(v: &str) -> Result<(), String> {
    time(v)?;
    match chrono::DateTime::parse_from_rfc3339(v) {
        Ok(t) if t <= chrono::Utc::now() => Err(format!("must be in the future; {v} has passed.")),
        _ => Ok(()),
    }
}

/// An RFC 3339 time whose instant is before the year 10000 in UTC: later
/// ones cannot be written back in RFC 3339, so they never compare equal.
pub fn time(v: &str) -> Result<(), String> {
    use chrono::{Datelike, Timelike};
    match chrono::DateTime::parse_from_rfc3339(v) {
        Ok(t) if t.with_timezone(&chrono::Utc).year() > 9999 => {
            Err(format!("must be before the year 10000 (UTC); {v} is not."))
        }
        // Go, and so Ory, refuses a 60th second; it would fail at apply.
        Ok(t) if t.nanosecond() >= 1_000_000_000 => {
            Err(format!("must not be a leap second (:60); got {v:?}. Use the second after it."))
        }
        Ok(_) => Ok(()),
        Err(_) => Err(format!("must be an RFC 3339 time such as 2030-01-01T00:00:00Z; got {v:?}.")),
    }
}

/// A time as it is sent: RFC 3339 in UTC with an upper-case `T` and `Z`
/// (`2030-01-01T00:00:00Z`), whatever spelling the user chose (a lower-case
/// `t`, a space, an offset). Text that does not parse is sent as it is and
/// refused by the API; the plan-time check stops it first.
pub fn canonical_time(v: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(v)
        .map(|t| t.with_timezone(&chrono::Utc).to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
        .unwrap_or_else(|_| v.to_string())
}

/// Whether two RFC 3339 texts name the same instant.
pub fn same_instant(a: &str, b: &str) -> bool {
    match (chrono::DateTime::parse_from_rfc3339(a), chrono::DateTime::parse_from_rfc3339(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// The longest duration any setting takes: ten years (87600h). Every sum
/// with the current time then stays far from an overflow and from year 10000.
pub const MAX_DURATION_SECONDS: i64 = 87_600 * 3600;

pub fn duration(v: &str) -> Result<(), String> {
    match parse_duration(v) {
        Some(_) => Ok(()),
        None => Err(format!("must be a duration such as 30s, 10m or 1h30m, at most 87600h (ten years); got {v:?}.")),
    }
}

/// Two spellings of one duration (`1h`, `1h0m0s`, `60m`).
pub fn same_duration(a: &str, b: &str) -> bool {
    a == b || parse_duration(a).is_some_and(|a| parse_duration(b) == Some(a))
}

pub fn non_empty(v: &str) -> Result<(), String> {
    if v.trim().is_empty() {
        Err("must not be empty.".into())
    } else {
        Ok(())
    }
}

/// A duration such as `90s`, `30m`, `1h` or `1h30m`, in seconds, up to
/// [`MAX_DURATION_SECONDS`].
pub fn parse_duration(text: &str) -> Option<i64> {
    let (mut total, mut number) = (0i64, String::new());
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            _ => return None,
        };
        total = total.checked_add(number.parse::<i64>().ok()?.checked_mul(unit)?)?;
        number.clear();
    }
    (number.is_empty() && total > 0 && total <= MAX_DURATION_SECONDS).then_some(total)
}

/// The console API's URL: http(s), a host, no credentials, no spaces
/// around it. A URL with a user or password is never repeated in full.
pub fn console_url(url: &str) -> Result<(), String> {
    // Checked on the text, before parsing: a URL that does not parse may
    // still hold a password (`https://ci:PW@host:99999`).
    if has_userinfo(url) {
        return Err("must not contain a user name or password: the workspace API key is the only credential, sent as a bearer token.".into());
    }
    if url.trim() != url {
        return Err(format!("must not start or end with spaces or line breaks; got {}.", shown_url(url)));
    }
    match reqwest::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() && authority_as_written(url) => Ok(()),
        _ => Err(format!(
            "must be an http:// or https:// URL such as https://api.console.ory.sh; got {}.",
            shown_url(url)
        )),
    }
}

/// The base URL of a self-hosted Ory server's API, such as
/// `http://127.0.0.1:4434`: http(s), a host, no user name or password
/// (the message would show it).
pub fn server_url(url: &str) -> Result<(), String> {
    if has_userinfo(url) {
        return Err(
            "must not contain a user name or password: the provider sends no credential to a self-hosted server."
                .into(),
        );
    }
    if url.trim() != url {
        return Err(format!("must not start or end with spaces or line breaks; got {}.", shown_url(url)));
    }
    match reqwest::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() && authority_as_written(url) => Ok(()),
        _ => Err(format!("must be an http:// or https:// URL such as http://127.0.0.1:4434; got {}.", shown_url(url))),
    }
}

/// A project API URL template: an http(s) URL with `{slug}` (or `%s`, as
/// Ory's provider writes it) for the project's slug, such as
/// `https://{slug}.projects.oryapis.com`: one placeholder, once.
pub fn project_api_url(template: &str) -> Result<(), String> {
    let held: usize = crate::project_api::SLUG_PLACEHOLDERS.iter().map(|p| template.matches(p).count()).sum();
    if held != 1 {
        return Err(format!(
            "must hold {{slug}} (or %s) once, where the project's slug goes, such as https://{{slug}}.projects.oryapis.com; got {}.",
            shown_url(template)
        ));
    }
    console_url(&crate::project_api::url_for(template, "slug"))
        .map_err(|problem| problem.replace("https://api.console.ory.sh", "https://{slug}.projects.oryapis.com"))
}

/// An OAuth2 redirect URI: absolute, without a fragment (RFC 6749 3.1.2),
/// as Hydra requires; custom schemes (`com.example.app:/cb`) are allowed.
pub fn redirect_uri(uri: &str) -> Result<(), String> {
    match reqwest::Url::parse(uri) {
        Ok(u) if u.fragment().is_none() && !u.cannot_be_a_base() && uri.trim() == uri => Ok(()),
        Ok(u) if u.fragment().is_some() => Err(format!("must not have a fragment (#...); got {uri:?}.")),
        _ => Err(format!("must be an absolute URI such as https://app.example.com/callback; got {uri:?}.")),
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

/// A request timeout: a duration from 1s to 10m.
pub fn parse_request_timeout(text: &str) -> Option<std::time::Duration> {
    let max = crate::http::MAX_REQUEST_TIMEOUT.as_secs() as i64;
    parse_duration(text).filter(|s| *s <= max).map(|s| std::time::Duration::from_secs(s as u64))
}

pub fn request_timeout(v: &str) -> Result<(), String> {
    match parse_request_timeout(v) {
        Some(_) => Ok(()),
        None => Err(format!("must be a duration from 1s to 10m, such as 30s or 2m; got {v:?}.")),
    }
}

pub fn parse_max_retries(text: &str) -> Option<u32> {
    text.trim().parse::<u32>().ok().filter(|n| *n <= crate::http::MAX_MAX_RETRIES)
}

pub fn max_retries(n: &str) -> Result<(), String> {
    match parse_max_retries(n) {
        Some(_) => Ok(()),
        None => Err(format!("must be a whole number from 0 to {}; got {n}.", crate::http::MAX_MAX_RETRIES)),
    }
}

/// An `https://` URL. The value may hold credentials, so it is not repeated.
pub fn https_url(v: &str) -> Result<(), String> {
    if let Some(problem) = unclean_url(v) {
        return Err(problem);
    }
    if authority_as_written(v) && reqwest::Url::parse(v).is_ok_and(|u| u.scheme() == "https" && u.host().is_some()) {
        return Ok(());
    }
    Err("must be an https:// URL; plain HTTP and other schemes are not supported.".into())
}

/// A web hook's URL: an `http://` or `https://` URL without a user name
/// or password, which would be shown in plans and in the resource's ID
/// (its import ID holds the URL). Credentials go in `webhook_auth_*`.
pub fn web_hook_url(v: &str) -> Result<(), String> {
    if has_userinfo(v) {
        return Err("must not contain a user name or password (user:password@): they would be shown in plans and in the resource's ID. Set the credentials with webhook_auth_type and its webhook_auth_* attributes, which are kept secret.".into());
    }
    http_url(v)
}

/// An `http://` or `https://` URL, such as a web hook's.
pub fn http_url(v: &str) -> Result<(), String> {
    if let Some(problem) = unclean_url(v) {
        return Err(problem);
    }
    if authority_as_written(v)
        && reqwest::Url::parse(v).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
    {
        return Ok(());
    }
    Err(format!("must be an http:// or https:// URL such as https://example.com/hook; got {}.", shown_url(v)))
}

/// How deeply a configuration may nest objects and arrays. Ory's own
/// configuration nests about ten levels; the bound keeps every document
/// this provider writes readable by it (and by the emulator) with room to
/// spare, instead of a project that can no longer be refreshed.
pub const MAX_JSON_DEPTH: usize = 32;

fn json_depth(v: &serde_json::Value) -> usize {
    match v {
        serde_json::Value::Array(items) => 1 + items.iter().map(json_depth).max().unwrap_or(0),
        serde_json::Value::Object(map) => 1 + map.values().map(json_depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// A JSON object, as `jsonencode({...})` writes one, at most
/// [`MAX_JSON_DEPTH`] levels deep.
pub fn json_object(v: &str) -> Result<(), String> {
    let mut de = serde_json::Deserializer::from_str(v);
    match serde::Deserialize::deserialize(&mut de).and_then(|value: serde_json::Value| de.end().map(|()| value)) {
        Ok(value) if json_depth(&value) > MAX_JSON_DEPTH => Err(format!(
            "must not nest objects and arrays more than {MAX_JSON_DEPTH} levels deep; Ory's configuration nests about ten."
        )),
        Err(e) if e.to_string().contains("recursion limit") => Err(format!(
            "must not nest objects and arrays more than {MAX_JSON_DEPTH} levels deep; Ory's configuration nests about ten."
        )),
        Ok(serde_json::Value::Object(_)) => Ok(()),
        Ok(_) => Err("must be a JSON object, as jsonencode({ ... }) writes one.".into()),
        Err(e) => Err(format!("must be JSON, as jsonencode({{ ... }}) writes it: {e}.")),
    }
}

/// Whether two JSON texts hold the same value, whatever their key order,
/// spacing or number spelling.
pub fn same_json(a: &str, b: &str) -> bool {
    match (serde_json::from_str(a), serde_json::from_str(b)) {
        (Ok(a), Ok(b)) => same(&a, &b),
        _ => a == b,
    }
}

/// A CORS origin: `*`, or `scheme://host[:port]` where the host may start
/// with `*.`; no user name, path, query, or `*` anywhere else.
pub fn cors_origin(v: &str) -> Result<(), String> {
    if let Some(problem) = unclean_url(v) {
        return Err(problem);
    }
    let fine = v == "*"
        || v.split_once("://").is_some_and(|(scheme, rest)| {
            let host = rest.strip_prefix("*.").unwrap_or(rest);
            matches!(scheme, "http" | "https")
                && authority_as_written(v)
                && !host.contains(['*', '@'])
                && reqwest::Url::parse(&format!("{scheme}://{host}"))
                    .is_ok_and(|u| u.host().is_some() && matches!(u.path(), "" | "/") && u.query().is_none())
        });
    if fine {
        return Ok(());
    }
    Err(format!(
        "must be *, or an origin such as https://example.com or https://*.example.com (no user name, path or other *); got {}.",
        shown_url(v)
    ))
}

/// A lowercase domain name such as `example.com`.
pub fn domain(v: &str) -> Result<(), String> {
    let labels: Vec<&str> = v.split('.').collect();
    // A top-level label of digits only is no domain (`1.2` is an address).
    let fine = v.len() <= 253
        && labels.len() >= 2
        && labels.last().is_some_and(|tld| !tld.bytes().all(|b| b.is_ascii_digit()))
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        });
    if fine {
        return Ok(());
    }
    Err(format!("must be a lowercase domain name of at most 253 characters such as example.com; got {v:?}."))
}

/// An organization's session lifespan: whole s, m or h, from 1m to 8760h.
pub fn session_lifespan(v: &str) -> Result<(), String> {
    let digits = v.strip_suffix(['s', 'm', 'h']).filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    let seconds = digits.and_then(|n| n.parse::<u64>().ok()).map(|n| {
        n.saturating_mul(match v.chars().last() {
            Some('h') => 3600,
            Some('m') => 60,
            _ => 1,
        })
    });
    match seconds {
        Some(s) if (60..=8760 * 3600).contains(&s) => Ok(()),
        _ => Err(format!("must be whole seconds, minutes or hours from 1m to 8760h, such as 24h; got {v:?}.")),
    }
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

/// A secret given either kept (sensitive, in the state) as `<name>`, or
/// write-only as `<name>_wo` with `<name>_wo_version` saying when to send
/// it again.
pub struct SecretPair(pub &'static str);

impl SecretPair {
    /// Refuses both forms set, and a version without the write-only form;
    /// whether a secret is, or may be (a value not known yet), given.
    pub fn check<M: crate::provider::model::Model>(&self, config: &M, diags: &mut crate::plugin::Diagnostics) -> bool {
        let (kept, write_only, version) =
            (self.0.to_string(), format!("{}_wo", self.0), format!("{}_wo_version", self.0));
        let value = config.to_value();
        // Unknown (a variable in `terraform validate`) may still be null.
        let may_be_set = |name: &str| !value.attr(name).is_null();
        let set = |name: &str| may_be_set(name) && !value.attr(name).is_unknown();
        if set(&kept) && set(&write_only) {
            diags.attr_error(
                &write_only,
                format!("Invalid {write_only}"),
                format!("Set {kept} or {write_only}, not both."),
            );
        }
        if set(&version) && !may_be_set(&write_only) {
            diags.attr_error(
                &version,
                format!("{version} does not apply"),
                format!("{version} only says when to send {write_only} again; set {write_only}, or remove it."),
            );
        }
        may_be_set(&kept) || may_be_set(&write_only)
    }
}

/// SAML metadata: the XML, a `base64://` URL of it, or an `http(s)://` URL.
/// Inline XML must hold what Ory requires of it: an `IDPSSODescriptor`,
/// a `KeyDescriptor` and a `SingleSignOnService`.
pub fn saml_metadata(v: &str) -> Result<(), String> {
    use base64::Engine;
    let xml = match v.strip_prefix("base64://") {
        Some(encoded) => match base64::engine::general_purpose::STANDARD.decode(encoded) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(_) => return Err("the base64:// URL does not hold base64.".into()),
        },
        None if v.starts_with("https://") || v.starts_with("http://") => return http_url(v),
        None => v.to_string(),
    };
    let missing: Vec<&str> = ["IDPSSODescriptor", "KeyDescriptor", "SingleSignOnService"]
        .into_iter()
        .filter(|element| !xml.contains(element))
        .collect();
    if !xml.trim_start().starts_with('<') {
        return Err("must be the metadata's XML, a base64:// URL of it, or an https:// URL serving it.".into());
    }
    if !missing.is_empty() {
        return Err(format!(
            "the metadata lacks {}, which Ory needs to check the identity provider's assertions.",
            missing.join(", ")
        ));
    }
    Ok(())
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

/// An identity schema: a JSON Schema document (checked against the
/// meta-schema it names, draft 7 when it names none) that describes the
/// identities' `traits`.
pub fn identity_schema(v: &str) -> Result<(), String> {
    let schema: serde_json::Value = serde_json::from_str(v).map_err(|e| format!("must be JSON: {e}."))?;
    if !schema.is_object() {
        return Err("must be a JSON object, a JSON Schema.".into());
    }
    let mut checked = schema.clone();
    if checked.get("$schema").is_none() {
        checked["$schema"] = "http://json-schema.org/draft-07/schema#".into();
    }
    if let Err(e) = jsonschema::meta::validate(&checked) {
        return Err(format!("is not a valid JSON Schema: at {:?}: {e}.", e.instance_path().to_string()));
    }
    if !schema.pointer("/properties/traits").is_some_and(serde_json::Value::is_object) {
        return Err("must describe the identities' traits, in properties.traits (an object schema).".into());
    }
    Ok(())
}

/// A header an event stream's API key can travel in.
pub fn event_stream_header(v: &str) -> Result<(), String> {
    header_name(v)?;
    if crate::provider::enums::EVENT_STREAM_RESERVED_HEADERS.contains(&v.to_ascii_lowercase().as_str()) {
        return Err(format!(
            "{v:?} is a header Ory sets itself or a connection-specific one, which Ory refuses; pick another, for example X-Api-Key."
        ));
    }
    Ok(())
}

/// An event stream's auth secret: 1 to 4096 bytes, as Ory takes it.
pub fn event_stream_secret(v: &str) -> Result<(), String> {
    let max = crate::provider::enums::EVENT_STREAM_MAX_SECRET_BYTES;
    if v.is_empty() || v.len() > max {
        return Err(format!("must be 1 to {max} bytes long; it is {} bytes.", v.len()));
    }
    Ok(())
}

fn is_aws_account(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// An SNS topic ARN: `arn:aws:sns:<region>:<12-digit account>:<topic>`.
pub fn sns_topic_arn(arn: &str) -> Result<(), String> {
    let parts: Vec<&str> = arn.split(':').collect();
    if matches!(parts.as_slice(), ["arn", partition, "sns", region, account, topic]
        if partition.starts_with("aws") && !region.is_empty() && is_aws_account(account) && !topic.is_empty())
    {
        return Ok(());
    }
    Err(format!("must be an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:ory-events; got {arn:?}."))
}

/// An IAM role ARN: `arn:aws:iam::<12-digit account>:role/<name>`.
pub fn iam_role_arn(arn: &str) -> Result<(), String> {
    let parts: Vec<&str> = arn.split(':').collect();
    if matches!(parts.as_slice(), ["arn", partition, "iam", "", account, resource]
        if partition.starts_with("aws") && is_aws_account(account) && resource.strip_prefix("role/").is_some_and(|n| !n.is_empty()))
    {
        return Ok(());
    }
    Err(format!("must be an IAM role ARN such as arn:aws:iam::123456789012:role/ory-event-streamer; got {arn:?}."))
}

/// JSON equality where numbers compare by value (`1` and `1.0` are equal).
pub fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value as Json;
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Json::Array(x), Json::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b)),
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_go_style() {
        assert_eq!(parse_duration("90s"), Some(90));
        assert_eq!(parse_duration("1h30m"), Some(5400));
        assert_eq!(parse_duration("1h"), Some(3600));
        for bad in ["", "1", "1d", "0s", "h", "-5m", "87601h", "99999999999999999999h", "9223372036854775807s"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
        assert_eq!(parse_duration("87600h"), Some(MAX_DURATION_SECONDS));
        assert!(time("9999-12-31T23:59:59Z").is_ok());
        assert_eq!(canonical_time("2030-01-01t01:00:00+01:00"), "2030-01-01T00:00:00Z");
        assert_eq!(canonical_time("2030-01-01 00:00:00.5z"), "2030-01-01T00:00:00.500Z");
        assert!(time("9999-12-31T23:59:59-01:00").unwrap_err().contains("before the year 10000"));
    }

    #[test]
    fn names_and_urls_are_refused_with_spaces_at_their_ends_never_trimmed() {
        assert!(name("Ünïcode 名前 ✓").is_ok());
        assert!(name(&"x".repeat(10_000)).is_ok());
        for bad in ["", "  ", " lead", "trail ", "line\nbreak", "tab\there", "esc\u{1b}[31m"] {
            assert!(name(bad).is_err(), "{bad:?}");
        }
        for check in [https_url, http_url, cors_origin] {
            assert!(check(" https://example.com").is_err());
            assert!(check("https://example.com\n").is_err());
            assert!(check("https://example.com").is_ok());
        }
        assert!(!https_url(" https://u:hunter2@example.com").unwrap_err().contains("hunter2"));
    }

    #[test]
    fn a_leap_second_is_refused_and_times_are_sent_canonical() {
        assert!(time("2030-06-30T23:59:60Z").unwrap_err().contains("leap second"));
        assert_eq!(canonical_time("2030-06-30 23:59:59Z"), "2030-06-30T23:59:59Z");
    }

    #[test]
    fn uuids_are_accepted_in_canonical_form_only() {
        assert!(is_uuid("3fa85f64-5717-4562-b3fc-2c963f66afa6"));
        for other in [
            "3FA85F64-5717-4562-B3FC-2C963F66AFA6",
            "urn:uuid:3fa85f64-5717-4562-b3fc-2c963f66afa6",
            "{3fa85f64-5717-4562-b3fc-2c963f66afa6}",
            "3fa85f6457174562b3fc2c963f66afa6",
        ] {
            assert!(!is_uuid(other), "{other}");
        }
    }

    #[test]
    fn origins_and_json_are_checked() {
        for good in ["*", "https://example.com", "http://localhost:3000", "https://*.example.com"] {
            assert!(cors_origin(good).is_ok(), "{good}");
        }
        for bad in ["example.com", "https://example.com/path", "ftp://x", ""] {
            assert!(cors_origin(bad).is_err(), "{bad}");
        }
        assert!(json_object(r#"{"a": 1}"#).is_ok());
        assert!(json_object("[1]").is_err());
        let deep = |n: usize| format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n));
        assert!(json_object(&deep(MAX_JSON_DEPTH)).is_ok());
        for too_deep in [MAX_JSON_DEPTH + 1, 124, 200] {
            assert!(json_object(&deep(too_deep)).unwrap_err().contains("levels deep"), "{too_deep}");
        }
        assert!(same_json(r#"{"a": 1, "b": [1.0]}"#, r#"{"b":[1],"a":1}"#));
    }

    #[test]
    fn domains_and_lifespans_are_ory_s() {
        assert!(domain("sso.example.com").is_ok() && domain("Example.com").is_err() && domain("localhost").is_err());
        assert!(session_lifespan("24h").is_ok() && session_lifespan("1m").is_ok() && session_lifespan("60s").is_ok());
        for bad in ["59s", "8761h", "1d", "1h30m", "h", ""] {
            assert!(session_lifespan(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names_that_read_other_than_they_are_are_refused() {
        for bad in
            ["\u{200B}", "\u{200B}\u{200C}\u{FEFF}", "\u{2060}", "a\u{202E}b", "ab\u{2066}c", "a\u{2028}b", "a\u{2029}"]
        {
            assert!(name(bad).is_err(), "{bad:?}");
        }
        assert!(name("👩\u{200D}💻 team").is_ok(), "a joiner inside an emoji is fine");
    }

    #[test]
    fn a_project_api_url_holds_one_slug_placeholder_of_either_spelling() {
        for fine in [
            "https://{slug}.projects.oryapis.com",
            "https://%s.projects.oryapis.com",
            "http://127.0.0.1:4000/project-api/%s",
        ] {
            assert_eq!(project_api_url(fine), Ok(()), "{fine}");
        }
        for bad in ["https://projects.oryapis.com", "https://%s.{slug}.example.com", "https://%s.%s.example.com"] {
            assert!(project_api_url(bad).unwrap_err().contains("{slug} (or %s) once"), "{bad}");
        }
        assert_eq!(
            crate::project_api::url_for("https://%s.projects.oryapis.com", "vibrant-moore"),
            "https://vibrant-moore.projects.oryapis.com"
        );
    }

    #[test]
    fn urls_with_credentials_are_never_echoed_even_when_they_do_not_parse() {
        for bad in [
            "https://ci:PW@api.console.ory.sh:99999",
            "https://ci:PW@api console.ory.sh",
            "https://ci:PW@[::1",
            "ci:PW@api.console.ory.sh",
            "https://ci:PW@host/",
        ] {
            let problem = console_url(bad).unwrap_err();
            assert!(!problem.contains("PW"), "{bad}: {problem}");
        }
        for bad in [
            "https://u:PW@exa mple.com",
            "https://u:PW@[::1",
            "https://user:PW@hooks.example.com/x",
            "https://PW@hooks.example.com",
        ] {
            assert!(!web_hook_url(bad).unwrap_err().contains("PW"), "{bad}");
            assert!(!cors_origin(bad).unwrap_err().contains("PW"), "{bad}");
        }
        for bad in ["https:///x", "https:\\\\x", "https://\\x", "https:////api.console.ory.sh"] {
            assert!(console_url(bad).is_err(), "{bad}");
            assert!(http_url(bad).is_err(), "{bad}");
            assert!(https_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn origins_domains_lifespans_and_header_names_are_what_they_claim() {
        for bad in [
            "https://u:p@example.com",
            "https://u@example.com",
            "https://a*b.example.com",
            "https://x.*.com",
            "https://*.*.com",
            "https://*",
        ] {
            assert!(cors_origin(bad).is_err(), "{bad}");
        }
        for bad in ["1.2", "10.0.0.1", &format!("{}.com", vec!["a".repeat(60); 5].join("."))] {
            assert!(domain(bad).is_err(), "{bad}");
        }
        assert!(domain("a1.example.c0m").is_ok());
        for bad in ["+60m", "-1h", " 60m", "6_0m"] {
            assert!(session_lifespan(bad).is_err(), "{bad}");
        }
        assert!(header_name("X-Api-Key").is_ok());
        for bad in ["X-Key\r\nX-Other: 1", "a b", "", "a:b", "é"] {
            assert!(header_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn arns_are_checked_by_part() {
        assert!(sns_topic_arn("arn:aws:sns:us-east-1:123456789012:ory").is_ok());
        assert!(sns_topic_arn("arn:aws:sqs:us-east-1:123456789012:ory").is_err());
        assert!(iam_role_arn("arn:aws:iam::123456789012:role/ory").is_ok());
        assert!(iam_role_arn("arn:aws:iam::123456789012:user/ory").is_err());
    }
}
