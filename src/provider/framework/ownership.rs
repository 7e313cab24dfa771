//! What the resources planned by one provider process own of a project's
//! document: parts (an entry of a list, or the value at a JSON pointer),
//! claimed by project and pointer, so that two resources claiming one part
//! are refused at plan time, before anything is sent.

use std::collections::HashMap;
use std::sync::Mutex;

use serde_json::Value as Json;

use crate::provider::errors::Error;

/// Where a resource's part of the project document is.
pub struct Part {
    /// The JSON pointer of the list the entry is in, or of the value.
    pub pointer: String,
    /// For an entry of a list: what tells it from the other entries.
    pub entry: Option<Entry>,
    /// What the owner writes there, as far as claims need to know.
    pub holds: Holds,
}

/// What a claimed part holds: whatever the owner writes (a value compared
/// with nothing), a value known at plan time, or a switch that every part
/// under it needs on, which many owners share.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Holds {
    #[default]
    Whole,
    Value(Json),
    Switch,
}

/// How an entry of a list is recognised, and named in messages.
pub struct Entry {
    /// The entry's identity in words, such as "a web hook calling POST https://x".
    pub label: String,
    /// The same, comparable: two parts with one list and one key are one part.
    pub key: String,
    /// The key of each entry of the list: the one whose key is `key` is it.
    pub key_of: KeyOf,
}

impl Entry {
    pub fn is_it(&self, entry: &Json) -> bool {
        match self.key_of {
            // An edit scans its list with this: no key made per entry where none is needed.
            KeyOf::Field(field) => entry[field].as_str() == Some(self.key.as_str()),
            KeyOf::Made(_, of) => of(entry).is_some_and(|key| key == self.key),
        }
    }
}

