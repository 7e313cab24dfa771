//! `ory_project_config`: the keys of a project's configuration that a user
//! writes, and only those (see `document` for the rules). Every change goes
//! through the project document engine (`console::document`).

use std::collections::{BTreeMap, BTreeSet};

mod defaults;

use async_trait::async_trait;
use serde_json::{json, Value as Json};

use crate::console::{self, Project};
use crate::plugin::{AttributePath, Diagnostic, Diagnostics};
use crate::provider::adoption::{Finds, Found, Place};
use crate::provider::client::{OryClient, Setting};
use crate::provider::document::flat::{self, FlatValues};
use crate::provider::document::slice::Part;
use crate::provider::document::{
    self, is_secret, is_secret_document, secrets_in, without_secrets, SECRET_DOCUMENTS, SECRET_PATHS,
};
use crate::provider::errors::Error;
use crate::provider::model::{attr, computed, model, optional, optional_computed, Fallback, Field};
use crate::provider::typed::{Declared, ImportId, Plan, TypedResource};
use crate::provider::validators;

model! {
    pub struct CorsModel {
        enabled: bool = optional("Whether CORS is on. Left out: not managed."),
        origins: Vec<String> = optional(
            "The allowed origins, as one list that replaces Ory's: `*`, or origins such as `https://example.com`; `https://*.example.com` allows every subdomain. Left out: not managed."
        )
        .check(validators::cors_origin),
    }
}

/// A JSON attribute holding keys of one service's configuration.
fn service_keys(what: &str) -> Field {
    optional(&format!("Keys of {what}. {CONFIG_HELP}")).check(validators::json_object).same_when(validators::same_json)
}

const CONFIG_HELP: &str = "Only the keys written here are managed: the plan compares them with the live configuration, whatever their order or spacing, and ignores every other key. An object's keys are managed one by one; any other value, a list included, is managed whole. `null` means the key must be absent. A key no longer written is released and keeps its value.";

model! {
    pub struct ProjectConfigModel {
        id: String = computed("The project's ID."),
        project_id: String = optional_computed(
            "The project whose configuration this manages. Defaults to the provider's `project_id`. Changing it replaces the resource: the old project's configuration is released as it is."
        )
        .check(validators::uuid)
        .default(Fallback::Provider(Setting::ProjectId))
        .force_new(),
        identity_config: String = service_keys("the identity service's configuration (Ory Kratos), as JSON: `jsonencode({ ... })`"),
        oauth2_config: String = service_keys("the OAuth2 service's configuration (Ory Hydra), as JSON"),
        permission_config: String = service_keys("the permission service's configuration (Ory Keto), as JSON"),
        account_experience_config: String = service_keys("the Account Experience's configuration, as JSON"),
        // Blocks, not nested attributes: Terraform before 1.3 crashes on a
        // nested attribute left out of the configuration.
        cors_public: CorsModel = optional("CORS of the public endpoints. Each attribute left out is not managed.").block(),
        cors_admin: CorsModel = optional("CORS of the admin endpoints. Each attribute left out is not managed.").block(),
        secrets: BTreeMap<String, String> = optional(&format!(
            "Secrets inside the configuration, by JSON pointer into the project document, for example `/services/identity/config/courier/smtp/connection_uri`. Sensitive, and kept in the state; see `secrets_wo` to keep them out. The configuration attributes refuse these paths, so that a secret never shows in a plan: {}.",
            secret_path_list()
        ))
        .sensitive(),
        secrets_wo: BTreeMap<String, String> = optional(
            "Like `secrets`, write-only: sent to Ory, never kept in the plan or the state (Terraform 1.11 or later). Terraform cannot see a change of these values: change `secrets_wo_version` to send them again."
        )
        .write_only(),
        secrets_wo_version: String = optional(
            "Any text; changing it sends `secrets_wo` again."
        ),
        revision_id: String = computed("The project's configuration revision after the last read or change.").follows_changes(),
        effective_config: String = computed(
            "The managed keys as Ory Network holds them, as one JSON document shaped like the project (`services.<name>.config`, `cors_public`, `cors_admin`), secrets left out."
        )
        .follows_changes(),
    }
    extra: FlatValues
}

