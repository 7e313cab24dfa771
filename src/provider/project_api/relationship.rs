//! `ory_relationship`: one relation tuple of a project (Ory Keto), with the
//! attribute names and import ID of Ory's provider. A tuple is what it says:
//! every attribute replaces it. A refresh of many tuples reads one listing
//! per namespace, shared by the process.

use async_trait::async_trait;

use crate::plugin::{Diagnostics, Value};
use crate::project_api::Server;
use crate::project_api::{ProjectApi, Relationship, SubjectSet};
use crate::provider::adoption::{Finds, Found, InProject, Place};
use crate::provider::client::ProjectTarget;
use crate::provider::client::{OryClient, Setting};
use crate::provider::document::slice::{Entry, KeyOf, Part};
use crate::provider::errors::Error;
use crate::provider::framework::self_hosted::Reaches;
use crate::provider::model::{attr, computed, model, optional, optional_computed, required, Fallback, Model};
use crate::provider::typed::{Declared, ImportId, Plan, TypedResource};
use crate::provider::validators;

model! {
    pub struct RelationshipModel {
        id: String = computed("The tuple in Keto's notation, `namespace:object#relation@subject`, where a subject set is `namespace:object#relation`, and where a `#` or `%` inside an object or a subject ID is written `%23` or `%25`, so that a subject ID is never read as a subject set: the import ID."),
        project_id: String = optional_computed(
            "The project. Defaults to the provider's `project_id`; with neither, the provider's `project_slug` and `project_api_key`. Changing it replaces the relationship."
        )
        .check(validators::uuid)
        .default(Fallback::ProviderIfSet(Setting::ProjectId))
        .force_new(),
        project_slug: String = crate::provider::framework::project_keys::slug_field(),
        project_api_key: String = crate::provider::framework::project_keys::key_field(),
        namespace: String = required("The namespace of the object, one the project's permission model declares (such as `Document`). Changing it replaces the relationship.").check(validators::tuple_name).force_new(),
        object: String = required("The object, such as `doc-123`. Changing it replaces the relationship.").check(validators::tuple_part).force_new(),
        relation: String = required("The relation, such as `viewers`. Changing it replaces the relationship.").check(validators::tuple_name).force_new(),
        subject_id: String = optional("The subject, such as an identity ID; or set the three `subject_set_*`. Changing it replaces the relationship.").check(validators::tuple_part).force_new(),
        subject_set_namespace: String = optional("The namespace of a subject set: everyone with `subject_set_relation` to `subject_set_object` in it. Changing it replaces the relationship.").check(validators::tuple_name).force_new(),
        subject_set_object: String = optional("The object of a subject set. Changing it replaces the relationship.").check(validators::tuple_part).force_new(),
        subject_set_relation: String = optional("The relation of a subject set. Changing it replaces the relationship.").check(validators::tuple_name).force_new(),
    }
}

crate::provider::client::project_target!(RelationshipModel);

const SUBJECT_SET: [&str; 3] = ["subject_set_namespace", "subject_set_object", "subject_set_relation"];

impl RelationshipModel {
    fn tuple(&self) -> Relationship {
        let text = |t: &Option<String>| t.clone().unwrap_or_default();
        let subject_set = match (&self.subject_set_namespace, &self.subject_set_object, &self.subject_set_relation) {
            (Some(namespace), Some(object), Some(relation)) => {
                Some(SubjectSet { namespace: namespace.clone(), object: object.clone(), relation: relation.clone() })
            }
            _ => None,
        };
        Relationship {
            namespace: text(&self.namespace),
            object: text(&self.object),
            relation: text(&self.relation),
            subject_id: self.subject_id.clone(),
            subject_set,
        }
    }

    fn with_id(self) -> RelationshipModel {
        let id = tuple_id(&self.tuple());
        RelationshipModel { id: Some(id), ..self }
    }
}

/// A part of a tuple that may hold any text (an object, a subject ID), in
/// the ID: `#` would end it early or make a subject ID read as a subject
/// set, so it is written `%23`, and `%` itself `%25`. Namespaces and
/// relations hold neither (see `validators::tuple_name`).
fn escaped(part: &str) -> String {
    part.replace('%', "%25").replace('#', "%23")
}

