//! The model of `ory_project_config`: its JSON attributes by service, CORS,
//! the flat attributes, and the partial document they make together.

use std::collections::BTreeMap;

use serde_json::{json, Value as Json};

use crate::console::{self, Project};
use crate::plugin::{AttributePath, Diagnostic, Diagnostics};
use crate::provider::client::Setting;
use crate::provider::document::flat::{self, FlatValues};
use crate::provider::document::slice::Part;
use crate::provider::document::{self, is_secret_document, without_secrets, SECRET_DOCUMENTS, SECRET_PATHS};
use crate::provider::errors::Error;
use crate::provider::model::{attr, computed, model, optional, optional_computed, Fallback, Field};
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

pub(super) fn secret_path_list() -> String {
    let strings = SECRET_PATHS.iter().map(|p| format!("`{p}`"));
    let documents = SECRET_DOCUMENTS.iter().map(|p| format!("`{p}` (a list or object, as JSON: `jsonencode([...])`)"));
    strings.chain(documents).collect::<Vec<_>>().join(", ")
}

/// The pointers of what a partial document writes whole: every value that
/// is not an object (lists are written whole). An object only holds keys,
/// compared one by one: an empty one writes nothing.
pub(super) fn leaves(wanted: &Json, at: &str, parts: &mut Vec<Part>) {
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
pub(super) struct ServiceConfig<'m> {
    pub(super) attr: &'static str,
    pub(super) pointer: &'static str,
    pub(super) text: &'m Option<String>,
}

impl ProjectConfigModel {
    pub(super) fn project(&self) -> &str {
        self.project_id.as_deref().unwrap_or_default()
    }

    pub(super) fn services(&self) -> [ServiceConfig<'_>; 4] {
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

    pub(super) fn corses(&self) -> [(&'static str, &Option<CorsModel>); 2] {
        [
            (attr!(ProjectConfigModel, cors_public), &self.cors_public),
            (attr!(ProjectConfigModel, cors_admin), &self.cors_admin),
        ]
    }

    /// Each key a configuration writes, with the attribute that writes it.
    pub(super) fn writes(&self) -> Vec<(&'static str, String)> {
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
    pub(super) fn refuse_overlaps(&self, diags: &mut Diagnostics) {
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
    pub(super) fn refuse_hook_config_without_hook(&self, diags: &mut Diagnostics) {
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
    pub(super) fn all_secrets(&self) -> impl Iterator<Item = (&'static str, &String, &String)> {
        let kept = self.secrets.iter().flatten().map(|(k, v)| (attr!(ProjectConfigModel, secrets), k, v));
        let write_only = self.secrets_wo.iter().flatten().map(|(k, v)| (attr!(ProjectConfigModel, secrets_wo), k, v));
        kept.chain(write_only)
    }

    /// The partial project document this resource wants: the written keys,
    /// and the secrets when `with_secrets`.
    pub(super) fn wanted(&self, with_secrets: bool) -> Result<Json, Error> {
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
    pub(super) fn with(&self, project: &Project, as_planned: bool) -> Result<ProjectConfigModel, Error> {
        let live = project.document();
        // A state without a revision was imported (or written by Ory's own
        // provider): its flat attributes take Ory's whole values.
        let imported = self.revision_id.is_none();
        let mut next = self.clone();
        next.id = Some(project.id.to_string());
        next.project_id = Some(project.id.to_string());
        next.revision_id = project.revision_id.as_ref().map(ToString::to_string);
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
pub(super) fn place<'d>(doc: &'d mut Json, pointer: &str) -> &'d mut Json {
    pointer.split('/').skip(1).fold(doc, |here, segment| &mut here[segment])
}

/// What a refused change becomes: Ory's reason, on the attribute whose
/// keys the refused operation changed. A secret it echoes is hidden where
/// every diagnostic is (`plugin::secrets`).
pub(super) fn refused(e: console::Error, project: &str, planned: &ProjectConfigModel) -> Error {
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
