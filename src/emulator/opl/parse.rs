//! OPL's grammar, read as Keto's parser reads it: anything outside a
//! `class` is passed over; the first syntax error ends the reading; names
//! are checked after, and only when the syntax is sound.

use super::ast::{Child, Namespace, Operator, Relation, RelationType, Rewrite};
use super::checks::{Check, Mistake};
use super::lex::{Item, Kind};
use super::text::quoted;

/// How deeply `(` and `!` may nest in one permission: Keto's
/// `expressionNestingMaxDepth`.
pub const MAX_NESTING: usize = 10;

pub(super) struct Parser {
    items: Vec<Item>,
    at: usize,
    pub(super) namespaces: Vec<Namespace>,
    namespace: Namespace,
    pub(super) mistakes: Vec<Mistake>,
    fatal: bool,
    pub(super) checks: Vec<Check>,
}

/// A token no step has read: what a name not reached holds.
fn unread() -> Item {
    Item { kind: Kind::Error, val: Vec::new(), start: 0, end: 0 }
}

fn is_punct(item: &Item, punct: &str) -> bool {
    item.kind == Kind::Punct && item.val == punct.as_bytes()
}

fn text(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

impl Parser {
    pub(super) fn new(items: Vec<Item>) -> Parser {
        Parser {
            items,
            at: 0,
            namespaces: Vec::new(),
            namespace: Namespace::default(),
            mistakes: Vec::new(),
            fatal: false,
            checks: Vec::new(),
        }
    }

    fn peek(&self) -> Item {
        self.items.get(self.at).cloned().unwrap_or_else(Item::broken)
    }

    fn next(&mut self) -> Item {
        let item = self.peek();
        self.at += 1;
        item
    }

    pub(super) fn mistake(&mut self, item: Item, message: Vec<u8>) {
        self.mistakes.push(Mistake { message, item });
    }

    fn fatal(&mut self, item: Item, message: Vec<u8>) {
        self.mistake(item, message);
        self.fatal = true;
    }

    /// The next token, which must be `token`.
    fn token(&mut self, token: impl AsRef<[u8]>) -> bool {
        let token = token.as_ref();
        if self.fatal {
            return false;
        }
        let item = self.next();
        if item.val != token {
            let message = format!("expected {}, got {}", quoted(token), quoted(&item.val));
            self.fatal(item, message.into_bytes());
            return false;
        }
        true
    }

    fn tokens(&mut self, tokens: &[&str]) -> bool {
        tokens.iter().all(|t| self.token(t))
    }

    /// `tokens` if the next token is their first.
    fn optional(&mut self, tokens: &[&str]) -> bool {
        if self.fatal {
            return false;
        }
        if self.peek().val == tokens[0].as_bytes() {
            self.next();
            return self.tokens(&tokens[1..]);
        }
        true
    }

    /// The next token, whatever it is.
    fn any(&mut self, into: &mut Item) -> bool {
        if !self.fatal {
            *into = self.next();
        }
        !self.fatal
    }

    /// The next token, which must be a name or a string.
    fn name(&mut self, into: &mut Vec<u8>) -> bool {
        if self.fatal {
            return false;
        }
        let item = self.next();
        if item.kind != Kind::Identifier && item.kind != Kind::StringLiteral {
            let message = format!("expected identifier, got {}", item.kind_name());
            self.fatal(item, message.into_bytes());
            return false;
        }
        *into = item.val;
        true
    }

    pub(super) fn file(&mut self) {
        while !self.fatal {
            let item = self.next();
            match item.kind {
                Kind::Eof => break,
                Kind::Error => {
                    let message = text(&[b"fatal: ", &item.val]);
                    self.fatal(item, message);
                }
                Kind::KeywordClass => self.class(),
                _ => {}
            }
        }
    }

    fn class(&mut self) {
        let mut name = Vec::new();
        let _ = self.name(&mut name) && self.tokens(&["implements", "Namespace", "{"]);
        self.namespace = Namespace { name, relations: Vec::new() };
        while !self.fatal {
            let item = self.next();
            if is_punct(&item, "}") {
                self.namespaces.push(std::mem::take(&mut self.namespace));
                return;
            } else if item.val == b"related" {
                self.related();
            } else if item.val == b"permits" {
                self.permits();
            } else if !is_punct(&item, ";") {
                let message = text(&[b"expected 'permits' or 'related', got ", quoted(&item.val).as_bytes()]);
                return self.fatal(item, message);
            }
        }
    }

    fn unexpected_member(&mut self, item: Item) {
        let message = format!("expected identifier or '}}', got {} {}", item.kind_name(), quoted(&item.val));
        self.fatal(item, message.into_bytes());
    }

    fn related(&mut self) {
        self.tokens(&[":", "{"]);
        while !self.fatal {
            let item = self.next();
            match item.kind {
                Kind::Punct if item.val == b";" => continue,
                Kind::Punct if item.val == b"}" => return,
                Kind::Identifier | Kind::StringLiteral => {
                    let name = item.val;
                    self.token(":");
                    let types = self.relation_types();
                    self.namespace.relations.push(Relation { name, types, rewrite: None });
                }
                _ => return self.unexpected_member(item),
            }
        }
    }

    /// `Array<...>`, `SubjectSet<...>[]`, `(...)[]` or `Namespace[]`.
    fn relation_types(&mut self) -> Vec<RelationType> {
        let item = self.next();
        if item.val == b"Array" {
            self.token("<");
            return self.union(">");
        }
        let types = if item.val == b"SubjectSet" {
            vec![self.subject_set()]
        } else if is_punct(&item, "(") {
            self.union(")")
        } else {
            self.checks.push(Check::NamespaceExists(item.clone()));
            vec![RelationType { namespace: item.val, relation: Vec::new() }]
        };
        let _ = self.tokens(&["[", "]"]) && self.optional(&[","]);
        types
    }

    /// `<Namespace, "relation">`.
    fn subject_set(&mut self) -> RelationType {
        let (mut namespace, mut relation) = (unread(), unread());
        let _ = self.token("<")
            && self.any(&mut namespace)
            && self.token(",")
            && self.any(&mut relation)
            && self.token(">");
        self.checks.push(Check::NamespaceHasRelation(namespace.clone(), relation.clone()));
        RelationType { namespace: namespace.val, relation: relation.val }
    }

    fn union(&mut self, end: &str) -> Vec<RelationType> {
        let mut types = Vec::new();
        while !self.fatal {
            let mut identifier = unread();
            self.any(&mut identifier);
            if identifier.val == b"SubjectSet" {
                types.push(self.subject_set());
            } else {
                self.checks.push(Check::NamespaceExists(identifier.clone()));
                types.push(RelationType { namespace: identifier.val, relation: Vec::new() });
            }
            let item = self.next();
            if is_punct(&item, end) {
                break;
            } else if !is_punct(&item, "|") {
                let message = text(&[b"expected '|', got ", quoted(&item.val).as_bytes()]);
                self.fatal(item, message);
            }
        }
        types
    }

    fn permits(&mut self) {
        self.tokens(&["=", "{"]);
        while !self.fatal {
            let item = self.next();
            match item.kind {
                Kind::Punct if item.val == b"}" => return,
                Kind::Identifier | Kind::StringLiteral => {
                    let _ = self.tokens(&[":", "(", "ctx"])
                        && self.optional(&[":", "Context"])
                        && self.token(")")
                        && self.optional(&[":", "boolean"])
                        && self.token("=>");
                    let Some(rewrite) = self.expressions(",", MAX_NESTING) else { return };
                    let rewrite = Some(rewrite.simplified());
                    self.namespace.relations.push(Relation { name: item.val, types: Vec::new(), rewrite });
                }
                _ => return self.unexpected_member(item),
            }
        }
    }

    fn too_deep(&mut self) {
        let message = format!("expression nested too deeply; maximal nesting depth is {MAX_NESTING}");
        let item = self.peek();
        self.fatal(item, message.into_bytes());
    }

    /// Expressions joined by `&&` and `||`, left to right with no
    /// precedence, up to `end` (or a `}`, left unread). `None` ends the
    /// permission, whether or not a mistake was noted.
    fn expressions(&mut self, end: &str, depth: usize) -> Option<Rewrite> {
        if depth == 0 {
            self.too_deep();
            return None;
        }
        let mut root: Option<Rewrite> = None;
        let mut expecting = true;
        let add = |root: Option<Rewrite>, child: Child| match root {
            None => child.into_rewrite(),
            Some(mut root) => {
                root.children.push(child);
                root
            }
        };
        while !self.fatal {
            let item = self.peek();
            if is_punct(&item, "(") {
                self.next();
                let child = self.expressions(")", depth - 1)?;
                root = Some(add(root, Child::Rewrite(child)));
                expecting = false;
            } else if is_punct(&item, end) {
                self.next();
                return root;
            } else if is_punct(&item, "}") {
                return root;
            } else if is_punct(&item, "&&") || is_punct(&item, "||") {
                self.next();
                let operator = if item.val == b"&&" { Operator::And } else { Operator::Or };
                root = Some(Rewrite { operator, children: vec![Child::Rewrite(root?)] });
                expecting = true;
            } else if is_punct(&item, "!") {
                self.next();
                let child = self.not(depth - 1)?;
                root = Some(add(root, child));
                expecting = false;
            } else if !expecting {
                self.fatal(item, b"did not expect another expression".to_vec());
                return None;
            } else {
                let child = self.expression()?;
                root = Some(add(root, child));
            }
        }
        None
    }

    fn not(&mut self, depth: usize) -> Option<Child> {
        if depth == 0 {
            self.too_deep();
            return None;
        }
        let child = if is_punct(&self.peek(), "(") {
            self.next();
            // Keto keeps a `!` of an empty or broken group (its nil is
            // typed there) and reads on unless the group was a mistake.
            Child::Rewrite(self.expressions(")", depth - 1).unwrap_or_default())
        } else {
            self.expression()?
        };
        Some(Child::Invert(Box::new(child)))
    }
}

mod access;
