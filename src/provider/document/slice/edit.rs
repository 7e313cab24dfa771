//! The edit of a part: where it is in the live document, the smallest
//! patch that writes it, a resend recognised, a refusal on its attribute.

use std::sync::Arc;

use serde_json::{json, Value as Json};

use crate::console::{self, PatchOp, ProjectId};
use crate::plugin::Diagnostics;
use crate::provider::client::OryClient;
use crate::provider::document::{read_document, warn};
use crate::provider::errors::Error;
use crate::provider::framework::ownership::Part;
use crate::provider::validators::same;

/// What a create or an update writes: the part's value, and values it goes
/// with elsewhere in the document (such as a project's default schema), set
/// in the same patch.
pub struct Write<'a> {
    pub value: &'a Json,
    pub also: &'a [(Part, Json)],
    /// An update writes the value's keys over the live object (a `null`
    /// removes its key), keeping the keys it does not know: what Ory holds
    /// and the resource does not model stays as it is.
    pub over_live: bool,
    /// A reason, found in the live document, not to write at all.
    pub unless: Option<&'a Refusal<'a>>,
    /// A value a create finds at the part and writes over: one only Ory's
    /// defaults put there, which no one owns.
    pub over_default: Option<&'a (dyn Fn(&Json) -> bool + Send + Sync + 'a)>,
    /// Pointers inside the value that the write keeps as the live value
    /// has them when the value leaves them out: a secret Ory never shows,
    /// which an imported resource's configuration cannot hold.
    pub keep: &'a [&'a str],
}

/// What a resource finds in the live document that stops its write.
pub type Refusal<'a> = dyn Fn(&Json) -> Option<Error> + Send + Sync + 'a;

impl Write<'_> {
    /// The value to write where `live` is.
    fn onto(&self, live: Option<&Json>) -> Json {
        let mut next = self.written_over(live);
        for pointer in self.keep {
            let (Some(kept), None) = (live.and_then(|l| l.pointer(pointer)), next.pointer(pointer)) else { continue };
            let Some((parent, key)) = pointer.rsplit_once('/') else { continue };
            if let Some(Json::Object(slot)) = next.pointer_mut(parent) {
                slot.insert(key.to_string(), kept.clone());
            }
        }
        next
    }

    fn written_over(&self, live: Option<&Json>) -> Json {
        match (self.over_live, live, self.value) {
            (true, Some(Json::Object(live)), Json::Object(mine)) => {
                let mut next = live.clone();
                for (key, value) in mine {
                    match value {
                        Json::Null => next.remove(key),
                        value => next.insert(key.clone(), value.clone()),
                    };
                }
                Json::Object(next)
            }
            _ => without_null_keys(self.value),
        }
    }
}

/// Where a part is in a live document.
pub(super) enum Found {
    Absent,
    /// The JSON pointer of the part's value.
    At(String),
    /// Entries of the list that all look like the part: none can be told to be it.
    Several(Vec<usize>),
}

pub(super) fn find(live: &Json, part: &Part) -> Found {
    match &part.entry {
        None => match live.pointer(&part.pointer) {
            None | Some(Json::Null) => Found::Absent,
            Some(_) => Found::At(part.pointer.clone()),
        },
        Some(entry) => {
            let list = live.pointer(&part.pointer).and_then(Json::as_array).map(Vec::as_slice).unwrap_or_default();
            found(part, list.iter().enumerate().filter(|(_, e)| entry.is_it(e)).map(|(i, _)| i).collect())
        }
    }
}

/// [`find`] in a shared read of `project`, its lists' entries looked up
/// by key (`ListIndexes`), not scanned.
fn find_in_read(client: &OryClient, project: &str, live: &Arc<Json>, part: &Part) -> Found {
    match &part.entry {
        None => find(live, part),
        Some(entry) => found(part, client.lists.positions(project, live, &part.pointer, entry.key_of, &entry.key)),
    }
}

/// The entry at one of `positions` of the part's list.
fn found(part: &Part, positions: Vec<usize>) -> Found {
    match positions.as_slice() {
        [] => Found::Absent,
        [i] => Found::At(format!("{}/{i}", part.pointer)),
        _ => Found::Several(positions),
    }
}

/// Adds `value` as the part: at the end of its list, or at its pointer,
/// making the list and the objects above it when the project has none yet.
pub(super) fn add(live: &Json, part: &Part, value: Json) -> PatchOp {
    let (pointer, value) = match part.entry {
        Some(_) if live.pointer(&part.pointer).is_some() => return PatchOp::add(format!("{}/-", part.pointer), value),
        Some(_) => (part.pointer.as_str(), json!([value])),
        None => (part.pointer.as_str(), value),
    };
    let segments: Vec<&str> = pointer.split('/').skip(1).collect();
    let existing = (0..segments.len().saturating_sub(1))
        .take_while(|n| live.pointer(&format!("/{}", segments[..=*n].join("/"))).is_some_and(Json::is_object))
        .count();
    let value = segments[existing + 1..].iter().rev().fold(value, |inner, key| json!({ *key: inner }));
    PatchOp::add(format!("/{}", segments[..=existing].join("/")), value)
}

