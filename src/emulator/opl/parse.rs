//! OPL's grammar: namespaces, relations, permissions.

use super::lex::OplError;
use super::lex::{Kind, Token, PUNCTS};

/// How deeply `!` and parentheses may nest in a permission. UNVERIFIED:
/// Keto's parser (Go, whose stacks grow) names no bound; permissions
/// nest a few levels. The parser recurses once per level, so a bound is
/// what keeps a 200 KB document of parentheses from ending the process.
pub const MAX_NESTING: usize = 100;

/// A name where it was written.
#[derive(Clone, Debug)]
pub(super) struct Name {
    pub(super) text: String,
    pub(super) token: Token,
}

#[derive(Default, Debug)]
pub(super) struct Namespace {
    pub(super) name: Option<Name>,
    pub(super) relations: Vec<(Name, Vec<Subject>)>,
    pub(super) permissions: Vec<Name>,
    /// Names a permission body uses: `this.related.r`, `this.permits.p`,
    /// and through `traverse`, members of the traversed relation's types.
    pub(super) uses: Vec<Use>,
}

#[derive(Clone, Debug)]
pub(super) struct Subject {
    pub(super) namespace: Name,
    pub(super) relation: Option<Name>,
}

#[derive(Debug)]
pub(super) enum Use {
    Relation(Name),
    Permission(Name),
    /// A member of whatever the relation `via` holds.
    Through {
        via: String,
        member: Name,
    },
}

pub(super) struct Parser {
    pub(super) tokens: Vec<Token>,
    pub(super) at: usize,
    /// How many `!` and `(` the expression being read is inside.
    pub(super) depth: usize,
}

pub(super) type Parsed<T> = Result<T, OplError>;

impl Parser {
    pub(super) fn peek(&self) -> &Token {
        &self.tokens[self.at]
    }

    pub(super) fn next(&mut self) -> Token {
        let token = self.tokens[self.at].clone();
        if token.kind != Kind::End {
            self.at += 1;
        }
        token
    }

    pub(super) fn is(&self, punct: &str) -> bool {
        self.peek().kind
            == Kind::Punct(match PUNCTS.iter().find(|p| **p == punct) {
                Some(p) => p,
                None => return false,
            })
    }

    pub(super) fn is_word(&self, word: &str) -> bool {
        matches!(&self.peek().kind, Kind::Ident(name) if name == word)
    }

    pub(super) fn eat(&mut self, punct: &str) -> bool {
        let found = self.is(punct);
        if found {
            self.next();
        }
        found
    }

    pub(super) fn punct(&mut self, punct: &str) -> Parsed<Token> {
        if self.is(punct) {
            return Ok(self.next());
        }
        let token = self.peek().clone();
        Err(token.error(format!("expected {punct:?}, got {}", token.shown())))
    }

    pub(super) fn word(&mut self, word: &str) -> Parsed<Token> {
        if self.is_word(word) {
            return Ok(self.next());
        }
        let token = self.peek().clone();
        Err(token.error(format!("expected {word:?}, got {}", token.shown())))
    }

    pub(super) fn name(&mut self, what: &str) -> Parsed<Name> {
        let token = self.next();
        match &token.kind {
            Kind::Ident(text) => Ok(Name { text: text.clone(), token: token.clone() }),
            _ => Err(token.error(format!("expected {what}, got {}", token.shown()))),
        }
    }

    pub(super) fn string(&mut self, what: &str) -> Parsed<Name> {
        let token = self.next();
        match &token.kind {
            Kind::Str(text) => Ok(Name { text: text.clone(), token: token.clone() }),
            _ => Err(token.error(format!("expected {what} as a string, got {}", token.shown()))),
        }
    }