fn secret_path_list() -> String {
    let strings = SECRET_PATHS.iter().map(|p| format!("`{p}`"));
    let documents = SECRET_DOCUMENTS.iter().map(|p| format!("`{p}` (a list or object, as JSON: `jsonencode([...])`)"));
    strings.chain(documents).collect::<Vec<_>>().join(", ")
}

/// The pointers of what a partial document writes whole: every value that
/// is not an object (lists are written whole). An object only holds keys,
/// compared one by one: an empty one writes nothing.
fn leaves(wanted: &Json, at: &str, parts: &mut Vec<Part>) {
    match wanted {
        Json::Object(map) => {
            for (key, value) in map {
                leaves(value, &format!("{at}/{}", document::escape(key)), parts);
            }
        }
        _ => parts.push(Part::valued(at, wanted.clone())),
    }
}

/// A secret's value as it goes into the document: the text, or for a path
/// of [`SECRET_DOCUMENTS`] the list or object that text holds as JSON.
fn secret_value(pointer: &str, text: &str) -> Result<Json, String> {
    if !is_secret_document(pointer) {
        return Ok(Json::String(text.to_string()));
    }
    match serde_json::from_str::<Json>(text) {
        Ok(value @ (Json::Array(_) | Json::Object(_))) => Ok(value),
        _ => Err(format!(
            "the value at {pointer} is a list or an object, written as JSON (jsonencode([...]) or jsonencode({{...}}))"
        )),
    }
}

/// A JSON attribute and the service configuration it holds.
struct ServiceConfig<'m> {
    attr: &'static str,
    pointer: &'static str,
    text: &'m Option<String>,
}

impl ProjectConfigModel {
    fn project(&self) -> &str {
        self.project_id.as_deref().unwrap_or_default()
    }

    fn services(&self) -> [ServiceConfig<'_>; 4] {
        [
            ServiceConfig {
                attr: attr!(ProjectConfigModel, identity_config),
                pointer: "/services/identity/config",
                text: &self.identity_config,
            },
            ServiceConfig {
                attr: attr!(ProjectConfigModel, oauth2_config),
                pointer: "/services/oauth2/config",
                text: &self.oauth2_config,
            },
            ServiceConfig {
                attr: attr!(ProjectConfigModel, permission_config),
                pointer: "/services/permission/config",
                text: &self.permission_config,
            },
            ServiceConfig {
                attr: attr!(ProjectConfigModel, account_experience_config),
                pointer: "/services/account_experience/config",
                text: &self.account_experience_config,
            },
        ]
    }

