//! URLs and hosts: the APIs', web hooks', redirect URIs, CORS origins
//! and custom domains.

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