/// How the entries of a list are keyed: by one of their fields, or by a
/// function (named, so that indexes of one list by two keyings never meet).
#[derive(Clone, Copy, Debug)]
pub enum KeyOf {
    Field(&'static str),
    Made(&'static str, fn(&Json) -> Option<String>),
}

impl KeyOf {
    pub fn of(self, entry: &Json) -> Option<String> {
        match self {
            KeyOf::Field(field) => entry[field].as_str().map(str::to_string),
            KeyOf::Made(_, of) => of(entry),
        }
    }

    /// What tells this keying from the others.
    pub fn name(self) -> (bool, &'static str) {
        match self {
            KeyOf::Field(field) => (true, field),
            KeyOf::Made(name, _) => (false, name),
        }
    }
}

impl Part {
    pub fn at(pointer: impl Into<String>) -> Part {
        Part { pointer: pointer.into(), entry: None, holds: Holds::Whole }
    }

    /// The value at `pointer`, known at plan time.
    pub fn valued(pointer: impl Into<String>, value: Json) -> Part {
        Part { holds: Holds::Value(value), ..Part::at(pointer) }
    }

    /// A switch at `pointer` that the part needs on (`true`), shared with
    /// every other part that needs it.
    pub fn switch(pointer: impl Into<String>) -> Part {
        Part { holds: Holds::Switch, ..Part::at(pointer) }
    }

    pub fn entry(list: impl Into<String>, entry: Entry) -> Part {
        Part { pointer: list.into(), entry: Some(entry), holds: Holds::Whole }
    }

    /// The entry of the list at `list` whose `id` is `id`, such as a
    /// social sign-in provider; `what` names such entries in messages.
    pub fn by_id(list: &str, what: &str, id: &str) -> Part {
        Part::by_key(list, what, "id", id)
    }

    /// The entry of the list at `list` whose `field` is `value`.
    pub fn by_key(list: &str, what: &str, field: &'static str, value: &str) -> Part {
        let entry =
            Entry { label: format!("the {what} {value:?}"), key: value.to_string(), key_of: KeyOf::Field(field) };
        Part::entry(list, entry)
    }

    pub(crate) fn label(&self) -> String {
        match &self.entry {
            Some(entry) => format!("{} in the list {}", entry.label, self.pointer),
            None => self.pointer.clone(),
        }
    }
}

/// What one resource planned in this provider process owns.
struct Claim {
    pointer: String,
    /// The resource, in words: its type and what it owns.
    by: String,
    holds: Holds,
}

/// The parts claimed by the resources this provider process planned. A plan
/// walk has one provider process (plugin-protocol-notes §2.5) that plans
/// each resource instance once, and a replaced one twice (the second time
/// as a create), so every resource of a configuration is planned against
/// the claims of those planned before it, and a part claimed twice, but by
/// a replacement's second plan, is claimed by two resources. Terraform does
/// not send a resource's address to its provider: the resource being
/// planned is named by Terraform beside the error, the other one by its
/// type and what it owns.
#[derive(Default)]
pub struct Claims(Mutex<Index>);

/// The claims, in the order they were made (the first that overlaps is the
/// one an error names), indexed so that a plan looks only at the claims
/// that can overlap its parts: a plan of 10,000 relationships or actions
/// would otherwise compare each with every one before it.
#[derive(Default)]
struct Index {
    claims: Vec<Claim>,
    projects: HashMap<String, ProjectClaims>,
    /// The claims of a replacement's first plan, by resource, until its second.
    replanned: HashMap<String, Vec<usize>>,
}

/// One project's claims: entries of lists by list and key, the entries of
/// each list, and values (parts that are not entries).
#[derive(Default)]
struct ProjectClaims {
    entries: HashMap<(String, String), Vec<usize>>,
    lists: HashMap<String, Vec<usize>>,
    values: Vec<usize>,
}

impl ProjectClaims {
    /// The claims that overlap `part`: an entry of the same list with the
    /// same key, or any claim at, above or below a value (a value written
    /// whole holds every entry and value under it).
    fn overlapping(&self, part: &Part) -> Vec<usize> {
        let nested = |pointer: &str| within(pointer, &part.pointer) || within(&part.pointer, pointer);
        let mut found: Vec<usize> = Vec::new();
        match &part.entry {
            Some(entry) => {
                let key = (part.pointer.clone(), entry.key.clone());
                found.extend(self.entries.get(&key).into_iter().flatten());
            }
            None => found.extend(self.lists.iter().filter(|(list, _)| nested(list)).flat_map(|(_, claims)| claims)),
        }
        found
    }
}

/// Whether `inner` is `outer` or under it, segment by segment.
pub(crate) fn within(inner: &str, outer: &str) -> bool {
    inner == outer || inner.strip_prefix(outer).is_some_and(|rest| rest.starts_with('/'))
}

impl Claims {
    /// Claims `part` of `project` for the resource `by`; an error naming the
    /// other resource when one planned before claims the same part, or a
    /// value that holds it or that it holds. `replacing`: this plan replaces
    /// the object, so the same claims will come once more.
    pub fn claim(&self, project: &str, part: &Part, by: &str, replacing: bool) -> Result<(), Error> {
        self.claim_all(project, std::slice::from_ref(part), by, replacing)
    }

    pub fn claim_all(&self, project: &str, parts: &[Part], by: &str, replacing: bool) -> Result<(), Error> {
        let mut index = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let Index { claims, projects, replanned } = &mut *index;
        // The second plan of a replacement: the claims of its first.
        if replanned.get(by).is_some_and(|mine| mine.len() == parts.len()) {
            replanned.remove(by);
            return Ok(());
        }
        let here = projects.entry(project.to_string()).or_default();
        for part in parts {
            let nested = |pointer: &str| within(pointer, &part.pointer) || within(&part.pointer, pointer);
            let values = here.values.iter().copied().filter(|&i| nested(&claims[i].pointer));
            let first = here.overlapping(part).into_iter().chain(values).filter(|&i| !shared(&claims[i], part)).min();
            let Some(other) = first.map(|i| &claims[i]) else { continue };
            let switch = [(&part.holds, &part.pointer), (&other.holds, &other.pointer)]
                .into_iter()
                .find(|(holds, _)| **holds == Holds::Switch)
                .map(|(_, pointer)| pointer);
            let detail = match switch {
                Some(pointer) => format!(
                    "This resource ({by}) and {} both write {pointer} of project {project}: the one sets it other than true, and the other needs it true (on), so each apply of one would undo the other, or turn the other off. Remove it from the configuration that turns it off, or set it to true.",
                    other.by,
                ),
                None => format!(
                    "This resource ({by}) and {} both write {} of project {project}. Each apply of one would undo the other. Keep it in one resource.",
                    other.by,
                    if within(&other.pointer, &part.pointer) { other.pointer.clone() } else { part.pointer.clone() },
                ),
            };
            return Err(Error::refused("Two resources own one part of the project", detail));
        }
        for part in parts {
            let i = claims.len();
            claims.push(Claim { pointer: part.pointer.clone(), by: by.to_string(), holds: part.holds.clone() });
            match &part.entry {
                Some(entry) => {
                    here.entries.entry((part.pointer.clone(), entry.key.clone())).or_default().push(i);
                    here.lists.entry(part.pointer.clone()).or_default().push(i);
                }
                None => here.values.push(i),
            }
            if replacing {
                replanned.entry(by.to_string()).or_default().push(i);
            }
        }
        Ok(())
    }
}

/// Whether two overlapping claims may stand together: switches are shared
/// by every part that needs them on, and a value known to be `true` where
/// another needs its switch on agrees with it.
fn shared(claim: &Claim, part: &Part) -> bool {
    let on = |switch: &str, pointer: &str, holds: &Holds| match holds {
        Holds::Switch => true,
        Holds::Value(value) => {
            switch.strip_prefix(pointer).and_then(|below| value.pointer(below)).is_some_and(|v| *v == Json::Bool(true))
        }
        Holds::Whole => false,
    };
    match (&claim.holds, &part.holds) {
        (Holds::Switch, holds) => on(&claim.pointer, &part.pointer, holds),
        (holds, Holds::Switch) => on(&part.pointer, &claim.pointer, holds),
        _ => false,
    }
}
