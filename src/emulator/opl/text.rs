//! Text as Keto's Go code sees it, so that positions and messages agree
//! byte for byte: a document is bytes, read a rune at a time, an invalid
//! byte being one U+FFFD of width 1; names are shown quoted as Go's `%q`
//! shows them.

use unicode_general_category::{get_general_category, GeneralCategory as G};

/// The rune at the start of `bytes` and its width (0 at the end).
pub fn rune(bytes: &[u8]) -> (char, usize) {
    let Some(&first) = bytes.first() else { return (char::REPLACEMENT_CHARACTER, 0) };
    let width = match first {
        0x00..=0x7f => return (first as char, 1),
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return (char::REPLACEMENT_CHARACTER, 1),
    };
    match bytes.get(..width).and_then(|b| std::str::from_utf8(b).ok()) {
        Some(text) => (text.chars().next().expect("one rune"), width),
        None => (char::REPLACEMENT_CHARACTER, 1),
    }
}

/// Each rune of `bytes` with its width.
pub fn runes(mut bytes: &[u8]) -> impl Iterator<Item = (char, usize)> + '_ {
    std::iter::from_fn(move || {
        let (c, width) = rune(bytes);
        bytes = &bytes[width..];
        (width > 0).then_some((c, width))
    })
}

/// Where byte `offset` is, as line and column, counted the way Keto counts
/// them: lines from 1; a column is the rune's index on its line counted
/// from 0, except that the line's first rune is shown as column 1 on line 1
/// and as one past the previous line's end on every other line.
pub fn position(source: &[u8], offset: usize) -> (usize, usize) {
    let (mut line, mut column) = (1, 0);
    let mut left = offset as isize;
    for (c, _) in runes(source) {
        column += 1;
        left -= 1;
        if left <= 0 {
            break;
        }
        if c == '\n' {
            line += 1;
            column = 0;
        }
    }
    (line, column)
}

/// `bytes` quoted with Go's `%q`.
pub fn quoted(bytes: &[u8]) -> String {
    let mut out = String::from("\"");
    let mut rest = bytes;
    while !rest.is_empty() {
        let (c, width) = rune(rest);
        if c == char::REPLACEMENT_CHARACTER && width == 1 {
            out.push_str(&format!("\\x{:02x}", rest[0]));
        } else {
            escaped(c, &mut out);
        }
        rest = &rest[width..];
    }
    out.push('"');
    out
}

fn escaped(c: char, out: &mut String) {
    match c {
        '"' | '\\' => {
            out.push('\\');
            out.push(c);
        }
        _ if printable(c) => out.push(c),
        '\u{7}' => out.push_str("\\a"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{b}' => out.push_str("\\v"),
        _ if c < ' ' || c == '\u{7f}' => out.push_str(&format!("\\x{:02x}", c as u32)),
        _ if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
        _ => out.push_str(&format!("\\U{:08x}", c as u32)),
    }
}

/// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols
/// and the ASCII space.
fn printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    !matches!(
        get_general_category(c),
        G::SpaceSeparator
            | G::LineSeparator
            | G::ParagraphSeparator
            | G::Control
            | G::Format
            | G::Surrogate
            | G::PrivateUse
            | G::Unassigned
    )
}

/// `bytes` as text, each invalid byte one U+FFFD (as Go's JSON shows it).
pub fn lossy(bytes: &[u8]) -> String {
    runes(bytes).map(|(c, _)| c).collect()
}
