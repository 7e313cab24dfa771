//! Every secret this process has seen, so that none reaches a diagnostic
//! or a log line in clear, whoever wrote the text: a handler, a server
//! echoing a request (a reason quoting a password, a 401 quoting the
//! `Authorization` header), or a library's error.
//!
//! Process-wide, below every layer: the API clients learn the secrets only
//! their answers hold (a key's value, a client's secret), the plugin layer
//! those under Terraform's sensitive attributes (`plugin::secrets`), and the
//! plugin layer hides them all, in each encoding a server's text may carry
//! them in, from every diagnostic and log line it writes.

use std::collections::BTreeSet;
use std::sync::RwLock;

/// What a hidden value becomes.
pub const REDACTED: &str = "(sensitive value)";

/// Shorter values are not hidden: a two-letter secret would turn every
/// message into confetti, and is no secret worth the name.
const MIN_SECRET_CHARS: usize = 4;

/// The forms of every secret seen: a set to know them, and the same kept
/// longest first, the order redaction needs (a form may hold a shorter
/// one), so that no log line sorts them again.
struct Forms {
    known: BTreeSet<String>,
    longest_first: Vec<String>,
}

static FORMS: RwLock<Forms> = RwLock::new(Forms { known: BTreeSet::new(), longest_first: Vec::new() });

/// The ways a server's text may spell `secret`: as it is; JSON-escaped as
/// Rust and Go write it (Go escapes `<`, `>`, `&` and line separators, and
/// some servers `/`); with control characters escaped as this provider
/// shows server text; percent- and form-encoded; and in base64.
fn forms(secret: &str) -> Vec<String> {
    use base64::Engine;
    use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
    const COMPONENT: &percent_encoding::AsciiSet =
        &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
    let json = serde_json::to_string(secret).unwrap_or_default();
    let json = json[1..json.len().saturating_sub(1).max(1)].to_string();
    let go = json
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029");
    let mut all = vec![
        secret.to_string(),
        json.replace('/', "\\/"),
        go.replace('/', "\\/"),
        json,
        go,
        crate::text::printable(secret, usize::MAX, &[]),
        crate::text::printable(secret, usize::MAX, &['\n', '\t']),
        utf8_percent_encode(secret, NON_ALPHANUMERIC).to_string(),
        utf8_percent_encode(secret, COMPONENT).to_string(),
        utf8_percent_encode(secret, COMPONENT).to_string().replace("%20", "+"),
        base64::engine::general_purpose::STANDARD.encode(secret),
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret),
    ];
    all.retain(|form| form.chars().count() >= MIN_SECRET_CHARS);
    all
}

/// Remembers `secret`, to be hidden from now on.
pub fn learn(secret: &str) {
    if secret.chars().count() < MIN_SECRET_CHARS {
        return;
    }
    let known = FORMS.read().map(|f| f.known.contains(secret)).unwrap_or(false);
    if known {
        return;
    }
    let mut all = FORMS.write().unwrap_or_else(|p| p.into_inner());
    for form in forms(secret) {
        if all.known.insert(form.clone()) {
            let at = all.longest_first.partition_point(|kept| kept.len() >= form.len());
            all.longest_first.insert(at, form);
        }
    }
    drop(all);
    // A URL's credentials are secret on their own too: a server may echo
    // only the password.
    if let Ok(url) = reqwest::Url::parse(secret) {
        if let Some(password) = url.password() {
            let decoded = percent_encoding::percent_decode_str(password).decode_utf8_lossy().to_string();
            learn(&decoded);
            learn(password);
        }
    }
}

/// `text` with every form of every secret seen hidden.
pub fn redact(text: &str) -> String {
    let all = FORMS.read().unwrap_or_else(|p| p.into_inner());
    all.longest_first.iter().fold(text.to_string(), |text, form| {
        if text.contains(form.as_str()) {
            text.replace(form.as_str(), REDACTED)
        } else {
            text
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_is_hidden_in_every_encoding_a_server_may_echo_it_in() {
        let secret = "p\"a\\s<s>&w/o\trd é";
        learn(secret);
        let json = serde_json::to_string(secret).unwrap();
        let echoed = [
            secret.to_string(),
            json.clone(),
            json.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026"),
            json.replace('/', "\\/"),
            crate::text::printable(secret, 1000, &[]),
            percent_encoding::utf8_percent_encode(secret, percent_encoding::NON_ALPHANUMERIC).to_string(),
        ];
        for text in echoed {
            let shown = redact(&format!("Unable to validate: {text} is invalid"));
            assert!(shown.contains(REDACTED), "{text}: {shown}");
            for fragment in ["p\\\"a", "s<s>", "w/o", "o\\trd", "%3Cs%3E", "\\u003cs"] {
                assert!(!shown.contains(fragment), "{fragment} of {text} left in {shown}");
            }
        }
        learn("ab");
        assert_eq!(redact("a cab ride"), "a cab ride", "too short to hide");
    }
}
