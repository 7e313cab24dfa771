//! A resource that owns one part of a project document: an entry of a list
//! (a web hook, a social sign-in provider) or the value at a fixed place.
//! What every such resource does the same way lives here, once:
//!
//! - the edit through the document engine: the smallest JSON Patch of the
//!   owned part, sent against the revision, computed again on a 409, one
//!   writer per project (`console::Document::edit`);
//! - a create or a move resent after a lost answer finds its own entry and
//!   sends nothing, rather than making a second one;
//! - reads see the owned part only, so drift elsewhere is never this
//!   resource's;
//! - a patch Ory refuses at a JSON pointer inside the part is shown on the
//!   attribute that wrote that pointer;
//! - the claims of `framework::ownership`: two resources claiming one part
//!   are refused at plan time, before anything is sent.

use serde_json::{json, Value as Json};

use async_trait::async_trait;

use crate::console::{self, PatchOp, Project};
use crate::plugin::{Diagnostics, Value};
use crate::provider::adoption::{Finds, InProject, Place};
use crate::provider::client::OryClient;
use crate::provider::document::{live_project, of as document_of, warn};
use crate::provider::errors::Error;
pub use crate::provider::framework::ownership::{Entry, Part};
use crate::provider::model::Model;
use crate::provider::typed::{Declared, ImportId, Plan, TypedResource};
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

/// An object without its null keys: absent is how a document says unset.
fn without_null_keys(value: &Json) -> Json {
    match value {
        Json::Object(map) => {
            Json::Object(map.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), v.clone())).collect())
        }
        other => other.clone(),
    }
}

/// Where a part is in a live document.
enum Found {
    Absent,
    /// The JSON pointer of the part's value.
    At(String),
    /// Entries of the list that all look like the part: none can be told to be it.
    Several(Vec<usize>),
}

fn find(live: &Json, part: &Part) -> Found {
    match &part.entry {
        None => match live.pointer(&part.pointer) {
            None | Some(Json::Null) => Found::Absent,
            Some(_) => Found::At(part.pointer.clone()),
        },
        Some(entry) => {
            let list = live.pointer(&part.pointer).and_then(Json::as_array).map(Vec::as_slice).unwrap_or_default();
            let found: Vec<usize> = list.iter().enumerate().filter(|(_, e)| (entry.is_it)(e)).map(|(i, _)| i).collect();
            match found.as_slice() {
                [] => Found::Absent,
                [i] => Found::At(format!("{}/{i}", part.pointer)),
                _ => Found::Several(found),
            }
        }
    }
}

