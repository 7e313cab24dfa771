//! OPL's tokens.

/// A place in the source: lines and columns count from 1, columns in
/// characters. UNVERIFIED whether Ory counts from 0 or 1.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, PartialEq)]
pub struct OplError {
    pub message: String,
    pub start: Position,
    pub end: Position,
}

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Kind {
    Ident(String),
    Str(String),
    Punct(&'static str),
    End,
}

#[derive(Clone, Debug)]
pub(super) struct Token {
    pub(super) kind: Kind,
    pub(super) start: Position,
    pub(super) end: Position,
}

impl Token {
    pub(super) fn shown(&self) -> String {
        match &self.kind {
            Kind::Ident(name) => format!("{name:?}"),
            Kind::Str(text) => format!("the string {text:?}"),
            Kind::Punct(p) => format!("{p:?}"),
            Kind::End => "the end of the document".into(),
        }
    }

    pub(super) fn error(&self, message: String) -> OplError {
        OplError { message, start: self.start, end: self.end }
    }
}

pub(super) const PUNCTS: [&str; 18] =
    ["=>", "||", "&&", "{", "}", "(", ")", "[", "]", "<", ">", ":", ";", ",", ".", "|", "=", "!"];

pub(super) fn lex(source: &str) -> Result<Vec<Token>, OplError> {
    let chars: Vec<char> = source.chars().collect();
    let mut tokens = Vec::new();
    let (mut i, mut here) = (0, Position { line: 1, column: 1 });
    let advance = |i: &mut usize, here: &mut Position| {
        if chars[*i] == '\n' {
            *here = Position { line: here.line + 1, column: 1 };
        } else {
            here.column += 1;
        }
        *i += 1;
    };
    while i < chars.len() {
        let c = chars[i];
        let start = here;
        if c.is_whitespace() {
            advance(&mut i, &mut here);
        } else if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                advance(&mut i, &mut here);
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            advance(&mut i, &mut here);
            advance(&mut i, &mut here);
            while !(chars.get(i) == Some(&'*') && chars.get(i + 1) == Some(&'/')) {
                if i >= chars.len() {
                    return Err(OplError { message: "unterminated comment".into(), start, end: here });
                }
                advance(&mut i, &mut here);
            }
            advance(&mut i, &mut here);
            advance(&mut i, &mut here);
        } else if c.is_alphabetic() || c == '_' || c == '$' {
            let mut name = String::new();
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$') {
                name.push(chars[i]);
                advance(&mut i, &mut here);
            }
            tokens.push(Token { kind: Kind::Ident(name), start, end: here });
        } else if c == '"' || c == '\'' {
            let mut text = String::new();
            advance(&mut i, &mut here);
            loop {
                match chars.get(i) {
                    None | Some('\n') => {
                        return Err(OplError { message: "unterminated string".into(), start, end: here })
                    }
                    Some(q) if *q == c => break,
                    Some(other) => text.push(*other),
                }
                advance(&mut i, &mut here);
            }
            advance(&mut i, &mut here);
            tokens.push(Token { kind: Kind::Str(text), start, end: here });
        } else if let Some(p) =
            PUNCTS.iter().find(|p| p.chars().enumerate().all(|(k, pc)| chars.get(i + k) == Some(&pc)))
        {
            for _ in 0..p.chars().count() {
                advance(&mut i, &mut here);
            }
            tokens.push(Token { kind: Kind::Punct(p), start, end: here });
        } else {
            advance(&mut i, &mut here);
            return Err(OplError { message: format!("unexpected character {c:?}"), start, end: here });
        }
    }
    tokens.push(Token { kind: Kind::End, start: here, end: here });
    Ok(tokens)
}
