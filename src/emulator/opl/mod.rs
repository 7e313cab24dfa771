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

mod lex;
mod parse;

use super::{ApiError, Method, Routes, Shared};
use lex::lex;
pub use lex::OplError;
use parse::{Namespace, Parser, Use};

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
mod tests;