    pub(super) fn file(&mut self) -> Parsed<Vec<Namespace>> {
        let mut namespaces = Vec::new();
        loop {
            if self.is_word("import") {
                self.import()?;
            } else if self.is_word("class") || self.is_word("export") {
                namespaces.push(self.class()?);
            } else if self.peek().kind == Kind::End {
                return Ok(namespaces);
            } else {
                let token = self.peek().clone();
                return Err(token.error(format!("expected \"import\" or \"class\", got {}", token.shown())));
            }
        }
    }

    pub(super) fn import(&mut self) -> Parsed<()> {
        self.word("import")?;
        self.punct("{")?;
        while !self.eat("}") {
            self.name("a name to import")?;
            if !self.is("}") {
                self.punct(",")?;
            }
        }
        self.word("from")?;
        self.string("the module to import from")?;
        self.eat(";");
        Ok(())
    }

    pub(super) fn class(&mut self) -> Parsed<Namespace> {
        if self.is_word("export") {
            self.next();
        }
        self.word("class")?;
        let mut namespace = Namespace { name: Some(self.name("the namespace's name")?), ..Namespace::default() };
        self.word("implements")?;
        self.word("Namespace")?;
        self.punct("{")?;
        while !self.eat("}") {
            if self.is_word("related") {
                self.next();
                self.punct(":")?;
                self.punct("{")?;
                while !self.eat("}") {
                    let relation = self.name("a relation's name")?;
                    self.punct(":")?;
                    let subjects = self.relation_type()?;
                    namespace.relations.push((relation, subjects));
                    let _ = self.eat(";") || self.eat(",");
                }
            } else if self.is_word("permits") {
                self.next();
                self.punct("=")?;
                self.punct("{")?;
                while !self.eat("}") {
                    self.permission(&mut namespace)?;
                    self.eat(",");
                }
            } else {
                let token = self.peek().clone();
                return Err(token.error(format!("expected \"related\", \"permits\" or \"}}\", got {}", token.shown())));
            }
            let _ = self.eat(";") || self.eat(",");
        }
        Ok(namespace)
    }

    /// `T[]`, `(A | B)[]` or `Array<A | B>`.
    pub(super) fn relation_type(&mut self) -> Parsed<Vec<Subject>> {
        if self.is_word("Array") {
            self.next();
            self.punct("<")?;
            let subjects = self.union()?;
            self.punct(">")?;
            return Ok(subjects);
        }
        let subjects = if self.eat("(") {
            let subjects = self.union()?;
            self.punct(")")?;
            subjects
        } else {
            vec![self.subject()?]
        };
        self.punct("[")?;
        self.punct("]")?;
        Ok(subjects)
    }

    pub(super) fn union(&mut self) -> Parsed<Vec<Subject>> {
        let mut subjects = vec![self.subject()?];
        while self.eat("|") {
            subjects.push(self.subject()?);
        }
        Ok(subjects)
    }

    pub(super) fn subject(&mut self) -> Parsed<Subject> {
        if self.is_word("SubjectSet") {
            self.next();
            self.punct("<")?;
            let namespace = self.name("a namespace")?;
            self.punct(",")?;
            let relation = self.string("a relation")?;
            self.punct(">")?;
            return Ok(Subject { namespace, relation: Some(relation) });
        }
        Ok(Subject { namespace: self.name("a namespace")?, relation: None })
    }

    /// `name: (ctx: Context): boolean => expression`
    pub(super) fn permission(&mut self, namespace: &mut Namespace) -> Parsed<()> {
        let name = self.name("a permission's name")?;
        self.punct(":")?;
        self.punct("(")?;
        let context = self.name("the context parameter")?;
        if self.eat(":") {
            self.word("Context")?;
        }
        self.punct(")")?;
        if self.eat(":") {
            self.word("boolean")?;
        }
        self.punct("=>")?;
        namespace.permissions.push(name);
        let mut scope = Scope { context: context.text, receivers: vec![("this".into(), None)] };
        self.expression(&mut scope, &mut namespace.uses)
    }