    fn corses(&self) -> [(&'static str, &Option<CorsModel>); 2] {
        [
            (attr!(ProjectConfigModel, cors_public), &self.cors_public),
            (attr!(ProjectConfigModel, cors_admin), &self.cors_admin),
        ]
    }

    /// Each key a configuration writes, with the attribute that writes it.
    fn writes(&self) -> Vec<(&'static str, String)> {
        let mut writes = Vec::new();
        for service in self.services() {
            let Some(parsed) = service.text.as_deref().and_then(|t| serde_json::from_str::<Json>(t).ok()) else {
                continue;
            };
            let mut parts = Vec::new();
            leaves(&parsed, service.pointer, &mut parts);
            writes.extend(parts.into_iter().map(|part| (service.attr, part.pointer)));
        }
        for (attr, cors) in self.corses() {
            let Some(cors) = cors else { continue };
            if cors.enabled.is_some() {
                writes.push((attr, format!("/{attr}/enabled")));
            }
            if cors.origins.is_some() {
                writes.push((attr, format!("/{attr}/origins")));
            }
        }
        writes.extend(self.all_secrets().map(|(attr, pointer, _)| (attr, pointer.clone())));
        let set = self.extra.0.keys().chain(self.unknown.iter()).filter_map(|name| flat::find(name));
        // A hook switch writes one entry of its list: beside the other
        // switches of that list, inside whatever writes the list whole.
        writes.extend(set.filter_map(|row| {
            let pointer = row.pointer?;
            Some(match row.kind {
                flat::Kind::Hook(hook) => (row.name, format!("{pointer}/#{hook}")),
                // Beside its hook's switch, not inside it.
                flat::Kind::HookConfig(hook, key) => (row.name, format!("{pointer}/#{hook}.{key}")),
                _ => (row.name, pointer.to_string()),
            })
        }));
        writes
    }

    /// A flat attribute writes a key that another attribute also writes
    /// (or one inside it): the two would undo each other.
    fn refuse_overlaps(&self, diags: &mut Diagnostics) {
        let writes = self.writes();
        let within = |a: &str, b: &str| a == b || a.starts_with(&format!("{b}/"));
        for (i, (attr, pointer)) in writes.iter().enumerate() {
            if flat::find(attr).is_none() {
                continue;
            }
            let other = writes.iter().enumerate().find(|(j, (other, theirs))| {
                *j != i
                    && other != attr
                    && (within(pointer, theirs) || within(theirs, pointer))
                    && (flat::find(other).is_none() || *j < i)
            });
            if let Some((_, (other, theirs))) = other {
                diags.push(
                    Diagnostic::error(
                        "One key written twice",
                        format!("{attr} writes {pointer}, and {other} writes {theirs}: the two would undo each other. Set it in one of them."),
                    )
                    .at(AttributePath::attr(attr)),
                );
            }
        }
    }

    /// A hook's config set where its switch does not put the hook in the
    /// list: there would be no entry to hold it.
    fn refuse_hook_config_without_hook(&self, diags: &mut Diagnostics) {
        for (row, value) in self.extra.iter() {
            let flat::Kind::HookConfig(hook, key) = row.kind else { continue };
            if value.as_str().is_none_or(str::is_empty) {
                continue;
            }
            let switch = flat::table().iter().find(|s| s.kind == flat::Kind::Hook(hook) && s.pointer == row.pointer);
            let Some(switch) = switch else { continue };
            let on = self.extra.0.get(switch.name).and_then(|v| v.as_bool());
            if on != Some(true) && !self.unknown.contains(switch.name) {
                diags.push(
                    Diagnostic::error(
                        "Hook setting without its hook",
                        format!(
                            "{} sets the `{key}` of the `{hook}` hook, which only {} = true puts in the list. Set that too, or remove {}.",
                            row.name, switch.name, row.name
                        ),
                    )
                    .at(AttributePath::attr(row.name)),
                );
            }
        }
    }

    /// Every secret to send: `secrets`, then `secrets_wo`.
    fn all_secrets(&self) -> impl Iterator<Item = (&'static str, &String, &String)> {
        let kept = self.secrets.iter().flatten().map(|(k, v)| (attr!(ProjectConfigModel, secrets), k, v));
        let write_only = self.secrets_wo.iter().flatten().map(|(k, v)| (attr!(ProjectConfigModel, secrets_wo), k, v));
        kept.chain(write_only)
    }

    /// The partial project document this resource wants: the written keys,
    /// and the secrets when `with_secrets`.
    fn wanted(&self, with_secrets: bool) -> Result<Json, Error> {
        let mut doc = json!({});
        for service in self.services() {
            let Some(text) = service.text else { continue };
            let config: Json = serde_json::from_str(text).map_err(|e| {
                Error::on(service.attr, "Invalid configuration", format!("{} must be JSON: {e}.", service.attr))
            })?;
            *place(&mut doc, service.pointer) = config;
        }
        for (attr, cors) in self.corses() {
            let Some(cors) = cors else { continue };
            let mut wanted = serde_json::Map::new();
            if let Some(enabled) = cors.enabled {
                wanted.insert("enabled".into(), enabled.into());
            }
            if let Some(origins) = &cors.origins {
                wanted.insert("origins".into(), origins.clone().into());
            }
            doc[attr] = Json::Object(wanted);
        }
        for (row, value) in self.extra.iter() {
            // Hook switches are placed against the live list (`flat::against_live`).
            let (Some(pointer), false) =
                (row.pointer, matches!(row.kind, flat::Kind::Hook(_) | flat::Kind::HookConfig(..)))
            else {
                continue;
            };
            if (row.sensitive || row.write_only) && !with_secrets {
                continue;
            }
            let json = row.to_json(value);
            *place(&mut doc, pointer) = if with_secrets { json } else { without_secrets(&json, pointer) };
        }
        if with_secrets {
            for (attr, pointer, value) in self.all_secrets() {
                // Never quotes the value: it is a secret.
                let value = secret_value(pointer, value).map_err(|problem| {
                    Error::on(attr, "Invalid secret", format!("{attr} key {pointer:?}: {problem}."))
                })?;
                document::put(&mut doc, pointer, value).map_err(|problem| {
                    Error::on(
                        attr,
                        "Secret has no place",
                        format!("{attr} key {pointer:?} cannot be placed: {problem}. A list is one value, so a secret inside a list needs that list written in the configuration attribute."),
                    )
                })?;
            }
        }
        Ok(doc)
    }

    /// The state after a read or a change: the written values as they are
    /// (`as_planned`), or as Ory holds them (a read, which shows drift).
    fn with(&self, project: &Project, as_planned: bool) -> Result<ProjectConfigModel, Error> {
        let live = document::of(project);
        // A state without a revision was imported (or written by Ory's own
        // provider): its flat attributes take Ory's whole values.
        let imported = self.revision_id.is_none();
        let mut next = self.clone();
        next.id = Some(project.id.clone());
        next.project_id = Some(project.id.clone());
        next.revision_id = project.revision_id.clone();
        next.unknown.clear();
        let shape = self.wanted(false)?;
        next.effective_config = Some(without_secrets(&document::view(&live, &shape), "").to_string());
        next.extra.0.retain(|name, _| flat::find(name).is_some_and(|row| !row.write_only));
        if as_planned {
            return Ok(next);
        }
        next.extra = FlatValues(
            next.extra
                .iter()
                .map(|(row, mine)| (row.name, if imported { row.imported(&live) } else { row.read(&live, mine) }))
                .filter(|(_, v)| !v.is_null())
                .collect(),
        );
        let seen = |pointer: &str, text: &Option<String>| -> Option<String> {
            let text = text.as_ref()?;
            let mine: Json = serde_json::from_str(text).ok()?;
            let theirs = live.pointer(pointer).map(|config| without_secrets(&document::view(config, &mine), pointer));
            let theirs = theirs.unwrap_or_else(|| json!({}));
            Some(if validators::same(&theirs, &mine) { text.clone() } else { theirs.to_string() })
        };
        let [identity, oauth2, permission, account_experience] = self.services().map(|s| seen(s.pointer, s.text));
        (next.identity_config, next.oauth2_config, next.permission_config, next.account_experience_config) =
            (identity, oauth2, permission, account_experience);
        let cors_seen = |name: &str, mine: &Option<CorsModel>| {
            mine.as_ref().map(|mine| CorsModel {
                enabled: mine.enabled.and(live[name]["enabled"].as_bool()),
                origins: mine.origins.as_ref().and_then(|_| {
                    live[name]["origins"]
                        .as_array()
                        .map(|o| o.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
                }),
                ..CorsModel::default()
            })
        };
        next.cors_public = cors_seen(attr!(ProjectConfigModel, cors_public), &self.cors_public);
        next.cors_admin = cors_seen(attr!(ProjectConfigModel, cors_admin), &self.cors_admin);
        next.secrets = self.secrets.as_ref().map(|secrets| {
            secrets
                .iter()
                .filter_map(|(pointer, mine)| {
                    let theirs = live.pointer(pointer)?;
                    let text = match theirs {
                        Json::String(text) => text.clone(),
                        // A list or object as the user's JSON text while it means the same.
                        _ if validators::same_json(mine, &theirs.to_string()) => mine.clone(),
                        _ => theirs.to_string(),
                    };
                    Some((pointer.clone(), text))
                })
                .collect()
        });
        Ok(next)
    }
}

/// The slot at `pointer` in a partial document, making objects on the way.
fn place<'d>(doc: &'d mut Json, pointer: &str) -> &'d mut Json {
    pointer.split('/').skip(1).fold(doc, |here, segment| &mut here[segment])
}