fn unescaped(part: &str) -> String {
    part.replace("%23", "#").replace("%25", "%")
}

/// A tuple's ID: Keto's notation, unambiguous ([`escaped`]), so that every
/// tuple has one ID and every ID reads back as its tuple.
pub(crate) fn tuple_id(tuple: &Relationship) -> String {
    let subject = match (&tuple.subject_id, &tuple.subject_set) {
        (Some(id), _) => escaped(id),
        (None, Some(set)) => format!("{}:{}#{}", set.namespace, escaped(&set.object), set.relation),
        (None, None) => String::new(),
    };
    format!("{}:{}#{}@{subject}", tuple.namespace, escaped(&tuple.object), tuple.relation)
}

/// The partial state of a tuple's ID ([`tuple_id`]), or of Keto's own
/// notation (Ory's provider's import ID): a subject with `#` is a subject
/// set, `namespace:object#relation`; anything else a subject ID.
fn parse_tuple(text: &str) -> Option<Value> {
    let (namespace, rest) = text.split_once(':')?;
    let (object, rest) = rest.split_once('#')?;
    let (relation, subject) = rest.split_once('@')?;
    let mut fields =
        vec![("namespace", namespace.to_string()), ("object", unescaped(object)), ("relation", relation.to_string())];
    match subject.split_once('#') {
        Some((set, set_relation)) => {
            let (set_namespace, set_object) = set.split_once(':')?;
            fields.extend([
                ("subject_set_namespace", set_namespace.to_string()),
                ("subject_set_object", unescaped(set_object)),
                ("subject_set_relation", set_relation.to_string()),
            ]);
        }
        None => fields.push(("subject_id", unescaped(subject))),
    }
    fields
        .iter()
        .all(|(_, v)| !v.is_empty())
        .then(|| Value::object(fields.into_iter().map(|(k, v)| (k, Value::String(v)))))
}

/// Unknown namespaces answer 404: on the attribute that names one, with
/// the namespaces the project declares.
async fn unknown_namespace(api: &ProjectApi, m: &RelationshipModel, project: &str) -> Error {
    let declared = api.relationships().namespaces().await.unwrap_or_default();
    let tuple = m.tuple();
    let (attribute, name) = match &tuple.subject_set {
        Some(set) if declared.contains(&tuple.namespace) => {
            (attr!(RelationshipModel, subject_set_namespace), set.namespace.clone())
        }
        _ => (attr!(RelationshipModel, namespace), tuple.namespace.clone()),
    };
    let declared = match declared.as_slice() {
        [] => "none".to_string(),
        names => names.iter().map(|n| format!("{n:?}")).collect::<Vec<_>>().join(", "),
    };
    Error::on(
        attribute,
        "Unknown namespace",
        format!(
            "The permission model of {project} declares no namespace {name:?} (it declares: {declared}), so Ory Keto refuses the relationship {tuple}. Nothing was written. Declare the namespace (ory_permission_model) and make this resource depend on it."
        ),
    )
}

pub struct RelationshipResource;

impl Declared for RelationshipResource {
    fn reaches(&self) -> Reaches {
        Reaches::Servers(&[Server::KetoRead, Server::KetoWrite])
    }

    type Model = RelationshipModel;