/// `ops`, then the operations that make each value of `also` be there:
/// nothing where it is already. Each is computed against the document the
/// operations before it make, so that two of them never add the same new
/// parent object, the second erasing the first.
pub(super) fn then_set(live: &Json, ops: Vec<PatchOp>, also: &[(Part, Json)]) -> Vec<PatchOp> {
    if also.is_empty() {
        return ops;
    }
    let mut doc = live.clone();
    let mut all = Vec::new();
    let apply = |doc: &mut Json, op: PatchOp, all: &mut Vec<PatchOp>| {
        if let Ok(patch) = serde_json::from_value::<json_patch::Patch>(json!([op])) {
            let _ = json_patch::patch(doc, &patch);
        }
        all.push(op);
    };
    for op in ops {
        apply(&mut doc, op, &mut all);
    }
    for (part, value) in also {
        let op = match doc.pointer(&part.pointer) {
            Some(have) if same(have, value) => continue,
            Some(_) => PatchOp::replace(part.pointer.clone(), value.clone()),
            None => add(&doc, part, value.clone()),
        };
        apply(&mut doc, op, &mut all);
    }
    all
}

fn several(part: &Part, found: &[usize]) -> Error {
    Error::refused(
        "Several entries fit this resource",
        format!(
            "The list {} has {} entries that are each {} (entries {}), so none of them can be told to be this resource's. Nothing was changed. Remove the extra ones (in the Ory console, or by the resource that wrote them), then apply again.",
            part.pointer,
            found.len(),
            part.entry.as_ref().map_or("alike".to_string(), |e| e.label.clone()),
            found.iter().map(usize::to_string).collect::<Vec<_>>().join(", ")
        ),
    )
}

/// What one kind of slice resource says in its errors, and which attribute
/// writes which pointer inside its part.
pub struct Owner<'a> {
    /// "the action", "the social sign-in provider".
    pub noun: &'a str,
    /// `(pointer inside the part, attribute)`, most specific first: a
    /// refused pointer is shown on the first attribute whose pointer starts it.
    pub attributes: &'a [(&'a str, &'a str)],
    /// How to import the part, for a create that finds it there already.
    pub import_hint: String,
}