/// What a refused change becomes: Ory's reason, on the attribute whose
/// keys the refused operation changed. A secret it echoes is hidden where
/// every diagnostic is (`plugin::secrets`).
fn refused(e: console::Error, project: &str, planned: &ProjectConfigModel) -> Error {
    let console::Error::Rejected { path, .. } = &e else {
        return Error::doing(e, format!("Changing the configuration of project {project}"));
    };
    let Some(path) = path else {
        return Error::refused(
            "Ory Network refused the configuration",
            format!("Changing the configuration of project {project}: {e}. Nothing was changed."),
        );
    };
    // The flat attribute that writes the path or a key inside it; else the
    // service whose configuration the operation changed (an `add` of a
    // whole missing service names only `/services/<name>`), else CORS.
    let flat = planned.extra.iter().filter_map(|(row, _)| Some((row.name, row.pointer?))).find(|(_, pointer)| {
        path.as_str() == *pointer
            || path.starts_with(&format!("{pointer}/"))
            || pointer.starts_with(&format!("{path}/"))
    });
    let attribute = flat
        .map(|(name, _)| name)
        .or_else(|| {
            ProjectConfigModel::default()
                .services()
                .iter()
                .find(|s| path.starts_with(s.pointer.trim_end_matches("/config")))
                .map(|s| s.attr)
        })
        .unwrap_or(if path.starts_with("/cors_admin") {
            attr!(ProjectConfigModel, cors_admin)
        } else {
            attr!(ProjectConfigModel, cors_public)
        });
    Error::Refused(
        Diagnostic::error(
            "Ory Network refused the configuration",
            format!("Changing the configuration of project {project} at {path}: {e}. Nothing was changed."),
        )
        .at(AttributePath::attr(attribute)),
    )
}

