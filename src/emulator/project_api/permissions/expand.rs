//! Keto's `expandPermissions`: the tree of who is in a subject set, by its
//! tuples, one level of depth per subject set followed (Keto's default,
//! `feature_flags.expand_rewrites` off: a permission's rewrite is not
//! followed, only its tuples).

use std::collections::HashSet;

use serde_json::{json, Value};

use super::engine::Subject;
use crate::emulator::opl::{find, Namespace};
use crate::emulator::store::Relationship;

/// Keto's `limit.max_expand_size`: the most tuples one expansion shows.
const MAX_EXPAND_SIZE: usize = 4000;

pub struct Expansion<'a> {
    namespaces: &'a [Namespace],
    tuples: Vec<&'a Relationship>,
    strict: bool,
    nodes: usize,
    visited: HashSet<[String; 3]>,
}

/// A node before it is shown: its type, subject and children.
struct Node {
    kind: &'static str,
    subject: Subject,
    children: Vec<Node>,
}

impl<'a> Expansion<'a> {
    pub fn new(namespaces: &'a [Namespace], tuples: Vec<&'a Relationship>, strict: bool) -> Expansion<'a> {
        Expansion { namespaces, tuples, strict, nodes: 0, visited: HashSet::new() }
    }

    /// The tree of `set` (namespace, object, relation) to `depth`, shown as
    /// Keto's API shows it; `None` where strict mode knows no such relation.
    pub fn tree(&mut self, set: [String; 3], depth: i64) -> Option<Value> {
        if self.strict && !self.has_relation(&set) {
            return None;
        }
        self.subtree(Subject::Set(set), depth).map(|node| shown(&node))
    }

    fn declared(&self, [namespace, _, relation]: &[String; 3]) -> Option<&'a crate::emulator::opl::Relation> {
        find(self.namespaces, namespace.as_bytes()).and_then(|n| n.relation(relation.as_bytes()))
    }

    fn has_relation(&self, set: &[String; 3]) -> bool {
        self.declared(set).is_some_and(|r| !r.types.is_empty() || r.rewrite.is_some())
    }

    fn subtree(&mut self, subject: Subject, depth: i64) -> Option<Node> {
        let set = match subject {
            Subject::Set(set) if !set[2].is_empty() => set,
            other => {
                self.nodes += 1;
                return Some(Node { kind: "leaf", subject: other, children: Vec::new() });
            }
        };
        if !self.visited.insert(set.clone()) {
            return Some(Node { kind: "union", subject: Subject::Set(set), children: Vec::new() });
        }
        let node =
            if self.strict && self.declared(&set).is_none() { None } else { Some(self.direct(set.clone(), depth)) };
        self.visited.remove(&set);
        node
    }

    /// The set's tuples as children, each subject set among them expanded
    /// a level deeper.
    fn direct(&mut self, set: [String; 3], depth: i64) -> Node {
        let mut node = Node { kind: "union", subject: Subject::Set(set.clone()), children: Vec::new() };
        if self.nodes >= MAX_EXPAND_SIZE || depth <= 1 {
            return node;
        }
        let types = self.declared(&set).map(|r| r.types.clone());
        let [namespace, object, relation] = &set;
        let subjects: Vec<Subject> = self
            .tuples
            .iter()
            .filter(|t| &t.namespace == namespace && &t.object == object && &t.relation == relation)
            .filter_map(|t| match (&t.subject_id, &t.subject_set) {
                (Some(id), _) => Some(Subject::Id(id.clone())),
                (None, Some(s)) => Some(Subject::Set(s.clone())),
                (None, None) => None,
            })
            .filter(|subject| match (&types, subject) {
                (Some(types), Subject::Set([n, _, r])) if self.strict => {
                    types.iter().any(|t| t.namespace == n.as_bytes() && t.relation == r.as_bytes())
                }
                (Some(_), Subject::Id(_)) if self.strict => false,
                _ => true,
            })
            .collect();
        for subject in subjects {
            if self.nodes >= MAX_EXPAND_SIZE {
                break;
            }
            self.nodes += 1;
            let expands = matches!(&subject, Subject::Set(s) if !s[2].is_empty());
            let child = if expands {
                self.subtree(subject, depth - 1)
            } else {
                Some(Node { kind: "leaf", subject, children: Vec::new() })
            };
            node.children.extend(child);
        }
        node
    }
}

/// A node as Keto's API shows it: the subject alone in `tuple`, and a node
/// without children a leaf.
fn shown(node: &Node) -> Value {
    let mut tuple = json!({"namespace": "", "object": "", "relation": ""});
    match &node.subject {
        Subject::Id(id) => tuple["subject_id"] = json!(id),
        Subject::Set([namespace, object, relation]) => {
            tuple["subject_set"] = json!({"namespace": namespace, "object": object, "relation": relation})
        }
    }
    let kind = if node.children.is_empty() { "leaf" } else { node.kind };
    let mut out = json!({"type": kind, "tuple": tuple});
    if !node.children.is_empty() {
        out["children"] = node.children.iter().map(shown).collect();
    }
    out
}