    fn type_name(&self) -> &'static str {
        "ory_relationship"
    }

    fn summary(&self) -> &'static str {
        "a relation tuple"
    }

    fn description(&self) -> String {
        "One relationship (relation tuple) of Ory Permissions (Ory Keto): a subject, or everyone in a subject set, has a relation to an object of a namespace. Its namespaces must be declared by the project's permission model (see `ory_permission_model`). Ory cannot change a tuple, so every setting replaces it. The provider reaches the project's own API with a key of that project (see the provider's `project_api_key` and `mint_project_api_keys`).".into()
    }

    fn noun(&self) -> &'static str {
        "relationship"
    }

    fn describe(&self, m: &RelationshipModel) -> String {
        format!("relationship {}", m.tuple())
    }

    fn validate(&self, config: &RelationshipModel, diags: &mut Diagnostics) {
        crate::provider::framework::project_keys::check_credentials(
            &config.project_slug,
            &config.project_api_key,
            diags,
        );
        let set = [&config.subject_set_namespace, &config.subject_set_object, &config.subject_set_relation];
        let unknown = |name: &str| config.unknown.contains(name);
        if ["subject_id"].iter().chain(&SUBJECT_SET).any(|name| unknown(name)) {
            return;
        }
        let given = set.iter().filter(|v| v.is_some()).count();
        if given != 0 && given != 3 {
            let missing =
                SUBJECT_SET.iter().zip(set).find(|(_, v)| v.is_none()).map(|(name, _)| *name).unwrap_or_default();
            diags.attr_error(
                missing,
                "Incomplete subject set",
                "A subject set needs all of subject_set_namespace, subject_set_object and subject_set_relation.",
            );
        } else if config.subject_id.is_some() == (given == 3) {
            diags.attr_error(
                attr!(RelationshipModel, subject_id),
                "Set subject_id or a subject set",
                "Set either subject_id, or the three subject_set_* attributes: not both, and not neither.",
            );
        }
    }
}

#[async_trait]
impl TypedResource for RelationshipResource {
    async fn find(&self, _: &OryClient, place: &Place<'_>, finds: &mut Finds) -> Result<(), crate::console::Error> {
        let Place::Project(at @ InProject { api: Some(api), .. }) = place else { return Ok(()) };
        for namespace in api.relationships().namespaces().await? {
            let query = crate::project_api::TupleQuery { namespace: &namespace, ..Default::default() };
            for tuple in api.relationships().list(&query).await? {
                let named = format!("{} {} {} {}", at.name(), tuple.namespace, tuple.object, tuple.relation);
                finds.add(Found::new(named, format!("{}/{}", at.id(), tuple_id(&tuple))));
            }
        }
        Ok(())
    }

    fn import_id(&self) -> ImportId {
        ImportId::OwnedParsed {
            owner: attr!(RelationshipModel, project_id),
            default: Setting::ProjectId,
            parse: parse_tuple,
            help: "<namespace>:<object>#<relation>@<subject_id or namespace:object#relation>",
        }
    }

    /// A tuple found after a lost answer may be anyone's: never adopted.
    fn adoptable(&self) -> bool {
        false
    }

    /// Two resources of one configuration writing one tuple would each
    /// delete the other's: refused before anything is sent.
    async fn plan(&self, client: &OryClient, plan: &mut Plan<'_, RelationshipModel>) -> Result<(), Error> {
        let planned = plan.planned.to_value();
        let placed = ["project_id", "namespace", "object", "relation", "subject_id"]
            .iter()
            .chain(&SUBJECT_SET)
            .all(|name| !planned.attr(name).is_unknown());
        if !placed {
            return Ok(());
        }
        plan.planned = plan.planned.clone().with_id();
        let tuple = plan.planned.id.clone().unwrap_or_default();
        let part = Part::entry(
            format!("the relationship {tuple}"),
            Entry { label: tuple.clone(), key: tuple.clone(), key_of: KeyOf::Made("nothing", |_| None) },
        );
        let project = plan.planned.project().unwrap_or("the provider's project").to_string();
        client.claims.claim(&project, &part, &format!("ory_relationship {tuple}"), !plan.replacing.is_empty())
    }

    /// Writes the tuple unless it exists already: a tuple is shared by
    /// whoever wrote it, so one made outside this resource is the user's to
    /// import, never silently taken over.
    async fn create(
        &self,
        client: &OryClient,
        planned: RelationshipModel,
        _: &mut Diagnostics,
    ) -> Result<RelationshipModel, Error> {
        let api = client.api_of(&planned).await?;
        let tuple = planned.tuple();
        let project = planned
            .project()
            .map_or("the provider's project or self-hosted servers".to_string(), |p| format!("project {p}"));
        match api.relationships().exists(&tuple).await {
            Ok(true) => {
                return Err(Error::refused(
                    "It exists already",
                    format!("The relationship {tuple} exists already in {project}. Nothing was written. To manage it with this resource, import it: terraform import <address> '{}'.", tuple_id(&tuple)),
                ))
            }
            Ok(false) => {}
            Err(e) if e.is_not_found() => return Err(unknown_namespace(&api, &planned, &project).await),
            Err(e) => return Err(e.into()),
        }
        match api.relationships().create(&tuple).await {
            Ok(_) => Ok(planned.with_id()),
            Err(e) if e.is_not_found() => Err(unknown_namespace(&api, &planned, &project).await),
            Err(e) => Err(e.into()),
        }
    }

