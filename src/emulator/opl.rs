//! `validateOpl` (API 1.22.87): an Ory Permission Language document
//! checked as Ory Keto reads one, with each mistake's line and column.
//!
//! OPL is a small subset of TypeScript. This parser takes the forms Ory's
//! documentation uses: `import { ... } from "..."`, `class X implements
//! Namespace { related: {...} permits = {...} }`, relation types `T[]`,
//! `(A | SubjectSet<B, "rel">)[]` and `Array<...>`, and permissions
//! `name: (ctx: Context): boolean => ...` built from `||`, `&&`, `!`,
//! parentheses, `this.related.r.includes(ctx.subject)`,
//! `this.related.r.traverse((x) => ...)` and `this.permits.p(ctx)`. Then it
//! checks names: every namespace, relation and permission used is declared,
//! none is declared twice. See docs/emulator.md for what it does not check.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};

use super::{ApiError, Method, Routes, Shared};

pub fn routes() -> Routes {
    Routes::new().op(Method::POST, "/projects/{project_id}/opl/validate", "validateOpl", validate)
}

/// The path whose body is `text/plain`, not JSON.
pub fn takes_text(path: &str) -> bool {
    path.strip_prefix("/projects/")
        .is_some_and(|rest| rest.ends_with("/opl/validate") && rest.matches('/').count() == 2)
}

async fn validate(
    State(shared): State<Arc<Shared>>,
    Path(project): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    shared.read(|store| {
        let live =
            uuid::Uuid::parse_str(&project).ok().and_then(|id| store.projects.get(&id)).is_some_and(|p| p.is_live());
        if live {
            Ok(())
        } else {
            Err(ApiError::not_found("No project with that ID exists."))
        }
    })?;
    let source =
        std::str::from_utf8(&body).map_err(|_| ApiError::bad_request("The OPL document is not UTF-8 text."))?;
    let errors: Vec<Value> = check(source)
        .into_iter()
        .map(|e| {
            json!({
                "message": e.message,
                "start": {"line": e.start.line, "column": e.start.column},
                "end": {"line": e.end.line, "column": e.end.column},
            })
        })
        .collect();
    Ok(Json(json!({ "errors": errors })))
}

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

/// Every mistake found: the first syntax error, or else every name error.
pub fn check(source: &str) -> Vec<OplError> {
    match parse(source) {
        Ok(namespaces) => names(&namespaces),
        Err(e) => vec![e],
    }
}

/// The namespaces a valid document declares, in order; its mistakes when
/// it is not valid.
pub fn declared(source: &str) -> Result<Vec<String>, Vec<OplError>> {
    let namespaces = parse(source).map_err(|e| vec![e])?;
    let errors = names(&namespaces);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(namespaces.into_iter().filter_map(|n| n.name.map(|name| name.text)).collect())
}

fn parse(source: &str) -> Result<Vec<Namespace>, OplError> {
    Parser { tokens: lex(source)?, at: 0, depth: 0 }.file()
}

/// How deeply `!` and parentheses may nest in a permission. UNVERIFIED:
/// Keto's parser (Go, whose stacks grow) names no bound; permissions
/// nest a few levels. The parser recurses once per level, so a bound is
/// what keeps a 200 KB document of parentheses from ending the process.
pub const MAX_NESTING: usize = 100;

#[derive(Clone, Debug, PartialEq)]
enum Kind {
    Ident(String),
    Str(String),
    Punct(&'static str),
    End,
}

#[derive(Clone, Debug)]
struct Token {
    kind: Kind,
    start: Position,
    end: Position,
}

impl Token {
    fn shown(&self) -> String {
        match &self.kind {
            Kind::Ident(name) => format!("{name:?}"),
            Kind::Str(text) => format!("the string {text:?}"),
            Kind::Punct(p) => format!("{p:?}"),
            Kind::End => "the end of the document".into(),
        }
    }

