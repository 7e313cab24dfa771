//! Keto's permission check, over a project's OPL and tuples, in Keto's
//! default (not strict) mode: a relation's members are its direct tuples,
//! its permission's rewrite, and the members of the subject sets its
//! tuples hold, each hop costing depth; what the depth or width limit cut
//! short is unknown, which is not allowed.

use std::cell::RefCell;
use std::collections::HashSet;

use crate::emulator::opl::{find, Child, Namespace, Operator, Relation, Rewrite};
use crate::emulator::store::Relationship;

/// Who a check asks about.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Subject {
    Id(String),
    /// Namespace, object, relation (which may be empty).
    Set([String; 3]),
}

/// Is `subject` in `relation` of `namespace:object`?
#[derive(Clone, Debug)]
pub struct Question {
    pub namespace: String,
    pub object: String,
    pub relation: String,
    pub subject: Subject,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    Member,
    NotMember,
    /// The depth or width limit cut the search short.
    Unknown(Limit),
    /// A relation the namespace's OPL lacks (Keto's 400).
    Error(String),
}

/// Which limit cut a search short, as Keto names it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Limit {
    Depth,
    Width,
}

impl Limit {
    pub fn name(self) -> &'static str {
        match self {
            Limit::Depth => "max_depth_exceeded",
            Limit::Width => "max_width_exceeded",
        }
    }
}

/// Keto's `limit` settings, and its strict mode.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_read_depth: i64,
    pub max_read_width: usize,
    /// Keto's strict mode: a relation's members are only what its OPL
    /// allows (no direct tuples for permissions, subject sets expanded only
    /// where declared with `SubjectSet<...>`).
    pub strict: bool,
}

pub struct Engine<'a> {
    pub namespaces: &'a [Namespace],
    pub tuples: Vec<&'a Relationship>,
    pub limits: Limits,
}

type Visited = RefCell<HashSet<[String; 3]>>;

/// How the answers of several steps make one: any member, or all.
#[derive(Clone, Copy)]
enum Mode {
    Union,
    Intersection,
}

/// Steps' answers as Keto's step group makes one, evaluated in order.
fn combine(mode: Mode, steps: Vec<Box<dyn FnOnce() -> Answer + '_>>) -> Answer {
    if steps.is_empty() {
        return Answer::NotMember;
    }
    let mut limited = None;
    for step in steps {
        match (mode, step()) {
            (_, Answer::Error(e)) => return Answer::Error(e),
            (Mode::Union, Answer::Member) => return Answer::Member,
            (Mode::Intersection, Answer::NotMember) => return Answer::NotMember,
            (_, Answer::Unknown(limit)) => limited = limited.or(Some(limit)),
            _ => {}
        }
    }
    match (limited, mode) {
        (Some(limit), _) => Answer::Unknown(limit),
        (None, Mode::Union) => Answer::NotMember,
        (None, Mode::Intersection) => Answer::Member,
    }
}

impl Limits {
    /// A request's depth as Keto reads it: clamped to `max_read_depth`,
    /// which is also the depth of a request that names none (0 or less).
    pub fn depth(&self, requested: i64) -> i64 {
        if requested <= 0 || self.max_read_depth < requested {
            self.max_read_depth
        } else {
            requested
        }
    }
}

impl Question {
    fn with_relation(&self, relation: &str) -> Question {
        Question { relation: relation.to_string(), ..self.clone() }
    }

    fn on(&self, [namespace, object, relation]: &[String; 3]) -> Question {
        Question {
            namespace: namespace.clone(),
            object: object.clone(),
            relation: relation.clone(),
            subject: self.subject.clone(),
        }
    }
}

impl<'a> Engine<'a> {
    /// Keto's answer, to the request's depth (see `Limits::depth`).
    pub fn check(&self, question: &Question, max_depth: i64) -> Answer {
        self.is_allowed(question, self.limits.depth(max_depth), false, None)
    }