/// Adds `value` as the part: at the end of its list, or at its pointer,
/// making the list and the objects above it when the project has none yet.
fn add(live: &Json, part: &Part, value: Json) -> PatchOp {
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
fn then_set(live: &Json, ops: Vec<PatchOp>, also: &[(Part, Json)]) -> Vec<PatchOp> {
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

/// The partial state of an import ID `<project_id>/<key>`, where `key` is
/// the attribute `key_attr` and passes `check`; `None` when it does not.
/// A bare import ID: the key alone, checked as its attribute is.
pub fn bare_key(id: &str, key_attr: &str, check: fn(&str) -> Result<(), String>) -> Option<crate::plugin::Value> {
    use crate::plugin::Value;
    check(id).ok()?;
    Some(Value::object([(key_attr, Value::string(id))]))
}

pub fn project_scoped(id: &str, key_attr: &str, check: fn(&str) -> Result<(), String>) -> Option<crate::plugin::Value> {
    use crate::plugin::Value;
    let (project, key) = id.split_once('/')?;
    if !crate::provider::validators::is_uuid(project) || check(key).is_err() {
        return None;
    }
    Some(Value::object([("project_id", Value::string(project)), (key_attr, Value::string(key))]))
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
        mut change: impl FnMut(&Json, bool) -> Result<Vec<PatchOp>, Error>,
    ) -> Result<Json, Error> {
        let edited = client
            .console
            .document(project)
            .edit(|p: &Project, retrying| change(&document_of(p), retrying))
            .await
            .map_err(|e| self.refusal(project, part, e))?;
        warn(&edited, notes);
        Ok(document_of(&edited.project))
    }

    /// A patch Ory refused, on the attribute that wrote the refused pointer.
    fn refusal(&self, project: &str, part: &Part, e: Error) -> Error {
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
    ) -> Result<Json, Error> {
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

    /// The part as the live document holds it, or `None` when it (or its
    /// project) is gone.
    pub async fn read(&self, client: &OryClient, project: &str, part: &Part) -> Result<Option<(Project, Json)>, Error> {
        let Some(current) = live_project(client, project).await? else { return Ok(None) };
        let live = document_of(&current);
        match find(&live, part) {
            Found::Absent => Ok(None),
            Found::At(at) => {
                let value = live.pointer(&at).cloned().unwrap_or_default();
                Ok(Some((current, value)))
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
    ) -> Result<Json, Error> {
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

/// A resource that owns one part of a project document, served to
/// Terraform by [`Sliced`]. It says where its part is, how its model becomes
/// that part and back, and what stops a write; `Sliced` does the rest the
/// same way for every such resource: claims at plan time, the edit, the
/// read of the owned part only, import, and the `id` attribute.
#[async_trait]
pub trait Slice: Declared {
    /// What errors call the part: "the SAML provider".
    const THE: &'static str;
    /// The attributes that place the part; it is claimed once all are known.
    const PLACED_BY: &'static [&'static str];
    /// `(pointer inside the part, attribute)`, most specific first: where a
    /// refused pointer is shown.
    const ATTRIBUTES: &'static [(&'static str, &'static str)];
    /// The import ID's form, for the error on a malformed one.
    const IMPORT_FORM: &'static str;
    /// An update writes the value's keys over the live object, keeping the
    /// keys the model does not know (see [`Write::over_live`]).
    const OVER_LIVE: bool = false;
    /// A switch the part needs on (a sign-in method), turned on by a
    /// create. Every part under it wants it on, so no one part owns it.
    const SWITCH: Option<&'static str> = None;
    /// Pointers inside the part an update keeps as Ory holds them when the
    /// model leaves them out (see [`Write::keep`]).
    const KEEP: &'static [&'static str] = &[];

    /// The partial state an import ID gives; `None` when it is malformed.
    fn parse_import(id: &str) -> Option<Value>;
    /// The form of a bare import ID, of a part of the provider's project
    /// (Ory's provider's import IDs), when the resource takes one.
    const BARE_FORM: Option<&'static str> = None;
    /// The partial state a bare import ID gives, `project_id` aside.
    fn parse_bare(_id: &str) -> Option<Value> {
        None
    }
    /// The import ID of the part `m` places.
    fn import_id(&self, m: &Self::Model) -> String;
    /// The parts of this type in a project's document, for `adopt`.
    fn found(&self, _at: &InProject<'_>, _finds: &mut Finds) {}

    /// The `id` attribute: the import ID, unless Ory's provider names it otherwise.
    fn id(&self, m: &Self::Model) -> String {
        self.import_id(m)
    }
    fn part(&self, m: &Self::Model) -> Part;
    /// What the part holds; `prior` is the state an update starts from.
    fn value(&self, m: &Self::Model, prior: Option<&Self::Model>) -> Json;
    /// Values elsewhere in the document that go with the part, which it
    /// owns too.
    fn also(&self, _m: &Self::Model) -> Vec<(Part, Json)> {
        Vec::new()
    }
    /// The state after `m`, when `value` is the part in the document `doc`
    /// of project `project`.
    fn shown(&self, m: &Self::Model, project: &str, value: &Json, doc: &Json) -> Self::Model;
    /// Plan rules of the resource's own, before its parts are claimed.
    fn plan(&self, _plan: &mut Plan<'_, Self::Model>) {}
    /// A check of the part that asks Ory (such as its validation of an OPL
    /// document): at plan time once the part is placed, and before every
    /// write, so that a value Ory would refuse changes nothing.
    async fn check(&self, _client: &OryClient, _m: &Self::Model) -> Result<(), Error> {
        Ok(())
    }
    /// A reason, in the live document, not to add the part.
    fn refuse_create(&self, _m: &Self::Model, _live: &Json) -> Option<Error> {
        None
    }
    /// Whether the part's live value is one Ory's defaults put there, which
    /// a create writes over rather than asking for an import.
    fn is_default(&self, _value: &Json) -> bool {
        false
    }
    /// A reason, in the live document, to leave the part at Ory when the
    /// resource is destroyed (it is removed from the state only): the
    /// warning that says so.
    fn kept_on_delete(&self, _m: &Self::Model, _live: &Json) -> Option<String> {
        None
    }
}

/// A [`Slice`] as a [`TypedResource`].
pub struct Sliced<S>(pub S);

fn project_of<M: Model>(m: &M) -> String {
    m.to_value().attr("project_id").as_str().unwrap_or_default().to_string()
}

impl<S: Slice> Sliced<S> {
    fn owner(&self, m: &S::Model) -> Owner<'static> {
        Owner {
            noun: S::THE,
            attributes: S::ATTRIBUTES,
            import_hint: format!("terraform import <address> '{}'", self.0.import_id(m)),
        }
    }

    fn with_id(&self, m: S::Model) -> S::Model {
        let mut value = m.to_value();
        value.set_attr("id", Value::string(self.0.id(&m)));
        S::Model::from_value(&value)
    }
}

impl<S: Slice> Declared for Sliced<S> {
    type Model = S::Model;

    fn type_name(&self) -> &'static str {
        self.0.type_name()
    }

    fn summary(&self) -> &'static str {
        self.0.summary()
    }

    fn description(&self) -> String {
        self.0.description()
    }

    fn noun(&self) -> &'static str {
        self.0.noun()
    }

    fn describe(&self, m: &S::Model) -> String {
        self.0.describe(m)
    }

    fn validate(&self, config: &S::Model, diags: &mut Diagnostics) {
        self.0.validate(config, diags)
    }
}

#[async_trait]
impl<S: Slice> TypedResource for Sliced<S> {
    async fn find(&self, _: &OryClient, place: &Place<'_>, finds: &mut Finds) -> Result<(), crate::console::Error> {
        if let Place::Project(at) = place {
            self.0.found(at, finds);
        }
        Ok(())
    }

    fn import_id(&self) -> ImportId {
        match S::BARE_FORM {
            Some(bare_help) => {
                ImportId::ParsedOrBare { parse: S::parse_import, help: S::IMPORT_FORM, bare: S::parse_bare, bare_help }
            }
            None => ImportId::Parsed { parse: S::parse_import, help: S::IMPORT_FORM },
        }
    }

    /// An entry found after a lost answer is never adopted: `create` tells
    /// its own resend from an entry that was there.
    fn adoptable(&self) -> bool {
        false
    }

    async fn plan(&self, client: &OryClient, plan: &mut Plan<'_, S::Model>) -> Result<(), Error> {
        self.0.plan(plan);
        let planned = plan.planned.to_value();
        let placed = S::PLACED_BY.iter().all(|name| !planned.attr(name).is_unknown());
        if !placed || planned.attr("project_id").is_null() {
            return Ok(());
        }
        plan.planned = self.with_id(plan.planned.clone());
        let project = project_of(&plan.planned);
        let mut parts = vec![self.0.part(&plan.planned)];
        parts.extend(self.0.also(&plan.planned).into_iter().map(|(part, _)| part));
        parts.extend(S::SWITCH.map(Part::switch));
        let changes = plan.prior.as_ref().is_none_or(|prior| prior.to_value() != plan.planned.to_value());
        if changes {
            self.0.check(client, &plan.planned).await?;
        }
        let by = format!("{} {}", self.0.type_name(), self.0.import_id(&plan.planned));
        // After the resource's own rules: content that is the same JSON is no replacement.
        let replacing = plan.prior.as_ref().is_some_and(|prior| {
            let prior = prior.to_value();
            S::Model::declared().iter().any(|f| f.force_new && prior.attr(f.name) != planned.attr(f.name))
        });
        client.claims.claim_all(&project, &parts, &by, replacing)
    }

    async fn create(&self, client: &OryClient, planned: S::Model, notes: &mut Diagnostics) -> Result<S::Model, Error> {
        self.0.check(client, &planned).await?;
        let (project, part) = (project_of(&planned), self.0.part(&planned));
        let (value, mut also) = (self.0.value(&planned, None), self.0.also(&planned));
        also.extend(S::SWITCH.map(|pointer| (Part::at(pointer), Json::Bool(true))));
        let refuse = |live: &Json| self.0.refuse_create(&planned, live);
        let is_default = |value: &Json| self.0.is_default(value);
        let write = Write {
            value: &value,
            also: &also,
            over_live: false,
            unless: Some(&refuse),
            over_default: Some(&is_default),
            keep: &[],
        };
        let doc = self.owner(&planned).create(client, &project, &part, write, notes).await?;
        Ok(self.with_id(self.0.shown(&planned, &project, &value, &doc)))
    }

    async fn read(&self, client: &OryClient, state: S::Model, _: &mut Diagnostics) -> Result<Option<S::Model>, Error> {
        let (project, part) = (project_of(&state), self.0.part(&state));
        let Some((live, value)) = self.owner(&state).read(client, &project, &part).await? else { return Ok(None) };
        let shown = self.0.shown(&state, &live.id, &value, &document_of(&live));
        Ok(Some(self.with_id(shown)))
    }

    async fn update(
        &self,
        client: &OryClient,
        prior: S::Model,
        planned: S::Model,
        notes: &mut Diagnostics,
    ) -> Result<S::Model, Error> {
        self.0.check(client, &planned).await?;
        let (project, old, new) = (project_of(&planned), self.0.part(&prior), self.0.part(&planned));
        let (value, also) = (self.0.value(&planned, Some(&prior)), self.0.also(&planned));
        let write = Write {
            value: &value,
            also: &also,
            over_live: S::OVER_LIVE,
            unless: None,
            over_default: None,
            keep: S::KEEP,
        };
        let doc = self.owner(&planned).update(client, &project, &old, &new, write, notes).await?;
        Ok(self.with_id(self.0.shown(&planned, &project, &value, &doc)))
    }

    async fn delete(&self, client: &OryClient, prior: S::Model, notes: &mut Diagnostics) -> Result<(), Error> {
        let (project, part) = (project_of(&prior), self.0.part(&prior));
        let kept = |live: &Json| self.0.kept_on_delete(&prior, live);
        self.owner(&prior).delete(client, &project, &part, kept, notes).await
    }

    fn imported(&self, state: &mut S::Model, _: &mut Diagnostics) {
        *state = self.with_id(state.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::framework::ownership::{within, Claims};

    fn hook(url: &str) -> Entry {
        let wanted = url.to_string();
        Entry {
            label: format!("a web hook calling {url}"),
            key: url.to_string(),
            is_it: Box::new(move |e: &Json| e["config"]["url"] == wanted.as_str()),
        }
    }

    #[test]
    fn parts_are_found_and_added_where_the_project_has_nothing_yet() {
        let live = json!({"services": {"identity": {"config": {"selfservice": {"flows": {"login": {"after": {}}}}}}}});
        let list = "/services/identity/config/selfservice/flows/login/after/oidc/hooks";
        let part = Part::entry(list, hook("https://x"));
        assert!(matches!(find(&live, &part), Found::Absent));
        assert_eq!(
            add(&live, &part, json!(1)),
            PatchOp::add("/services/identity/config/selfservice/flows/login/after/oidc", json!({"hooks": [1]}))
        );
        let fixed = Part::at("/services/identity/config/courier/templates/recovery_code/valid");
        assert_eq!(
            add(&live, &fixed, json!({"email": {}})),
            PatchOp::add(
                "/services/identity/config/courier",
                json!({"templates": {"recovery_code": {"valid": {"email": {}}}}})
            )
        );
        let two = json!({"l": [{"config": {"url": "https://x"}}, {"config": {"url": "https://x"}}]});
        assert!(matches!(find(&two, &Part::entry("/l", hook("https://x"))), Found::Several(ref f) if f == &[0, 1]));
        assert!(matches!(find(&two, &Part::entry("/l", hook("https://y"))), Found::Absent));
    }

    #[test]
    fn values_that_go_with_a_part_never_erase_the_parent_it_adds() {
        let live = json!({"methods": {}});
        let part = Part::entry("/methods/saml/config/providers", hook("https://x"));
        let ops = then_set(
            &live,
            vec![add(&live, &part, json!({"id": "x"}))],
            &[(Part::at("/methods/saml/enabled"), json!(true))],
        );
        let mut doc = live.clone();
        json_patch::patch(&mut doc, &serde_json::from_value::<json_patch::Patch>(json!(ops)).unwrap()).unwrap();
        assert_eq!(doc, json!({"methods": {"saml": {"enabled": true, "config": {"providers": [{"id": "x"}]}}}}));
    }

    #[test]
    fn a_refused_pointer_is_shown_on_the_attribute_that_wrote_it() {
        let owner = Owner {
            noun: "the action",
            attributes: &[
                ("/config/auth/config/value", "secret"),
                ("/config/auth", "auth_type"),
                ("/config/url", "url"),
            ],
            import_hint: String::new(),
        };
        let list = "/services/identity/config/selfservice/flows/login/after/hooks";
        let part = Part::entry(list, hook("https://x"));
        let refused = |path: &str| {
            let error =
                console::ApiError::from_response("patchProjectWithRevision", 400, br#"{"error":{"reason":"no"}}"#);
            let e = Error::Api {
                error: console::Error::Rejected { error: Box::new(error), path: Some(path.to_string()) },
                doing: None,
            };
            match owner.refusal("p", &part, e) {
                Error::Refused(d) => d.attribute.map(|a| format!("{a:?}")),
                other => panic!("{other:?}"),
            }
        };
        assert!(refused(&format!("{list}/3/config/auth/config/value")).unwrap().contains("secret"));
        assert!(refused(&format!("{list}/3/config/auth/type")).unwrap().contains("auth_type"));
        assert!(refused(&format!("{list}/0/config/url")).unwrap().contains("\"url\""));
        assert_eq!(refused(&format!("{list}/0/hook")), None, "a pointer no attribute writes: on the resource");
        assert_eq!(refused("/services/oauth2/config"), None, "outside the part: on the resource");
    }

    #[test]
    fn two_resources_claiming_one_part_are_refused_naming_the_other() {
        let claims = Claims::default();
        let list = "/services/identity/config/selfservice/flows/login/after/hooks";
        claims.claim("p", &Part::entry(list, hook("https://a")), "ory_action A", false).unwrap();
        claims.claim("p", &Part::entry(list, hook("https://b")), "ory_action B", true).unwrap();
        claims.claim("q", &Part::entry(list, hook("https://a")), "ory_action C", false).unwrap();
        let again = claims.claim("p", &Part::entry(list, hook("https://a")), "ory_action D", false).unwrap_err();
        let text = format!("{again:?}");
        assert!(text.contains("ory_action A") && text.contains("ory_action D"), "{text}");
        // A configuration that writes the list whole, or a key above it.
        assert!(claims.claim("p", &Part::at(list), "ory_project_config p", false).is_err());
        let above = Part::at("/services/identity/config/selfservice");
        assert!(claims.claim("p", &above, "ory_project_config p", false).is_err());
        claims
            .claim("p", &Part::at("/services/identity/config/session/lifespan"), "ory_project_config p", false)
            .unwrap();
        // A switch is shared by every part that needs it on, and refused to
        // a configuration that writes it otherwise, in either order.
        let enabled = "/services/identity/config/selfservice/methods/oidc/enabled";
        claims.claim("p", &Part::switch(enabled), "ory_social_provider google", false).unwrap();
        claims.claim("p", &Part::switch(enabled), "ory_social_provider github", false).unwrap();
        claims.claim("p", &Part::valued(enabled, json!(true)), "ory_project_config p", false).unwrap();
        let off = claims.claim("q", &Part::valued(enabled, json!(false)), "ory_project_config q", false);
        assert!(off.is_ok(), "another project");
        let off = claims.claim("q", &Part::switch(enabled), "ory_social_provider gitlab", false).unwrap_err();
        assert!(format!("{off:?}").contains("needs it true"), "{off:?}");
        let methods = "/services/identity/config/selfservice/methods";
        let whole = Part::valued(methods, json!({"oidc": {"enabled": false}}));
        assert!(claims.claim("p", &whole, "ory_project_config r", false).is_err());
        // A replacement is planned twice, once: a third plan of it is another resource.
        claims.claim("p", &Part::entry(list, hook("https://b")), "ory_action B", false).unwrap();
        assert!(claims.claim("p", &Part::entry(list, hook("https://b")), "ory_action B", false).is_err());
        assert!(within("/a/b", "/a") && !within("/ab", "/a"));
    }
}
