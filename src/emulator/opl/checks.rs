//! The name checks Keto runs once a document's syntax is sound, in the
//! order the parser noted them.

use super::ast::{find, Namespace, Relation};
use super::lex::Item;
use super::text::quoted;

/// A mistake: its message and the token it is on.
pub(super) struct Mistake {
    pub(super) message: Vec<u8>,
    pub(super) item: Item,
}

/// How deeply a traversal's types are followed through subject sets:
/// Keto's `tupleToSubjectSetTypeCheckMaxDepth`.
const MAX_TYPE_DEPTH: i32 = 10;

pub(super) enum Check {
    /// A relation's type names a declared namespace.
    NamespaceExists(Item),
    /// `SubjectSet<namespace, relation>` names a relation the namespace has.
    NamespaceHasRelation(Item, Item),
    /// The namespace (by its name when the check was noted) has the
    /// relation or permission.
    CurrentHasRelation(Vec<u8>, Item),
    /// Every type of the namespace's relation (the item) has the relation
    /// or permission a traversal names.
    AllTypesHave(Vec<u8>, Item, Vec<u8>),
}

fn q(bytes: &[u8]) -> String {
    quoted(bytes)
}

/// The mistakes `checks` find in `namespaces`, in order.
pub(super) fn run(checks: Vec<Check>, namespaces: &[Namespace]) -> Vec<Mistake> {
    let mut run = Run { namespaces, mistakes: Vec::new() };
    for check in checks {
        run.check(check);
    }
    run.mistakes
}

struct Run<'a> {
    namespaces: &'a [Namespace],
    mistakes: Vec<Mistake>,
}

impl Run<'_> {
    fn mistake(&mut self, item: Item, message: Vec<u8>) {
        self.mistakes.push(Mistake { message, item });
    }

    fn check(&mut self, check: Check) {
        match check {
            Check::NamespaceExists(item) => {
                if find(self.namespaces, &item.val).is_none() {
                    let message = format!("namespace {} was not declared", q(&item.val));
                    self.mistake(item, message.into_bytes());
                }
            }
            Check::NamespaceHasRelation(namespace, relation) => match find(self.namespaces, &namespace.val) {
                Some(n) if n.relation(&relation.val).is_some() => {}
                Some(_) => {
                    let message =
                        format!("namespace {} did not declare relation {}", q(&namespace.val), q(&relation.val));
                    self.mistake(relation, message.into_bytes());
                }
                None => {
                    let message = format!("namespace {} was not declared", q(&namespace.val));
                    self.mistake(namespace, message.into_bytes());
                }
            },
            Check::CurrentHasRelation(namespace, relation) => match find(self.namespaces, &namespace) {
                Some(n) if n.relation(&relation.val).is_some() => {}
                Some(_) => {
                    let message = format!("namespace {} did not declare relation {}", q(&namespace), q(&relation.val));
                    self.mistake(relation, message.into_bytes());
                }
                None => {
                    let message = format!("namespace {} was not declared", q(&namespace));
                    self.mistake(relation, message.into_bytes());
                }
            },
            Check::AllTypesHave(namespace, item, relation) => {
                let relation_type = item.val.clone();
                self.all_types_have(&item, &namespace, &relation_type, &relation, MAX_TYPE_DEPTH);
            }
        }
    }

    fn all_types_have(&mut self, item: &Item, namespace: &[u8], relation_type: &[u8], relation: &[u8], depth: i32) {
        if depth < 0 {
            self.mistake(item.clone(), b"could not typecheck deeply nested SubjectSet further".to_vec());
            return;
        }
        let Some(types) = relation_of(self.namespaces, namespace, relation_type).map(|r| r.types.clone()) else {
            let message = format!("relation {} was not declared in namespace {}", q(relation_type), q(namespace));
            return self.mistake(item.clone(), message.into_bytes());
        };
        for t in types {
            if t.relation.is_empty() {
                if relation_of(self.namespaces, &t.namespace, relation).is_none() {
                    let message = format!("relation {} was not declared in namespace {}", q(relation), q(&t.namespace));
                    self.mistake(item.clone(), message.into_bytes());
                }
            } else {
                self.all_types_have(item, &t.namespace, &t.relation, relation, depth - 1);
            }
        }
    }
}

fn relation_of<'a>(namespaces: &'a [Namespace], namespace: &[u8], relation: &[u8]) -> Option<&'a Relation> {
    find(namespaces, namespace).and_then(|n| n.relation(relation))
}