pub struct ProjectConfigResource;

impl ProjectConfigResource {
    /// Brings every wanted key to its value with the fewest operations.
    async fn apply(
        &self,
        client: &OryClient,
        planned: ProjectConfigModel,
        notes: &mut Diagnostics,
    ) -> Result<ProjectConfigModel, Error> {
        let project = planned.project().to_string();
        let wanted = planned.wanted(true)?;
        let edited = client
            .console
            .document(&project)
            .edit(|p: &Project, _| {
                let live = document::of(p);
                let mut wanted = wanted.clone();
                flat::against_live(&planned.extra, &live, &mut wanted).map_err(console::Error::InvalidConfig)?;
                Ok::<_, console::Error>(document::patch(&live, &wanted, ""))
            })
            .await
            .map_err(|e| refused(e, &project, &planned))?;
        report(&edited, &wanted, notes);
        planned.with(&edited.project, true)
    }
}

/// Ory's import warnings, and any wanted key that the answer does not show.
fn report(edited: &console::Edited, wanted: &Json, notes: &mut Diagnostics) {
    document::warn(edited, notes);
    let missing: Vec<String> =
        document::patch(&document::of(&edited.project), wanted, "").into_iter().map(|op| op.path).collect();
    if !missing.is_empty() {
        notes.warning(
            "Ory Network did not keep every key",
            format!(
                "The change was accepted, but the project does not show these keys as written: {}. The next plan shows them again.",
                missing.join(", ")
            ),
        );
    }
}

impl Declared for ProjectConfigResource {
    type Model = ProjectConfigModel;

