//! `ory_email_template`: one courier email template of a project, the value
//! at `courier.templates.<type>.<variant>.email`: a subject and two bodies,
//! written as text and sent as `base64://` URLs.

use serde_json::{json, Value as Json};

use crate::plugin::{Diagnostics, Value};
use crate::provider::adoption::{Finds, Found, InProject};
use crate::provider::client::Setting;
use crate::provider::document::slice::placed;
use crate::provider::document::slice::{Part, Slice};
use crate::provider::document::{escape, inline, paths};
use crate::provider::enums::{EmailTemplateType, EmailTemplateVariant, VALID_ONLY_TEMPLATES};
use crate::provider::model::{attr, computed, model, optional, optional_computed, required, Fallback};
use crate::provider::typed::{Declared, Plan};
use crate::provider::validators;

const DEFAULT_VARIANT: &str = "valid";

model! {
    pub struct EmailTemplateModel {
        id: String = computed("`<project_id>/<template_type>/<variant>`, the import ID."),
        project_id: String = optional_computed(
            "The project. Defaults to the provider's `project_id`. Changing it replaces the template."
        )
        .check(validators::uuid)
        .default(Fallback::Provider(Setting::ProjectId))
        .force_new(),
        template_type: String = required("Which email: `recovery_code`, `verification_code`, `login_code`, `registration_code`, or the link flows' `recovery` and `verification`; or, as Ory's provider writes it, the type and variant in one word (`recovery_code_valid`). Changing it replaces the template.")
            .check(template_type)
            .force_new(),
        variant: String = optional_computed(&format!(
            "`valid`, the email to a known address, or `invalid`, the one to an address no identity has (recovery and verification only). Defaults to `{DEFAULT_VARIANT}`, or the variant `template_type` names. Changing it replaces the template."
        ))
        .one_of(EmailTemplateVariant::NAMES)
        .force_new(),
        subject: String = optional("The subject, as text (a Go template). Left out: Ory's subject for this email.").same_when(inline::same_body),
        body_html: String = required("The HTML body, as text (a Go template).").same_when(inline::same_body),
        body_plaintext: String = required("The plain-text body, as text (a Go template).").same_when(inline::same_body),
    }
}

placed!(EmailTemplateModel);

impl EmailTemplateModel {
    fn project(&self) -> &str {
        self.project_id.as_deref().unwrap_or_default()
    }

    /// The template's type and variant, from `template_type` alone when it
    /// names both (`recovery_code_valid`).
    fn kind(&self) -> (&str, &str) {
        let written = self.template_type.as_deref().unwrap_or_default();
        match combined(written) {
            Some((kind, variant)) => (kind, variant),
            None => (written, self.variant.as_deref().unwrap_or(DEFAULT_VARIANT)),
        }
    }
}

/// A type and variant in one word, as Ory's provider names templates.
fn combined(text: &str) -> Option<(&str, &str)> {
    let (kind, variant) = text.rsplit_once('_')?;
    (EmailTemplateType::NAMES.contains(&kind) && EmailTemplateVariant::NAMES.contains(&variant))
        .then_some((kind, variant))
}

fn template_type(text: &str) -> Result<(), String> {
    if EmailTemplateType::NAMES.contains(&text) || combined(text).is_some() {
        return Ok(());
    }
    Err(format!(
        "must be one of {}, or one of them with its variant (recovery_code_valid, recovery_code_invalid, ...); got {text:?}.",
        EmailTemplateType::NAMES.join(", ")
    ))
}

/// Which attribute writes which pointer of the template.
const ENTRY_ATTRIBUTES: &[(&str, &str)] =
    &[("/subject", "subject"), ("/body/html", "body_html"), ("/body/plaintext", "body_plaintext")];

pub struct EmailTemplateResource;

impl Declared for EmailTemplateResource {
    type Model = EmailTemplateModel;

    fn type_name(&self) -> &'static str {
        "ory_email_template"
    }

    fn summary(&self) -> &'static str {
        "a courier email template"
    }

    fn description(&self) -> String {
        "One courier email template of a project: its subject and HTML and plain-text bodies, written as text. Destroy removes it from the project's configuration, so that Ory sends its built-in template again.".into()
    }

    fn noun(&self) -> &'static str {
        "email template"
    }

    fn describe(&self, m: &EmailTemplateModel) -> String {
        let (kind, variant) = m.kind();
        format!("the {variant} {kind} email template of project {}", m.project())
    }

    fn validate(&self, c: &EmailTemplateModel, diags: &mut Diagnostics) {
        if let (Some((_, named)), Some(variant)) = (c.template_type.as_deref().and_then(combined), c.variant.as_deref())
        {
            if named != variant {
                diags.attr_error(
                    attr!(EmailTemplateModel, variant),
                    "Two variants",
                    format!("template_type names the {named} variant, and variant is {variant:?}: leave variant out, or make them one."),
                );
            }
        }
        if let (kind, "invalid") = c.kind() {
            if VALID_ONLY_TEMPLATES.contains(&kind) {
                diags.attr_error(
                    attr!(EmailTemplateModel, variant),
                    "Invalid variant",
                    format!("{kind} emails go to known addresses only: it has no \"invalid\" template."),
                );
            }
        }
        let texts = [
            (attr!(EmailTemplateModel, subject), &c.subject),
            (attr!(EmailTemplateModel, body_html), &c.body_html),
            (attr!(EmailTemplateModel, body_plaintext), &c.body_plaintext),
        ];
        for (name, text) in texts {
            if text.as_deref().is_some_and(|t| t.trim().is_empty()) {
                diags.attr_error(name, format!("Empty {name}"), format!("{name} is empty; an email needs it."));
            }
        }
    }
}

