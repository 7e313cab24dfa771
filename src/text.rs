//! Text from elsewhere (a server, a configuration) made safe for a
//! terminal: shared by the layers, which know nothing else of each other.

/// Characters that steer how text is shown rather than show themselves:
/// control characters (a line break, `ESC` of a terminal sequence), the
/// line and paragraph separators editors break lines at, and the marks,
/// embeddings, overrides and isolates that reorder what a reader sees.
pub fn is_steering(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{061c}' | '\u{200e}' | '\u{200f}')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every steering character ([`is_steering`]) written as its
/// escape (`\u{1b}`, `\r`, `\u{202e}`), except those in `kept`. Text past
/// `max` characters is cut, with a note of how much was cut.
pub fn printable(text: &str, max: usize, kept: &[char]) -> String {
    let mut out = String::with_capacity(text.len().min(max));
    for (count, c) in text.chars().enumerate() {
        if count == max {
            let rest = text.chars().count() - count;
            out.push_str(&format!("… ({rest} more characters cut)"));
            break;
        }
        if is_steering(c) && !kept.contains(&c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_unless_kept_and_long_text_is_cut() {
        assert_eq!(printable("red\x1b[31m\rgone\nnext", 100, &[]), "red\\u{1b}[31m\\rgone\\nnext");
        assert_eq!(printable("a\nb\tc\r", 100, &['\n', '\t']), "a\nb\tc\\r");
        assert_eq!(printable("a\u{202e}b", 100, &[]), "a\\u{202e}b");
        assert_eq!(printable("a\u{2028}b\u{85}c", 100, &[]), "a\\u{2028}b\\u{85}c");
        assert_eq!(printable("plain – ünïcode", 100, &[]), "plain – ünïcode");
        assert_eq!(printable("abcdef", 4, &[]), "abcd… (2 more characters cut)");
    }
}