    fn type_name(&self) -> &'static str {
        "ory_project_config"
    }

    fn summary(&self) -> &'static str {
        "the keys of a project's configuration it writes"
    }

    fn description(&self) -> String {
        "Keys of an Ory Network project's configuration: identity, OAuth2, permission and Account Experience settings, and CORS. Only the keys written here are managed; everything else in the project stays as it is, whoever changes it. Destroying this resource releases the keys and leaves the configuration as it is: nothing is reset.\n\nThe keys are written in the JSON attributes (`identity_config`, ...), or in the flat attributes of Ory's official provider (`session_lifespan`, `cors_enabled`, `enable_oidc`, ...), which each write one key; its deprecated names work too. Two attributes that write one key are refused at plan time.".into()
    }

    fn noun(&self) -> &'static str {
        "project configuration"
    }

    fn describe(&self, m: &ProjectConfigModel) -> String {
        format!("the configuration of project {}", m.project())
    }

    fn validate(&self, config: &ProjectConfigModel, diags: &mut Diagnostics) {
        for service in config.services() {
            let Some(parsed) = service.text.as_deref().and_then(|t| serde_json::from_str::<Json>(t).ok()) else {
                continue;
            };
            for pointer in secrets_in(&parsed, service.pointer) {
                diags.push(
                    Diagnostic::error(
                        "Secret in a configuration attribute",
                        format!(
                            "{} holds a secret at {pointer}, which would show in plans in clear. Set it in secrets (sensitive) or secrets_wo (write-only), keyed by {pointer:?}, and leave it out of {}.",
                            service.attr, service.attr
                        ),
                    )
                    .at(AttributePath::attr(service.attr)),
                );
            }
        }
        for (attr, pointer, _) in config.all_secrets() {
            if !is_secret(pointer) {
                diags.push(
                    Diagnostic::error(
                        "Not a secret path",
                        format!(
                            "{attr} key {pointer:?} is not one of the paths treated as secret ({}). Write other keys in the configuration attributes.",
                            secret_path_list()
                        ),
                    )
                    .at(AttributePath::attr(attr)),
                );
            }
        }
        let (kept, write_only) = (config.secrets.iter().flatten(), config.secrets_wo.iter().flatten());
        for (pointer, _) in kept.filter(|(k, _)| write_only.clone().any(|(w, _)| w == *k)) {
            diags.push(
                Diagnostic::error(
                    "Secret set twice",
                    format!("{pointer:?} is in both secrets and secrets_wo; set it in one."),
                )
                .at(AttributePath::attr(attr!(ProjectConfigModel, secrets_wo))),
            );
        }
        config.refuse_overlaps(diags);
        config.refuse_hook_config_without_hook(diags);
        if !diags.has_errors() {
            if let Err(Error::Refused(d)) = config.wanted(true) {
                diags.push(d);
            }
        }
    }
}

const IMPORT_FORM: &str = "<project_id> (managing no key until the configuration writes some), or <project_id>:<key>,<key>,... to manage those keys, each a flat attribute's name (not a sensitive one) or a JSON pointer into the project document under /services/<service>/config, /cors_public or /cors_admin, such as 3fa85f64-5717-4562-b3fc-2c963f66afa6:session_lifespan,/services/oauth2/config/ttl/access_token,/cors_public/origins";

/// The service attribute that holds the keys under each pointer.
const SERVICE_ATTRIBUTES: [(&str, &str); 4] = [
    ("/services/identity/config", "identity_config"),
    ("/services/oauth2/config", "oauth2_config"),
    ("/services/permission/config", "permission_config"),
    ("/services/account_experience/config", "account_experience_config"),
];