impl Owner<'_> {
    /// Edits project `project`, with `change` computing the operations from
    /// the live document (`retrying` after a 409 or a lost answer).
    async fn edit(
        &self,
        client: &OryClient,
        project: &str,
        part: &Part,
        notes: &mut Diagnostics,
        change: impl FnMut(&Json, bool) -> Result<Vec<PatchOp>, Error>,
    ) -> Result<Arc<Json>, Error> {
        let edited = client
            .console
            .document(&ProjectId::from(project))
            .edit(change)
            .await
            .map_err(|e| self.refusal(project, part, e))?;
        warn(&edited, notes);
        Ok(edited.project.document())
    }

    /// A patch Ory refused, on the attribute that wrote the refused pointer.
    pub(super) fn refusal(&self, project: &str, part: &Part, e: Error) -> Error {
        let Error::Api { error: error @ console::Error::Rejected { .. }, .. } = e else { return e };
        // Secrets the server echoes are hidden by the plugin layer.
        let detail = format!("Changing {} of project {project}: {error}. Nothing was changed.", part.label());
        let summary = format!("Ory Network refused {}", self.noun);
        let console::Error::Rejected { path: Some(path), .. } = &error else { return Error::refused(summary, detail) };
        let inside = path.strip_prefix(&part.pointer).map(|rest| match part.entry {
            // Past the list's index: /3/config/url is /config/url of the entry.
            Some(_) => rest.trim_start_matches('/').split_once('/').map_or("", |(_, r)| r).to_string(),
            None => rest.trim_start_matches('/').to_string(),
        });
        let attribute = inside.and_then(|inside| {
            let inside = format!("/{inside}");
            self.attributes.iter().find(|(pointer, _)| inside.starts_with(pointer)).map(|(_, attr)| *attr)
        });
        match attribute {
            Some(attr) => Error::on(attr, summary, detail),
            None => Error::refused(summary, detail),
        }
    }

    /// Adds the part, with what goes with it, and gives the document it
    /// made. Finding the part already there is an error naming the import,
    /// unless this is a resend of this very create.
    pub async fn create(
        &self,
        client: &OryClient,
        project: &str,
        part: &Part,
        write: Write<'_>,
        notes: &mut Diagnostics,
    ) -> Result<Arc<Json>, Error> {
        let (value, also) = (&write.onto(None), write.also);
        self.edit(client, project, part, notes, |live, retrying| match find(live, part) {
            Found::Absent if let Some(refused) = write.unless.and_then(|unless| unless(live)) => Err(refused),
            Found::Absent => Ok(then_set(live, vec![add(live, part, value.clone())], also)),
            Found::At(at) if retrying && live.pointer(&at).is_some_and(|e| same(e, value)) => {
                Ok(then_set(live, Vec::new(), also))
            }
            Found::At(at) if live.pointer(&at).is_some_and(|e| write.over_default.is_some_and(|default| default(e))) => {
                Ok(then_set(live, vec![PatchOp::replace(at, value.clone())], also))
            }
            Found::At(_) => Err(Error::refused(
                "It exists already",
                format!(
                    "Project {project} already has {}. Nothing was changed. To manage it with this resource, import it: {}.",
                    part.label(),
                    self.import_hint
                ),
            )),
            Found::Several(found) => Err(several(part, &found)),
        })
        .await
    }

    /// The part as the live document holds it, with that document, or
    /// `None` when it (or its project) is gone.
    pub async fn read(
        &self,
        client: &OryClient,
        project: &str,
        part: &Part,
    ) -> Result<Option<(Arc<Json>, Json)>, Error> {
        let Some(live) = read_document(client, project).await? else { return Ok(None) };
        match find_in_read(client, project, &live, part) {
            Found::Absent => Ok(None),
            Found::At(at) => {
                let value = live.pointer(&at).cloned().unwrap_or_default();
                Ok(Some((live, value)))
            }
            Found::Several(found) => Err(several(part, &found)),
        }
    }

    /// Makes the part that was at `old` be `value` at `new` (the same place,
    /// or the entry's new identity, in place in its list), and gives the
    /// document it made.
    pub async fn update(
        &self,
        client: &OryClient,
        project: &str,
        old: &Part,
        new: &Part,
        write: Write<'_>,
        notes: &mut Diagnostics,
    ) -> Result<Arc<Json>, Error> {
        let also = write.also;
        let moved = old.entry.as_ref().map(|e| &e.key) != new.entry.as_ref().map(|e| &e.key);
        self.edit(client, project, new, notes, |live, retrying| {
            let mine = find(live, old);
            let taken = if moved { find(live, new) } else { Found::Absent };
            match (mine, taken) {
                (Found::At(at), Found::Absent) => {
                    let value = write.onto(live.pointer(&at));
                    let unchanged = live.pointer(&at).is_some_and(|e| same(e, &value));
                    let own = (!unchanged).then(|| PatchOp::replace(at, value));
                    Ok(then_set(live, own.into_iter().collect(), also))
                }
                (Found::Absent, Found::At(at))
                    if retrying && live.pointer(&at).is_some_and(|e| same(e, &write.onto(Some(e)))) =>
                {
                    Ok(then_set(live, Vec::new(), also))
                }
                (Found::At(_), Found::At(_) | Found::Several(_)) => Err(Error::refused(
                    "Another entry is there",
                    format!("Project {project} already has {}, so this resource cannot become it too. Nothing was changed.", new.label()),
                )),
                (Found::Absent, _) => Err(Error::refused(
                    "It is gone",
                    format!("Project {project} no longer has {}. Nothing was changed. Run terraform apply again to create it.", old.label()),
                )),
                (Found::Several(found), _) => Err(several(old, &found)),
            }
        })
        .await
    }

    /// Removes the part, unless `refuse` finds a reason in the live
    /// document not to. Gone already, or with its project, is done.
    pub async fn delete(
        &self,
        client: &OryClient,
        project: &str,
        part: &Part,
        kept: impl Fn(&Json) -> Option<String> + Send + Sync,
        notes: &mut Diagnostics,
    ) -> Result<(), Error> {
        let why_kept = std::sync::Mutex::new(None);
        let result = self
            .edit(client, project, part, notes, |live, _| match find(live, part) {
                Found::At(_) if let Some(why) = kept(live) => {
                    *why_kept.lock().unwrap_or_else(|p| p.into_inner()) = Some(why);
                    Ok(Vec::new())
                }
                Found::Absent => Ok(Vec::new()),
                Found::At(at) => Ok(vec![PatchOp::remove(at)]),
                Found::Several(found) => Err(several(part, &found)),
            })
            .await;
        if let Some(why) = why_kept.into_inner().unwrap_or_else(|p| p.into_inner()) {
            notes.warning("Left at Ory", why);
        }
        match result {
            Err(Error::Api { error, .. }) if error.is_not_found() => Ok(()),
            other => other.map(drop),
        }
    }
}

/// An object without its null keys: absent is how a document says unset.
fn without_null_keys(value: &Json) -> Json {
    match value {
        Json::Object(map) => {
            Json::Object(map.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), v.clone())).collect())
        }
        other => other.clone(),
    }
}