/// `<template_type>/<variant>`, or both in one word as Ory's provider
/// writes them (`recovery_code_valid`).
fn own_form(own: &str) -> Option<Value> {
    match own.split_once('/') {
        Some((kind, variant)) => template(kind, variant),
        None => EmailTemplateResource::parse_bare(own),
    }
}

fn template(kind: &str, variant: &str) -> Option<Value> {
    (EmailTemplateType::NAMES.contains(&kind) && EmailTemplateVariant::NAMES.contains(&variant))
        .then(|| Value::object([("template_type", Value::string(kind)), ("variant", Value::string(variant))]))
}

impl Slice for EmailTemplateResource {
    fn found(&self, at: &InProject<'_>, finds: &mut Finds) {
        let Some(Json::Object(templates)) = at.document.pointer(paths::COURIER_TEMPLATES) else { return };
        for (kind, variants) in templates {
            for (variant, template) in variants.as_object().into_iter().flatten() {
                if template.get("email").is_some_and(|e| !e.is_null()) {
                    let import_id = format!("{}/{kind}/{variant}", at.id());
                    finds.add(Found::new(format!("{} {kind} {variant}", at.name()), import_id));
                }
            }
        }
    }

    const THE: &'static str = "the email template";
    const PLACED_BY: &'static [&'static str] = &["project_id", "template_type", "variant"];
    const ATTRIBUTES: &'static [(&'static str, &'static str)] = ENTRY_ATTRIBUTES;
    const IMPORT_FORM: &'static str =
        "<project_id>/<template_type>/<variant>, such as <project_id>/recovery_code/valid (or <project_id>/recovery_code_valid)";

    fn parse_import(id: &str) -> Option<Value> {
        let (project, own) = id.split_once('/')?;
        let mut partial = validators::is_uuid(project).then(|| own_form(own))??;
        partial.set_attr("project_id", Value::string(project));
        Some(partial)
    }

    const BARE_FORM: Option<&'static str> = Some("<template_type>_<variant>, such as recovery_code_valid");

    /// Ory's provider's import ID: the template type and variant in one word.
    fn parse_bare(id: &str) -> Option<Value> {
        let (kind, variant) = id.rsplit_once('_')?;
        template(kind, variant)
    }

    fn import_id(&self, m: &EmailTemplateModel) -> String {
        let (kind, variant) = m.kind();
        format!("{}/{kind}/{variant}", m.project())
    }

    fn part(&self, m: &EmailTemplateModel) -> Part {
        let (kind, variant) = m.kind();
        Part::at(format!("{}/{}/{}/email", paths::COURIER_TEMPLATES, escape(kind), escape(variant)))
    }

    fn value(&self, m: &EmailTemplateModel, _: Option<&EmailTemplateModel>) -> Json {
        let text = |t: &Option<String>| inline::sent(t.as_deref().unwrap_or_default());
        let mut email = json!({ "body": { "html": text(&m.body_html), "plaintext": text(&m.body_plaintext) } });
        if m.subject.is_some() {
            email["subject"] = json!(text(&m.subject));
        }
        email
    }

    /// The variant is known at plan time: the written one, the one
    /// `template_type` names, or the default.
    fn plan(&self, plan: &mut Plan<'_, EmailTemplateModel>) {
        let variant = plan.planned.kind().1.to_string();
        plan.planned.variant = Some(variant);
        plan.planned.unknown.remove(attr!(EmailTemplateModel, variant));
    }

    /// Each text as `m` wrote it when it is what Ory holds.
    fn shown(&self, m: &EmailTemplateModel, project: &str, live: &Json, _: &Json) -> EmailTemplateModel {
        let seen = |mine: &Option<String>, pointer: &str| {
            inline::seen(mine.as_deref(), live.pointer(pointer).and_then(Json::as_str))
        };
        EmailTemplateModel {
            project_id: Some(project.to_string()),
            template_type: m.template_type.clone(),
            variant: Some(m.kind().1.to_string()),
            // Left out of the configuration, the subject is Ory's; an
            // import (no body yet) reads it.
            subject: (m.subject.is_some() || m.body_html.is_none()).then(|| seen(&m.subject, "/subject")).flatten(),
            body_html: seen(&m.body_html, "/body/html"),
            body_plaintext: seen(&m.body_plaintext, "/body/plaintext"),
            ..EmailTemplateModel::default()
        }
    }
}