/// The partial state of an import ID: the project, and for each pointer
/// listed, the key it names, to be read from the live configuration. A
/// secret's path is refused: secrets are never read back.
fn parse_import(id: &str) -> Option<crate::plugin::Value> {
    let (project, keys) = match id.split_once(':') {
        Some((project, keys)) => (project, keys.split(',').filter(|k| !k.is_empty()).collect()),
        None => (id, Vec::new()),
    };
    if !validators::is_uuid(project) {
        return None;
    }
    let mut services: BTreeMap<&str, Json> = BTreeMap::new();
    let mut model = ProjectConfigModel {
        id: Some(project.to_string()),
        project_id: Some(project.to_string()),
        ..ProjectConfigModel::default()
    };
    for pointer in keys {
        if !pointer.starts_with('/') {
            let row = flat::find(pointer).filter(|row| !row.sensitive && !row.write_only && row.pointer.is_some())?;
            model.extra.0.insert(row.name, row.placeholder());
            continue;
        }
        if SECRET_PATHS.contains(&pointer) || is_secret_document(pointer) {
            return None;
        }
        let cors = |block: &mut Option<CorsModel>, rest: &str| -> Option<()> {
            let cors = block.get_or_insert_with(CorsModel::default);
            match rest {
                "/enabled" => cors.enabled = Some(false),
                "/origins" => cors.origins = Some(Vec::new()),
                _ => return None,
            }
            Some(())
        };
        if let Some(rest) = pointer.strip_prefix("/cors_public") {
            cors(&mut model.cors_public, rest)?;
        } else if let Some(rest) = pointer.strip_prefix("/cors_admin") {
            cors(&mut model.cors_admin, rest)?;
        } else {
            let (prefix, attr) =
                SERVICE_ATTRIBUTES.iter().find(|(prefix, _)| pointer.starts_with(&format!("{prefix}/")))?;
            let rest = &pointer[prefix.len()..];
            *place(services.entry(attr).or_insert_with(|| json!({})), rest) = Json::Null;
        }
    }
    for (attr, shape) in services {
        let text = Some(shape.to_string());
        match attr {
            "identity_config" => model.identity_config = text,
            "oauth2_config" => model.oauth2_config = text,
            "permission_config" => model.permission_config = text,
            _ => model.account_experience_config = text,
        }
    }
    Some(crate::provider::model::Model::to_value(&model))
}

#[async_trait]
impl TypedResource for ProjectConfigResource {
    /// The settings of a project that differ from a new project's.
    async fn find(&self, _: &OryClient, place: &Place<'_>, finds: &mut Finds) -> Result<(), console::Error> {
        let Place::Project(at) = place else { return Ok(()) };
        let changed = defaults::changed_settings(at.document);
        if !changed.is_empty() {
            let import_id = format!("{}:{}", at.id(), changed.join(","));
            finds.add(Found::new(format!("{} config", at.name()), import_id));
        }
        Ok(())
    }

    fn import_id(&self) -> ImportId {
        ImportId::Parsed { parse: parse_import, help: IMPORT_FORM }
    }

    /// Warns when the apply would replace a hook list whose live entries it
    /// does not list: an `ory_action` may own them.
    async fn plan(&self, client: &OryClient, plan: &mut Plan<'_, ProjectConfigModel>) -> Result<(), Error> {
        if let Some(project) = plan.planned.project_id.clone() {
            plan.planned.id = Some(project.clone());
            plan.planned.unknown.remove(attr!(ProjectConfigModel, id));
            // What it writes, so that no action or other resource planned
            // in this run writes the same: each key it writes whole, and
            // each secret's place (write-only ones are in the configuration).
            if let Ok(wanted) = plan.planned.wanted(false) {
                let mut parts = Vec::new();
                leaves(&wanted, "", &mut parts);
                let secrets = [&plan.config.secrets, &plan.config.secrets_wo];
                parts.extend(secrets.into_iter().flatten().flat_map(|m| m.keys()).map(Part::at));
                let hidden = plan.config.extra.iter().filter(|(row, _)| row.sensitive || row.write_only);
                parts.extend(hidden.filter_map(|(row, _)| row.pointer).map(Part::at));
                let hooks: BTreeSet<(&str, &str)> = plan
                    .config
                    .extra
                    .iter()
                    .filter_map(|(row, _)| match (row.kind, row.pointer) {
                        (flat::Kind::Hook(hook) | flat::Kind::HookConfig(hook, _), Some(list)) => Some((list, hook)),
                        _ => None,
                    })
                    .collect();
                parts.extend(hooks.into_iter().map(|(list, hook)| Part::by_key(list, "hook", "hook", hook)));
                let by = format!("ory_project_config of project {project}");
                client.claims.claim_all(&project, &parts, &by, !plan.replacing.is_empty())?;
            }
        }
        let planned = &plan.planned;
        let unchanged = plan.prior.as_ref().is_some_and(|prior| {
            prior.identity_config == planned.identity_config && prior.project_id == planned.project_id
        });
        let (Some(project), Some(_)) = (&planned.project_id, &planned.identity_config) else { return Ok(()) };
        if unchanged {
            return Ok(());
        }
        let Ok(wanted) = planned.wanted(false) else { return Ok(()) };
        let Ok(live) = client.console.projects().get(project).await else { return Ok(()) };
        let live = document::of(&live);
        for op in document::patch(&live, &wanted, "") {
            if !op.path.ends_with("/hooks") {
                continue;
            }
            let listed = op.value.as_ref().and_then(Json::as_array).cloned().unwrap_or_default();
            let dropped: Vec<String> = live
                .pointer(&op.path)
                .and_then(Json::as_array)
                .into_iter()
                .flatten()
                .filter(|hook| {
                    hook["hook"] == "web_hook" && !listed.iter().any(|l| l["config"]["url"] == hook["config"]["url"])
                })
                .filter_map(|hook| hook["config"]["url"].as_str().map(str::to_string))
                .collect();
            if !dropped.is_empty() {
                plan.notes.push(
                    Diagnostic::warning(
                        "A hook list is replaced whole",
                        format!(
                            "identity_config writes the whole list at {}, so the apply removes the web hooks it does not list: {}. If an ory_action manages one of them, the two resources undo each other at every apply; manage that list in one place.",
                            op.path,
                            dropped.join(", ")
                        ),
                    )
                    .at(AttributePath::attr(attr!(ProjectConfigModel, identity_config))),
                );
            }
        }
        Ok(())
    }