    /// The relation's declaration: none for an empty relation, an unknown
    /// namespace, or a namespace without OPL relations; an error for a
    /// relation the namespace's OPL lacks.
    fn relation(&self, namespace: &str, relation: &str) -> Result<Option<&'a Relation>, String> {
        if relation.is_empty() {
            return Ok(None);
        }
        match find(self.namespaces, namespace.as_bytes()) {
            None => Ok(None),
            Some(n) if n.relations.is_empty() => Ok(None),
            Some(n) => {
                n.relation(relation.as_bytes()).map(Some).ok_or_else(|| format!("relation {relation:?} does not exist"))
            }
        }
    }

    fn is_allowed(&self, q: &Question, depth: i64, skip_direct: bool, visited: Option<&Visited>) -> Answer {
        if depth <= 0 {
            return Answer::Unknown(Limit::Depth);
        }
        let relation = match self.relation(&q.namespace, &q.relation) {
            Ok(relation) => relation,
            Err(e) => return Answer::Error(e),
        };
        let strict = self.limits.strict;
        let mut steps: Vec<Box<dyn FnOnce() -> Answer + '_>> = Vec::new();
        if let Some(rewrite) = relation.and_then(|r| r.rewrite.as_ref()) {
            steps.push(Box::new(move || self.rewrite(rewrite, q, depth, visited)));
        }
        if !skip_direct && (!strict || allows_direct(relation, &q.subject)) {
            steps.push(Box::new(move || self.direct(q, &[q.relation.as_str()], depth)));
        }
        if !strict {
            steps.push(Box::new(move || self.expand_subject(q, depth, None, visited)));
        } else {
            let types = match self.subject_set_types(relation, &q.subject) {
                Ok(types) => types,
                Err(e) => return Answer::Error(e),
            };
            if !types.is_empty() {
                steps.push(Box::new(move || self.expand_subject(q, depth, Some(types), visited)));
            }
        }
        combine(Mode::Union, steps)
    }

    /// Strict mode: the `SubjectSet<namespace, "relation">` types of the
    /// relation, each with whether the subject may be a direct member there.
    fn subject_set_types(&self, relation: Option<&Relation>, subject: &Subject) -> Result<Vec<SetType>, String> {
        let mut types = Vec::new();
        for t in relation.map(|r| r.types.as_slice()).unwrap_or_default().iter().filter(|t| !t.relation.is_empty()) {
            let (namespace, relation) = (lossy(&t.namespace), lossy(&t.relation));
            let next = self.relation(&namespace, &relation)?;
            types.push(SetType { allows_direct: allows_direct(next, subject), namespace, relation });
        }
        Ok(types)
    }

    /// A tuple of one of `relations` to the subject itself.
    fn direct(&self, q: &Question, relations: &[&str], depth: i64) -> Answer {
        if depth <= 0 {
            return Answer::Unknown(Limit::Depth);
        }
        let found = self.tuples.iter().any(|t| {
            t.namespace == q.namespace
                && t.object == q.object
                && relations.contains(&t.relation.as_str())
                && holds(t, &q.subject)
        });
        if found {
            Answer::Member
        } else {
            Answer::NotMember
        }
    }

    /// The subject sets the relation's tuples hold (strict mode: of the
    /// declared types only): a member of one directly is a member; else
    /// each is asked in turn, a hop deeper, each subject set once per search.
    fn expand_subject(
        &self,
        q: &Question,
        depth: i64,
        types: Option<Vec<SetType>>,
        visited: Option<&Visited>,
    ) -> Answer {
        if depth <= 0 {
            return Answer::Unknown(Limit::Depth);
        }
        let declared = |[n, _, r]: &[String; 3], direct_only: bool| {
            types.as_ref().is_none_or(|types| {
                types.iter().any(|t| &t.namespace == n && &t.relation == r && (t.allows_direct || !direct_only))
            })
        };
        let sets: Vec<&[String; 3]> = self
            .tuples
            .iter()
            .filter(|t| t.namespace == q.namespace && t.object == q.object && t.relation == q.relation)
            .filter_map(|t| if t.subject_id.is_none() { t.subject_set.as_ref() } else { None })
            .filter(|set| declared(set, false))
            .collect();
        let member_of = |set: &[String; 3]| {
            let [n, o, r] = set;
            declared(set, true)
                && self
                    .tuples
                    .iter()
                    .any(|t| &t.namespace == n && &t.object == o && &t.relation == r && holds(t, &q.subject))
        };
        if sets.iter().any(|set| member_of(set)) {
            return Answer::Member;
        }
        if sets.is_empty() {
            return Answer::NotMember;
        }
        if depth <= 1 {
            return Answer::Unknown(Limit::Depth);
        }
        let own = Visited::default();
        let visited = visited.unwrap_or(&own);
        let mut limited = None;
        let mut sets = sets;
        if sets.len() > self.limits.max_read_width {
            sets.truncate(self.limits.max_read_width);
            limited = Some(Limit::Width);
        }
        for set in sets {
            if !visited.borrow_mut().insert(set.clone()) {
                continue;
            }
            match self.is_allowed(&q.on(set), depth - 1, true, Some(visited)) {
                Answer::Member => return Answer::Member,
                Answer::Error(e) => return Answer::Error(e),
                Answer::Unknown(limit) => limited = limited.or(Some(limit)),
                Answer::NotMember => {}
            }
        }
        limited.map_or(Answer::NotMember, Answer::Unknown)
    }

    fn rewrite(&self, rewrite: &'a Rewrite, q: &Question, depth: i64, visited: Option<&Visited>) -> Answer {
        if depth <= 0 {
            return Answer::Unknown(Limit::Depth);
        }
        let mut steps: Vec<Box<dyn FnOnce() -> Answer + '_>> = Vec::new();
        let mut handled = vec![false; rewrite.children.len()];
        if rewrite.operator == Operator::Or {
            let computed: Vec<&str> = rewrite
                .children
                .iter()
                .enumerate()
                .filter_map(|(i, child)| match child {
                    Child::Computed(relation) => {
                        handled[i] = true;
                        std::str::from_utf8(relation).ok()
                    }
                    _ => None,
                })
                .collect();
            if !computed.is_empty() {
                let direct: Vec<&str> = computed
                    .iter()
                    .copied()
                    .filter(|r| {
                        !self.limits.strict || allows_direct(self.relation(&q.namespace, r).ok().flatten(), &q.subject)
                    })
                    .collect();
                if !direct.is_empty() {
                    steps.push(Box::new(move || self.direct(q, &direct, depth)));
                }
                for relation in computed {
                    steps.push(Box::new(move || self.is_allowed(&q.with_relation(relation), depth - 1, true, visited)));
                }
            }
        }
        for (child, _) in rewrite.children.iter().zip(handled).filter(|(_, handled)| !handled) {
            let depth = if matches!(child, Child::Rewrite(_)) { depth - 1 } else { depth };
            steps.push(Box::new(move || self.child(child, q, depth, visited)));
        }
        let mode = if rewrite.operator == Operator::And { Mode::Intersection } else { Mode::Union };
        combine(mode, steps)
    }

    fn child(&self, child: &'a Child, q: &Question, depth: i64, visited: Option<&Visited>) -> Answer {
        match child {
            Child::Rewrite(rewrite) => self.rewrite(rewrite, q, depth, visited),
            Child::Computed(relation) => {
                self.is_allowed(&q.with_relation(&String::from_utf8_lossy(relation)), depth, false, visited)
            }
            Child::Traverse { relation, computed } => self.traverse(relation, computed, q, depth, visited),
            Child::Invert(inner) => match self.child(inner, q, depth, visited) {
                Answer::Member => Answer::NotMember,
                Answer::NotMember => Answer::Member,
                other => other,
            },
        }
    }

    /// `computed` of each subject set the tuples of `relation` hold.
    fn traverse(
        &self,
        relation: &[u8],
        computed: &[u8],
        q: &Question,
        depth: i64,
        visited: Option<&Visited>,
    ) -> Answer {
        if depth <= 0 {
            return Answer::Unknown(Limit::Depth);
        }
        let (relation, computed) = (String::from_utf8_lossy(relation), String::from_utf8_lossy(computed));
        let steps: Vec<Box<dyn FnOnce() -> Answer + '_>> = self
            .tuples
            .iter()
            .filter(|t| t.namespace == q.namespace && t.object == q.object && t.relation == relation)
            .filter_map(|t| t.subject_set.as_ref())
            .map(|[n, o, _]| {
                let next = q.on(&[n.clone(), o.clone(), computed.to_string()]);
                Box::new(move || self.is_allowed(&next, depth - 1, false, visited)) as Box<dyn FnOnce() -> Answer>
            })
            .collect();
        combine(Mode::Union, steps)
    }
}

/// A `SubjectSet<namespace, "relation">` type, in strict mode.
struct SetType {
    namespace: String,
    relation: String,
    allows_direct: bool,
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Keto's `AllowsDirectMember`: a subject ID may be a direct member of a
/// relation without a rewrite (or undeclared); a subject set only of a
/// relation that declares its type.
fn allows_direct(relation: Option<&Relation>, subject: &Subject) -> bool {
    match (subject, relation) {
        (Subject::Id(_), relation) => relation.is_none_or(|r| r.rewrite.is_none()),
        (Subject::Set(_), None) => false,
        (Subject::Set(_), Some(r)) if r.rewrite.is_some() => false,
        (Subject::Set([n, _, rel]), Some(r)) => {
            r.types.iter().any(|t| t.namespace == n.as_bytes() && t.relation == rel.as_bytes())
        }
    }
}

/// Whether tuple `t`'s subject is `subject`.
fn holds(t: &Relationship, subject: &Subject) -> bool {
    match subject {
        Subject::Id(id) => t.subject_id.as_ref() == Some(id),
        Subject::Set(set) => t.subject_id.is_none() && t.subject_set.as_ref() == Some(set),
    }
}
