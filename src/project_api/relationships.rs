//! A project's relationships (Ory Keto's relation tuples):
//! `api.relationships()`. A tuple has no ID: it is what it says, so it is
//! written, found and deleted by its fields. Keto has no update.

use std::collections::HashSet;

use reqwest::Method;
use serde::{Deserialize, Serialize};

use super::endpoint::{within_bounds, Endpoint};
use super::Error;

const TUPLES: &str = "/relation-tuples";
const ADMIN_TUPLES: &str = "/admin/relation-tuples";
/// Keto's largest page (UNVERIFIED on Ory Network; Keto's default is 100).
const PAGE_SIZE: usize = 1000;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SubjectSet {
    pub namespace: String,
    pub object: String,
    pub relation: String,
}

/// One relation tuple: `namespace:object#relation@subject`, the subject an
/// ID or a set (`namespace:object#relation`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Relationship {
    pub namespace: String,
    pub object: String,
    pub relation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_set: Option<SubjectSet>,
}

impl std::fmt::Display for Relationship {
    /// Keto's own notation, `namespace:object#relation@subject`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}#{}@", self.namespace, self.object, self.relation)?;
        match (&self.subject_id, &self.subject_set) {
            (Some(id), _) => f.write_str(id),
            (None, Some(set)) => write!(f, "{}:{}#{}", set.namespace, set.object, set.relation),
            (None, None) => Ok(()),
        }
    }
}

impl Relationship {
    /// The query that matches this tuple alone.
    fn query(&self) -> Vec<(&'static str, &str)> {
        let mut query =
            vec![("namespace", self.namespace.as_str()), ("object", &self.object), ("relation", &self.relation)];
        match (&self.subject_id, &self.subject_set) {
            (Some(id), _) => query.push(("subject_id", id)),
            (None, Some(set)) => query.extend([
                ("subject_set.namespace", set.namespace.as_str()),
                ("subject_set.object", &set.object),
                ("subject_set.relation", &set.relation),
            ]),
            (None, None) => {}
        }
        query
    }
}

/// Which tuples a listing wants: a namespace, and optionally an object and a relation.
#[derive(Clone, Debug, Default)]
pub struct TupleQuery<'q> {
    pub namespace: &'q str,
    pub object: Option<&'q str>,
    pub relation: Option<&'q str>,
}

#[derive(Deserialize)]
struct Page {
    #[serde(default)]
    relation_tuples: Vec<Relationship>,
    #[serde(default)]
    next_page_token: String,
}

#[derive(Deserialize)]
struct Namespaces {
    #[serde(default)]
    namespaces: Vec<Namespace>,
}

#[derive(Deserialize)]
struct Namespace {
    name: String,
}

/// The relationships of one project.
pub struct Relationships<'a> {
    /// Keto's read API: queries, namespaces, and the shared listings.
    read: Endpoint<'a>,
    /// Keto's write API.
    write: Endpoint<'a>,
}

fn listing_key(namespace: &str) -> String {
    format!("{TUPLES}?namespace={}", crate::http::segment(namespace))
}

fn with_query(path: &str, query: &[(&str, &str)]) -> String {
    format!("{path}?{}", serde_urlencoded::to_string(query).unwrap_or_default())
}

impl<'a> Relationships<'a> {
    pub(super) fn new(read: Endpoint<'a>, write: Endpoint<'a>) -> Relationships<'a> {
        Relationships { read, write }
    }

    /// Writes a tuple; one that exists already stays as it is.
    pub async fn create(&self, tuple: &Relationship) -> Result<Relationship, Error> {
        let made = self.write.send("createRelationship", Method::PUT, ADMIN_TUPLES, Some(tuple)).await;
        self.read.forget_listing(&listing_key(&tuple.namespace));
        made
    }

    /// Whether the project holds `tuple`, for a refresh: through the
    /// process's shared listing of its namespace (every page, single flight,
    /// dropped by every write), so a refresh of N tuples costs ⌈N/1000⌉
    /// calls per namespace; a tuple the listing does not show is confirmed
    /// by [`Relationships::exists`].
    pub async fn listed(&self, tuple: &Relationship) -> Result<bool, Error> {
        let fetch = async {
            let all =
                within_bounds(self.list(&TupleQuery { namespace: &tuple.namespace, ..TupleQuery::default() }).await)?;
            Ok(all.map(|all| all.into_iter().collect::<HashSet<_>>()))
        };
        let listed = self.read.transport()?.shared(&listing_key(&tuple.namespace), fetch).await?;
        if listed.as_ref().as_ref().is_some_and(|all| all.contains(tuple)) {
            return Ok(true);
        }
        self.exists(tuple).await
    }

    /// Whether the project holds `tuple`: one query for it alone.
    pub async fn exists(&self, tuple: &Relationship) -> Result<bool, Error> {
        let path = with_query(TUPLES, &tuple.query());
        let page: Page = self.read.send::<(), _>("getRelationships", Method::GET, &path, None).await?;
        Ok(page.relation_tuples.contains(tuple))
    }

    /// Deletes a tuple; one already gone is not an error.
    pub async fn delete(&self, tuple: &Relationship) -> Result<(), Error> {
        let path = with_query(ADMIN_TUPLES, &tuple.query());
        let deleted = self.write.send_empty("deleteRelationships", Method::DELETE, &path).await;
        self.read.forget_listing(&listing_key(&tuple.namespace));
        deleted
    }

    /// Every tuple `query` matches, following every page.
    pub async fn list(&self, query: &TupleQuery<'_>) -> Result<Vec<Relationship>, Error> {
        let page_size = PAGE_SIZE.to_string();
        let mut fixed = vec![("namespace", query.namespace), ("page_size", page_size.as_str())];
        fixed.extend(query.object.map(|o| ("object", o)));
        fixed.extend(query.relation.map(|r| ("relation", r)));
        let transport = self.read.transport()?;
        let mut pages = crate::http::pages::Pages::new("getRelationships", transport.call_budget());
        let (mut all, mut token) = (Vec::new(), String::new());
        loop {
            let mut params = fixed.clone();
            params.push(("page_token", &token));
            let page: Page = pages.fetch(transport, &with_query(TUPLES, &params)).await?;
            all.extend(page.relation_tuples);
            match pages.next(!page.next_page_token.is_empty(), page.next_page_token)? {
                Some(next) => token = next,
                None => return Ok(all),
            }
        }
    }

    /// The namespaces the project's permission model declares.
    pub async fn namespaces(&self) -> Result<Vec<String>, Error> {
        let listed: Namespaces =
            self.read.send::<(), _>("listRelationshipNamespaces", Method::GET, "/namespaces", None).await?;
        Ok(listed.namespaces.into_iter().map(|n| n.name).collect())
    }
}