    fn error(&self, message: String) -> OplError {
        OplError { message, start: self.start, end: self.end }
    }
}

const PUNCTS: [&str; 18] =
    ["=>", "||", "&&", "{", "}", "(", ")", "[", "]", "<", ">", ":", ";", ",", ".", "|", "=", "!"];

fn lex(source: &str) -> Result<Vec<Token>, OplError> {
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

/// A name where it was written.
#[derive(Clone, Debug)]
struct Name {
    text: String,
    token: Token,
}

#[derive(Default, Debug)]
struct Namespace {
    name: Option<Name>,
    relations: Vec<(Name, Vec<Subject>)>,
    permissions: Vec<Name>,
    /// Names a permission body uses: `this.related.r`, `this.permits.p`,
    /// and through `traverse`, members of the traversed relation's types.
    uses: Vec<Use>,
}

#[derive(Clone, Debug)]
struct Subject {
    namespace: Name,
    relation: Option<Name>,
}

#[derive(Debug)]
enum Use {
    Relation(Name),
    Permission(Name),
    /// A member of whatever the relation `via` holds.
    Through {
        via: String,
        member: Name,
    },
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    /// How many `!` and `(` the expression being read is inside.
    depth: usize,
}

type Parsed<T> = Result<T, OplError>;

impl Parser {
    fn peek(&self) -> &Token {
        &self.tokens[self.at]
    }

    fn next(&mut self) -> Token {
        let token = self.tokens[self.at].clone();
        if token.kind != Kind::End {
            self.at += 1;
        }
        token
    }

    fn is(&self, punct: &str) -> bool {
        self.peek().kind
            == Kind::Punct(match PUNCTS.iter().find(|p| **p == punct) {
                Some(p) => p,
                None => return false,
            })
    }

    fn is_word(&self, word: &str) -> bool {
        matches!(&self.peek().kind, Kind::Ident(name) if name == word)
    }

    fn eat(&mut self, punct: &str) -> bool {
        let found = self.is(punct);
        if found {
            self.next();
        }
        found
    }

    fn punct(&mut self, punct: &str) -> Parsed<Token> {
        if self.is(punct) {
            return Ok(self.next());
        }
        let token = self.peek().clone();
        Err(token.error(format!("expected {punct:?}, got {}", token.shown())))
    }

    fn word(&mut self, word: &str) -> Parsed<Token> {
        if self.is_word(word) {
            return Ok(self.next());
        }
        let token = self.peek().clone();
        Err(token.error(format!("expected {word:?}, got {}", token.shown())))
    }

    fn name(&mut self, what: &str) -> Parsed<Name> {
        let token = self.next();
        match &token.kind {
            Kind::Ident(text) => Ok(Name { text: text.clone(), token: token.clone() }),
            _ => Err(token.error(format!("expected {what}, got {}", token.shown()))),
        }
    }

    fn string(&mut self, what: &str) -> Parsed<Name> {
        let token = self.next();
        match &token.kind {
            Kind::Str(text) => Ok(Name { text: text.clone(), token: token.clone() }),
            _ => Err(token.error(format!("expected {what} as a string, got {}", token.shown()))),
        }
    }

    fn file(&mut self) -> Parsed<Vec<Namespace>> {
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

    fn import(&mut self) -> Parsed<()> {
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

    fn class(&mut self) -> Parsed<Namespace> {
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
    fn relation_type(&mut self) -> Parsed<Vec<Subject>> {
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

    fn union(&mut self) -> Parsed<Vec<Subject>> {
        let mut subjects = vec![self.subject()?];
        while self.eat("|") {
            subjects.push(self.subject()?);
        }
        Ok(subjects)
    }

    fn subject(&mut self) -> Parsed<Subject> {
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
    fn permission(&mut self, namespace: &mut Namespace) -> Parsed<()> {
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

    fn expression(&mut self, scope: &mut Scope, uses: &mut Vec<Use>) -> Parsed<()> {
        self.conjunction(scope, uses)?;
        while self.eat("||") {
            self.conjunction(scope, uses)?;
        }
        Ok(())
    }

    fn conjunction(&mut self, scope: &mut Scope, uses: &mut Vec<Use>) -> Parsed<()> {
        self.unary(scope, uses)?;
        while self.eat("&&") {
            self.unary(scope, uses)?;
        }
        Ok(())
    }

    fn unary(&mut self, scope: &mut Scope, uses: &mut Vec<Use>) -> Parsed<()> {
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
    fn access(&mut self, scope: &mut Scope, uses: &mut Vec<Use>) -> Parsed<()> {
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

    fn context(&mut self, scope: &Scope) -> Parsed<()> {
        let name = self.name("the context")?;
        if name.text != scope.context {
            return Err(name.token.error(format!("expected the context {:?}, got {:?}", scope.context, name.text)));
        }
        Ok(())
    }
}

struct Scope {
    context: String,
    /// `this`, then `traverse` parameters with the relation they walk.
    receivers: Vec<(String, Option<String>)>,
}

/// Every name used that is not declared, and every name declared twice.
fn names(namespaces: &[Namespace]) -> Vec<OplError> {
    let mut errors = Vec::new();
    let mut declared: BTreeMap<&str, &Namespace> = BTreeMap::new();
    for namespace in namespaces {
        let name = namespace.name.as_ref().expect("parsed");
        if declared.insert(&name.text, namespace).is_some() {
            errors.push(name.token.error(format!("namespace {:?} is declared twice", name.text)));
        }
    }
    let relations = |ns: &Namespace| ns.relations.iter().map(|(n, _)| n.text.clone()).collect::<BTreeSet<_>>();
    let permissions = |ns: &Namespace| ns.permissions.iter().map(|n| n.text.clone()).collect::<BTreeSet<_>>();
    for namespace in namespaces {
        let mut members = BTreeSet::new();
        let names = namespace.relations.iter().map(|(n, _)| n).chain(&namespace.permissions);
        for name in names {
            if !members.insert(&name.text) {
                errors.push(name.token.error(format!("{:?} is declared twice in this namespace", name.text)));
            }
        }
        for (_, subjects) in &namespace.relations {
            for subject in subjects {
                match declared.get(subject.namespace.text.as_str()) {
                    None => errors.push(
                        subject
                            .namespace
                            .token
                            .error(format!("namespace {:?} is not declared", subject.namespace.text)),
                    ),
                    Some(target) => {
                        if let Some(relation) = &subject.relation {
                            if !relations(target).contains(&relation.text) {
                                errors.push(relation.token.error(format!(
                                    "namespace {:?} has no relation {:?}",
                                    subject.namespace.text, relation.text
                                )));
                            }
                        }
                    }
                }
            }
        }
        let own = namespace.name.as_ref().map(|n| n.text.as_str()).unwrap_or_default();
        for used in &namespace.uses {
            let missing = match used {
                Use::Relation(name) => (!relations(namespace).contains(&name.text))
                    .then(|| (name, format!("namespace {own:?} has no relation {:?}", name.text))),
                Use::Permission(name) => (!permissions(namespace).contains(&name.text))
                    .then(|| (name, format!("namespace {own:?} has no permission {:?}", name.text))),
                Use::Through { via, member } => {
                    let targets: Vec<&Namespace> = namespace
                        .relations
                        .iter()
                        .filter(|(n, _)| n.text == *via)
                        .flat_map(|(_, subjects)| subjects)
                        .filter_map(|s| declared.get(s.namespace.text.as_str()).copied())
                        .collect();
                    let found = targets
                        .iter()
                        .any(|t| relations(t).contains(&member.text) || permissions(t).contains(&member.text));
                    (!targets.is_empty() && !found).then(|| {
                        (member, format!("no namespace that relation {via:?} holds has a member {:?}", member.text))
                    })
                }
            };
            if let Some((name, message)) = missing {
                errors.push(name.token.error(message));
            }
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"import { Namespace, SubjectSet, Context } from "@ory/keto-namespace-types"

class User implements Namespace {}

class Group implements Namespace {
  related: {
    members: (User | Group)[]
  }
}

/* Folders nest. */
class Folder implements Namespace {
  related: {
    parents: Folder[]
    viewers: Array<User | SubjectSet<Group, "members">>
  }

  permits = {
    view: (ctx: Context): boolean =>
      this.related.viewers.includes(ctx.subject) ||
      this.related.parents.traverse((p) => p.permits.view(ctx)),
  }
}

class Document implements Namespace {
  related: {
    owners: (User | SubjectSet<Group, "members">)[]
    parents: Folder[]
  }

  permits = {
    view: (ctx: Context): boolean =>
      this.related.parents.traverse((p) => p.related.viewers.includes(ctx.subject)) ||
      this.permits.edit(ctx),
    edit: (ctx: Context) => this.related.owners.includes(ctx.subject) && !(this.permits.view(ctx)),
  }
}
"#;

    fn at(line: usize, column: usize) -> Position {
        Position { line, column }
    }

    #[test]
    fn the_documented_forms_are_valid() {
        assert_eq!(check(GOOD), vec![]);
        assert_eq!(check(""), vec![]);
    }

    #[test]
    fn nesting_past_the_bound_is_a_mistake_not_a_crash() {
        let document = |open: &str, close: &str, n: usize| {
            format!(
                "class User implements Namespace {{}}\nclass Doc implements Namespace {{\n  related: {{ viewers: User[] }}\n  permits = {{\n    view: (ctx: Context): boolean => {}this.related.viewers.includes(ctx.subject){}\n  }}\n}}\n",
                open.repeat(n),
                close.repeat(n)
            )
        };
        assert_eq!(check(&document("(", ")", MAX_NESTING)), vec![]);
        assert_eq!(check(&document("!", "", MAX_NESTING)), vec![]);
        for (open, close) in [("(", ")"), ("!", ""), ("!(", ")")] {
            let errors = check(&document(open, close, 100_000));
            assert_eq!(errors.len(), 1, "{errors:?}");
            assert!(errors[0].message.contains("more than 100 levels deep"), "{errors:?}");
            assert_eq!(errors[0].start.line, 5);
        }
    }

    #[test]
    fn a_mistake_is_placed_on_its_line_and_column() {
        let broken = GOOD.replacen("members: (User | Group)[]", "members: (User | Group)", 1);
        let errors = check(&broken);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].message, "expected \"[\", got \"}\"");
        assert_eq!((errors[0].start, errors[0].end), (at(8, 3), at(8, 4)));

        let errors = check("class A implements Namespace {\n  related: {\n    x: B[]\n  }\n}\n");
        assert_eq!(errors[0].message, "namespace \"B\" is not declared");
        assert_eq!((errors[0].start, errors[0].end), (at(3, 8), at(3, 9)));

        let typo = GOOD.replace("this.related.owners.includes", "this.related.owner.includes");
        let errors = check(&typo);
        assert_eq!(errors[0].message, "namespace \"Document\" has no relation \"owner\"");
        assert_eq!((errors[0].start, errors[0].end), (at(35, 42), at(35, 47)));

        for (source, message) in [
            (
                "class A implements Namespace {",
                "expected \"related\", \"permits\" or \"}\", got the end of the document",
            ),
            ("class A {}", "expected \"implements\", got \"{\""),
            ("class A implements Namespace { related: { x: \"B[] } }", "unterminated string"),
            ("class A implements Namespace {} #", "unexpected character '#'"),
            ("class A implements Namespace {}\nclass A implements Namespace {}", "namespace \"A\" is declared twice"),
            (
                "class A implements Namespace { permits = { p: (ctx) => that.permits.p(ctx) } }",
                "\"that\" is not defined here; expected \"this\"",
            ),
            (
                "class A implements Namespace { permits = { p: (ctx) => this.permits.p(other) } }",
                "expected the context \"ctx\", got \"other\"",
            ),
            (
                "class A implements Namespace { related: { x: SubjectSet<A, \"y\">[] } }",
                "namespace \"A\" has no relation \"y\"",
            ),
        ] {
            let errors = check(source);
            assert!(errors.iter().any(|e| e.message == message), "{source}: {errors:?}");
        }
    }
}
