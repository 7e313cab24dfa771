//! `ory_relationships`: the relationships of a namespace of a project (Ory
//! Keto), optionally of one object and one relation, every page of them.

use async_trait::async_trait;

use crate::project_api::Server;
use crate::project_api::{Relationship, TupleQuery};
use crate::provider::client::{OryClient, Setting};
use crate::provider::errors::Error;
use crate::provider::framework::self_hosted::Reaches;
use crate::provider::model::{computed, model, names, optional, optional_computed, required, Fallback};
use crate::provider::typed::{Declared, TypedDataSource};
use crate::provider::validators;

model! {
    pub struct RelationshipItem {
        id: String = computed("The tuple in Keto's notation, `namespace:object#relation@subject`."),
        namespace: String = computed("Its namespace."),
        object: String = computed("Its object."),
        relation: String = computed("Its relation."),
        subject_id: String = computed("Its subject, when it is one ID."),
        subject_set_namespace: String = computed("The namespace of its subject set, when it has one."),
        subject_set_object: String = computed("The object of its subject set."),
        subject_set_relation: String = computed("The relation of its subject set."),
    }
}

impl From<Relationship> for RelationshipItem {
    fn from(t: Relationship) -> Self {
        let id = t.to_string();
        let set = t.subject_set;
        RelationshipItem {
            id: Some(id),
            namespace: Some(t.namespace),
            object: Some(t.object),
            relation: Some(t.relation),
            subject_id: t.subject_id,
            subject_set_namespace: set.as_ref().map(|s| s.namespace.clone()),
            subject_set_object: set.as_ref().map(|s| s.object.clone()),
            subject_set_relation: set.map(|s| s.relation),
            ..Default::default()
        }
    }
}

model! {
    pub struct RelationshipsListing {
        project_id: String = optional_computed(
            "The project. Defaults to the provider's `project_id`; with neither, the provider's `project_slug` and `project_api_key`."
        )
        .check(validators::uuid)
        .default(Fallback::ProviderIfSet(Setting::ProjectId)),
        namespace: String = required("The namespace, one the project's permission model declares.").check(validators::tuple_name),
        object: String = optional("Only the relationships of this object.").check(validators::tuple_part),
        relation: String = optional("Only those of this relation.").check(validators::tuple_name),
        relationships: Vec<RelationshipItem> = computed(&format!(
            "The relationships, every page of them: {}.",
            names::<RelationshipItem>()
        )),
    }
}

pub struct RelationshipsData;

impl Declared for RelationshipsData {
    fn reaches(&self) -> Reaches {
        Reaches::Servers(&[Server::KetoRead])
    }

    type Model = RelationshipsListing;

    fn type_name(&self) -> &'static str {
        "ory_relationships"
    }

    fn summary(&self) -> &'static str {
        "the relationships of a namespace"
    }

    fn description(&self) -> String {
        "Lists the relationships (relation tuples, Ory Keto) of a namespace of a project, optionally of one object and one relation, every page of them.".into()
    }

    fn noun(&self) -> &'static str {
        "relationships"
    }

    fn describe(&self, c: &RelationshipsListing) -> String {
        format!("the relationships of namespace {:?}", c.namespace.as_deref().unwrap_or_default())
    }
}

#[async_trait]
impl TypedDataSource for RelationshipsData {
    async fn read(&self, client: &OryClient, config: RelationshipsListing) -> Result<RelationshipsListing, Error> {
        let api = client.project_api(config.project_id.as_deref()).await?;
        let namespace = config.namespace.as_deref().unwrap_or_default();
        let query = TupleQuery { namespace, object: config.object.as_deref(), relation: config.relation.as_deref() };
        let found = match api.relationships().list(&query).await {
            Err(e) if e.is_not_found() => {
                let declared = api.relationships().namespaces().await.unwrap_or_default();
                return Err(Error::on(
                    "namespace",
                    "Unknown namespace",
                    format!(
                        "The project's permission model declares no namespace {namespace:?} (it declares: {}).",
                        declared.join(", ")
                    ),
                ));
            }
            other => other?,
        };
        Ok(RelationshipsListing {
            relationships: Some(found.into_iter().map(RelationshipItem::from).collect()),
            ..config
        })
    }
}
