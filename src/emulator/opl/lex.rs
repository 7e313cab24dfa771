//! OPL's tokens, read as Keto's lexer reads them: ASCII names, `'` or `"`
//! strings without escapes, `//` and `/* */` comments, and the first
//! character it does not know ending the reading with an error token.

use super::text::{quoted, rune};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Error,
    Eof,
    Identifier,
    StringLiteral,
    KeywordClass,
    KeywordImplements,
    KeywordThis,
    KeywordCtx,
    /// Operators and brackets: the token is its text.
    Punct,
}

/// A token: what it is, its text, where it starts and ends (byte offsets).
#[derive(Clone, Debug)]
pub(super) struct Item {
    pub(super) kind: Kind,
    pub(super) val: Vec<u8>,
    pub(super) start: usize,
    pub(super) end: usize,
}

impl Item {
    /// What comes once the lexer stopped: Keto's "broken state".
    pub(super) fn broken() -> Item {
        Item { kind: Kind::Error, val: b"broken state".to_vec(), start: 0, end: 0 }
    }

    /// A token's type as Keto names it in messages.
    pub(super) fn kind_name(&self) -> String {
        match self.kind {
            Kind::Error => "Error".into(),
            Kind::Eof => "EOF".into(),
            Kind::Identifier => "Identifier".into(),
            Kind::StringLiteral => "StringLiteral".into(),
            Kind::KeywordClass => "KeywordClass".into(),
            Kind::KeywordImplements => "KeywordImplements".into(),
            Kind::KeywordThis => "KeywordThis".into(),
            Kind::KeywordCtx => "KeywordCtx".into(),
            Kind::Punct => format!("\"{}\"", String::from_utf8_lossy(&self.val)),
        }
    }

    /// The token as Keto prints a whole token: names cut at 10 runes.
    pub(super) fn shown(&self) -> Vec<u8> {
        match self.kind {
            Kind::Error => [b"error: ".as_slice(), &self.val].concat(),
            Kind::Eof => b"EOF".to_vec(),
            Kind::Identifier | Kind::StringLiteral => {
                let cut: usize = super::text::runes(&self.val).take(10).map(|(_, w)| w).sum();
                let more = if self.val.len() > 10 { "..." } else { "" };
                [b"'".as_slice(), &self.val[..cut], more.as_bytes(), b"'"].concat()
            }
            _ => self.val.clone(),
        }
    }
}

const SPACES: &[u8] = b"\t\n\x0b\x0c\r ";
const PUNCTS: [&[u8]; 18] =
    [b"=>", b"||", b"&&", b":", b".", b"(", b")", b"[", b"]", b"{", b"}", b"<", b">", b"=", b",", b";", b"|", b"!"];

fn letter(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

/// Every token of `source` up to its end or its first error, comments
/// left out.
pub(super) fn lex(source: &[u8]) -> Vec<Item> {
    let mut items = Vec::new();
    let mut pos = 0;
    loop {
        while source.get(pos).is_some_and(|b| SPACES.contains(b)) {
            pos += 1;
        }
        let start = pos;
        let rest = &source[pos..];
        let item = |kind, end: usize| Item { kind, val: source[start..end].to_vec(), start, end };
        let error = |message: &str, start: usize, at: usize| Item {
            kind: Kind::Error,
            val: [b"at ".as_slice(), quoted(&source[at..]).as_bytes(), b": ", message.as_bytes()].concat(),
            start,
            end: at,
        };
        if rest.is_empty() {
            items.push(item(Kind::Eof, pos));
            return items;
        }
        if rest.starts_with(b"//") {
            pos += rest.iter().position(|b| *b == b'\n').unwrap_or(rest.len());
        } else if rest.starts_with(b"/*") {
            match rest[2..].windows(2).position(|w| w == b"*/") {
                Some(at) => pos += 2 + at + 2,
                None => {
                    items.push(error("unclosed comment", start, source.len()));
                    return items;
                }
            }
        } else if let Some(p) = PUNCTS.iter().find(|p| rest.starts_with(p)) {
            pos += p.len();
            items.push(item(Kind::Punct, pos));
        } else if rest[0] == b'\'' || rest[0] == b'"' {
            let quote = rest[0];
            let Some(length) = rest[1..].iter().position(|b| *b == quote) else {
                items.push(error("unclosed string literal", start + 1, source.len()));
                return items;
            };
            let (from, to) = (start + 1, start + 1 + length);
            items.push(Item { kind: Kind::StringLiteral, val: source[from..to].to_vec(), start: from, end: to });
            pos = to + 1;
        } else if letter(rest[0]) {
            pos += rest.iter().position(|b| !letter(*b) && !b.is_ascii_digit()).unwrap_or(rest.len());
            let kind = match &source[start..pos] {
                b"class" => Kind::KeywordClass,
                b"implements" => Kind::KeywordImplements,
                b"this" => Kind::KeywordThis,
                b"ctx" => Kind::KeywordCtx,
                _ => Kind::Identifier,
            };
            items.push(item(kind, pos));
        } else {
            let (c, _) = rune(rest);
            items.push(error(&format!("unexpected token {c}"), start, pos));
            return items;
        }
    }
}