    pub(super) fn expression(&mut self, scope: &mut Scope, uses: &mut Vec<Use>) -> Parsed<()> {
        self.conjunction(scope, uses)?;
        while self.eat("||") {
            self.conjunction(scope, uses)?;
        }
        Ok(())
    }

    pub(super) fn conjunction(&mut self, scope: &mut Scope, uses: &mut Vec<Use>) -> Parsed<()> {
        self.unary(scope, uses)?;
        while self.eat("&&") {
            self.unary(scope, uses)?;
        }
        Ok(())
    }

    pub(super) fn unary(&mut self, scope: &mut Scope, uses: &mut Vec<Use>) -> Parsed<()> {
        if !self.is("!") && !self.is("(") {
            return self.access(scope, uses);
        }
        if self.depth == MAX_NESTING {
            return Err(self.peek().error(format!("the expression nests more than {MAX_NESTING} levels deep")));
        }
        self.depth += 1;
        let nested = if self.eat("!") {
            self.unary(scope, uses)
        } else {
            self.next();
            self.expression(scope, uses).and_then(|()| self.punct(")").map(drop))
        };
        self.depth -= 1;
        nested
    }

    /// `R.related.r.includes(ctx.subject)`, `R.related.r.traverse(...)` or
    /// `R.permits.p(ctx)`, where `R` is `this` or a `traverse` parameter.
    pub(super) fn access(&mut self, scope: &mut Scope, uses: &mut Vec<Use>) -> Parsed<()> {
        let receiver = self.name("\"this\"")?;
        let Some(via) = scope.receivers.iter().find(|(n, _)| *n == receiver.text).map(|(_, via)| via.clone()) else {
            return Err(receiver.token.error(format!(
                "{:?} is not defined here; expected \"this\"{}",
                receiver.text,
                scope.receivers.iter().skip(1).map(|(n, _)| format!(" or {n:?}")).collect::<String>()
            )));
        };
        self.punct(".")?;
        let used = |member: Name, own: fn(Name) -> Use| match &via {
            None => own(member),
            Some(via) => Use::Through { via: via.clone(), member },
        };
        if self.is_word("permits") {
            self.next();
            self.punct(".")?;
            let permission = self.name("a permission")?;
            self.punct("(")?;
            self.context(scope)?;
            self.punct(")")?;
            uses.push(used(permission, Use::Permission));
            return Ok(());
        }
        self.word("related")
            .map_err(|e| OplError { message: e.message.replace("\"related\"", "\"related\" or \"permits\""), ..e })?;
        self.punct(".")?;
        let relation = self.name("a relation")?;
        let relation_text = relation.text.clone();
        uses.push(used(relation, Use::Relation));
        self.punct(".")?;
        let method = self.name("\"includes\" or \"traverse\"")?;
        self.punct("(")?;
        match method.text.as_str() {
            "includes" => {
                self.context(scope)?;
                self.punct(".")?;
                self.word("subject")?;
            }
            "traverse" if via.is_none() => {
                let parenthesized = self.eat("(");
                let parameter = self.name("the traversal's parameter")?;
                if parenthesized {
                    self.punct(")")?;
                }
                self.punct("=>")?;
                scope.receivers.push((parameter.text, Some(relation_text)));
                let body = self.expression(scope, uses);
                scope.receivers.pop();
                body?;
            }
            "traverse" => return Err(method.token.error("a traversal cannot traverse again".into())),
            other => return Err(method.token.error(format!("expected \"includes\" or \"traverse\", got {other:?}"))),
        }
        self.punct(")")?;
        Ok(())
    }

    pub(super) fn context(&mut self, scope: &Scope) -> Parsed<()> {
        let name = self.name("the context")?;
        if name.text != scope.context {
            return Err(name.token.error(format!("expected the context {:?}, got {:?}", scope.context, name.text)));
        }
        Ok(())
    }
}

pub(super) struct Scope {
    pub(super) context: String,
    /// `this`, then `traverse` parameters with the relation they walk.
    pub(super) receivers: Vec<(String, Option<String>)>,
}