    async fn create(
        &self,
        client: &OryClient,
        planned: ProjectConfigModel,
        notes: &mut Diagnostics,
    ) -> Result<ProjectConfigModel, Error> {
        self.apply(client, planned, notes).await
    }

    async fn read(
        &self,
        client: &OryClient,
        state: ProjectConfigModel,
        _: &mut Diagnostics,
    ) -> Result<Option<ProjectConfigModel>, Error> {
        match document::live_project(client, state.project()).await? {
            Some(project) => state.with(&project, false).map(Some),
            None => Ok(None),
        }
    }

    async fn update(
        &self,
        client: &OryClient,
        _prior: ProjectConfigModel,
        planned: ProjectConfigModel,
        notes: &mut Diagnostics,
    ) -> Result<ProjectConfigModel, Error> {
        self.apply(client, planned, notes).await
    }

    /// Releases the keys: the configuration stays as it is.
    async fn delete(&self, _: &OryClient, _: ProjectConfigModel, _: &mut Diagnostics) -> Result<(), Error> {
        Ok(())
    }

    fn imported(&self, state: &mut ProjectConfigModel, _: &mut Diagnostics) {
        state.id = state.project_id.clone();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::model::Model;

    #[test]
    fn an_import_id_lists_the_keys_to_manage_and_never_a_secret() {
        let p = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
        let plain = ProjectConfigModel::from_value(&parse_import(p).unwrap());
        assert_eq!((plain.project_id.as_deref(), plain.identity_config), (Some(p), None));
        let keys = format!("{p}:/services/identity/config/session/lifespan,/services/oauth2/config/ttl/access_token,/cors_public/origins");
        let m = ProjectConfigModel::from_value(&parse_import(&keys).unwrap());
        assert_eq!(m.identity_config.as_deref(), Some(r#"{"session":{"lifespan":null}}"#));
        assert_eq!(m.oauth2_config.as_deref(), Some(r#"{"ttl":{"access_token":null}}"#));
        assert_eq!(m.cors_public.and_then(|c| c.origins), Some(Vec::new()));
        for bad in [
            format!("{p}:/services/identity/config/courier/smtp/connection_uri"),
            format!("{p}:/organizations"),
            format!("{p}:/cors_public/other"),
            "not-a-project:/services/identity/config/session/lifespan".to_string(),
        ] {
            assert!(parse_import(&bad).is_none(), "{bad}");
        }
    }
}