    async fn read(
        &self,
        client: &OryClient,
        state: RelationshipModel,
        notes: &mut Diagnostics,
    ) -> Result<Option<RelationshipModel>, Error> {
        let api = client.api_of(&state).await?;
        match api.relationships().listed(&state.tuple()).await {
            Ok(found) => Ok(found.then(|| state.with_id())),
            Err(e) if e.is_not_found() => {
                notes.warning(
                    "Namespace no longer declared",
                    format!("The permission model no longer declares namespace {:?}, so the relationship {} cannot be read: it is planned anew.", state.namespace.as_deref().unwrap_or_default(), state.tuple()),
                );
                Ok(None)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Every attribute replaces: nothing gets here but the state itself.
    async fn update(
        &self,
        _client: &OryClient,
        _prior: RelationshipModel,
        planned: RelationshipModel,
        _: &mut Diagnostics,
    ) -> Result<RelationshipModel, Error> {
        Ok(planned.with_id())
    }

    async fn delete(&self, client: &OryClient, prior: RelationshipModel, notes: &mut Diagnostics) -> Result<(), Error> {
        let api = client.api_of(&prior).await?;
        match api.relationships().delete(&prior.tuple()).await {
            Err(e) if e.is_not_found() => {
                notes.warning(
                    "Namespace no longer declared",
                    format!("The permission model no longer declares namespace {:?}: Ory Keto keeps the relationship {} out of reach until it is declared again. It was removed from the state.", prior.namespace.as_deref().unwrap_or_default(), prior.tuple()),
                );
                Ok(())
            }
            other => Ok(other?),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keto_notation_round_trips() {
        for text in ["Document:doc-1#viewers@alice@example.com", "Document:doc-1#viewers@Group:eng#members"] {
            let m = RelationshipModel::from_value(&parse_tuple(text).unwrap());
            assert_eq!(m.tuple().to_string(), text);
            assert_eq!(tuple_id(&m.tuple()), text);
        }
        assert!(parse_tuple("Document:doc-1#viewers@").is_none());
        assert!(parse_tuple("doc-1#viewers@alice").is_none());
    }

    #[test]
    fn a_subject_id_that_reads_as_a_subject_set_has_an_id_of_its_own() {
        let tuple = |object: &str, subject_id: Option<&str>, set: Option<(&str, &str, &str)>| Relationship {
            namespace: "Document".into(),
            object: object.into(),
            relation: "viewers".into(),
            subject_id: subject_id.map(String::from),
            subject_set: set.map(|(namespace, object, relation)| SubjectSet {
                namespace: namespace.into(),
                object: object.into(),
                relation: relation.into(),
            }),
        };
        let cases = [
            tuple("doc", Some("default:eng#members"), None),
            tuple("doc", None, Some(("default", "eng", "members"))),
            tuple("a#b:c@d", Some("50%23 off #1"), None),
            tuple("%23", None, Some(("Group", "x#y%", "members"))),
            tuple("q\"uote ${x} */ # end", Some("invoice\u{202e}gpj.exe"), None),
        ];
        let ids: std::collections::BTreeSet<String> = cases.iter().map(tuple_id).collect();
        assert_eq!(ids.len(), cases.len(), "{ids:?}");
        for case in &cases {
            let read = RelationshipModel::from_value(&parse_tuple(&tuple_id(case)).unwrap()).tuple();
            assert_eq!(read.to_string(), case.to_string());
            assert_eq!(read.subject_id, case.subject_id);
        }
    }
}
