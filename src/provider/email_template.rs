//! `ory_email_template`: one courier email template of a project, the value
//! at `courier.templates.<type>.<variant>.email`: a subject and two bodies,
//! written as text and sent as `base64://` URLs.

use async_trait::async_trait;
use serde_json::{json, Value as Json};

use super::client::{OryClient, Setting};
use super::document::{escape, inline, paths};
use super::enums::{EMAIL_TEMPLATE_TYPES, EMAIL_TEMPLATE_VARIANTS, VALID_ONLY_TEMPLATES};
use super::errors::Error;
use super::model::{attr, computed, model, optional_computed, required, Fallback};
use super::slice::{Owner, Part, Write};
use super::typed::{Declared, ImportId, Plan, TypedResource};
use super::validators;
use crate::plugin::{Diagnostics, Value};

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
        template_type: String = required("Which email: `recovery_code`, `verification_code`, `login_code`, `registration_code`, or the link flows' `recovery` and `verification`. Changing it replaces the template.")
            .one_of(EMAIL_TEMPLATE_TYPES)
            .force_new(),
        variant: String = optional_computed(&format!(
            "`valid`, the email to a known address, or `invalid`, the one to an address no identity has (recovery and verification only). Defaults to `{DEFAULT_VARIANT}`. Changing it replaces the template."
        ))
        .one_of(EMAIL_TEMPLATE_VARIANTS)
        .default(Fallback::Always(Value::string(DEFAULT_VARIANT)))
        .force_new(),
        subject: String = required("The subject, as text (a Go template)."),
        body_html: String = required("The HTML body, as text (a Go template)."),
        body_plaintext: String = required("The plain-text body, as text (a Go template)."),
    }
}

impl EmailTemplateModel {
    fn project(&self) -> &str {
        self.project_id.as_deref().unwrap_or_default()
    }

    fn kind(&self) -> (&str, &str) {
        (self.template_type.as_deref().unwrap_or_default(), self.variant.as_deref().unwrap_or(DEFAULT_VARIANT))
    }

    fn import_form(&self) -> String {
        let (kind, variant) = self.kind();
        format!("{}/{kind}/{variant}", self.project())
    }

    fn part(&self) -> Part {
        let (kind, variant) = self.kind();
        Part::at(format!("{}/{}/{}/email", paths::COURIER_TEMPLATES, escape(kind), escape(variant)))
    }

    fn value(&self) -> Json {
        let text = |t: &Option<String>| inline::sent(t.as_deref().unwrap_or_default());
        json!({
            "subject": text(&self.subject),
            "body": { "html": text(&self.body_html), "plaintext": text(&self.body_plaintext) },
        })
    }

    fn owner(&self) -> Owner<'static> {
        Owner {
            noun: "the email template",
            attributes: ENTRY_ATTRIBUTES,
            import_hint: format!("terraform import <address> '{}'", self.import_form()),
        }
    }

    /// The state from the live template, each text as `self` wrote it when
    /// it is what Ory holds.
    fn as_live_shows(&self, project: &str, live: &Json) -> EmailTemplateModel {
        let seen = |mine: &Option<String>, pointer: &str| {
            inline::seen(mine.as_deref(), live.pointer(pointer).and_then(Json::as_str))
        };
        let mut next = EmailTemplateModel {
            project_id: Some(project.to_string()),
            template_type: self.template_type.clone(),
            variant: Some(self.kind().1.to_string()),
            subject: seen(&self.subject, "/subject"),
            body_html: seen(&self.body_html, "/body/html"),
            body_plaintext: seen(&self.body_plaintext, "/body/plaintext"),
            ..EmailTemplateModel::default()
        };
        next.id = Some(next.import_form());
        next
    }
}

/// Which attribute writes which pointer of the template.
const ENTRY_ATTRIBUTES: &[(&str, &str)] =
    &[("/subject", "subject"), ("/body/html", "body_html"), ("/body/plaintext", "body_plaintext")];

fn parse_import(id: &str) -> Option<Value> {
    let mut parts = id.split('/');
    let (project, kind, variant) = (parts.next()?, parts.next()?, parts.next()?);
    let fine = validators::is_uuid(project)
        && EMAIL_TEMPLATE_TYPES.contains(&kind)
        && EMAIL_TEMPLATE_VARIANTS.contains(&variant)
        && parts.next().is_none();
    fine.then(|| {
        Value::object([
            ("project_id", Value::string(project)),
            ("template_type", Value::string(kind)),
            ("variant", Value::string(variant)),
        ])
    })
}

pub struct EmailTemplateResource;

impl Declared for EmailTemplateResource {
    type Model = EmailTemplateModel;

    fn type_name(&self) -> &'static str {
        "ory_email_template"
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
        if let (Some(kind), Some("invalid")) = (c.template_type.as_deref(), c.variant.as_deref()) {
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

#[async_trait]
impl TypedResource for EmailTemplateResource {
    fn import_id(&self) -> ImportId {
        ImportId::Parsed {
            parse: parse_import,
            help: "<project_id>/<template_type>/<variant>, such as <project_id>/recovery_code/valid",
        }
    }

    fn adoptable(&self) -> bool {
        false
    }

    async fn plan(&self, client: &OryClient, plan: &mut Plan<'_, EmailTemplateModel>) -> Result<(), Error> {
        let known = ["project_id", "template_type", "variant"].iter().all(|n| !plan.planned.unknown.contains(n));
        if known && plan.planned.project_id.is_some() {
            plan.planned.id = Some(plan.planned.import_form());
            plan.planned.unknown.remove("id");
            let by = format!("ory_email_template {}", plan.planned.import_form());
            client.claims.claim(plan.planned.project(), &plan.planned.part(), &by, !plan.replacing.is_empty())?;
        }
        Ok(())
    }

    async fn create(
        &self,
        client: &OryClient,
        planned: EmailTemplateModel,
        notes: &mut Diagnostics,
    ) -> Result<EmailTemplateModel, Error> {
        let value = planned.value();
        planned.owner().create(client, planned.project(), &planned.part(), Write::only(&value), notes).await?;
        Ok(planned.as_live_shows(planned.project(), &value))
    }

    async fn read(
        &self,
        client: &OryClient,
        state: EmailTemplateModel,
        _: &mut Diagnostics,
    ) -> Result<Option<EmailTemplateModel>, Error> {
        let found = state.owner().read(client, state.project(), &state.part()).await?;
        Ok(found.map(|(project, live)| state.as_live_shows(&project.id, &live)))
    }

    async fn update(
        &self,
        client: &OryClient,
        prior: EmailTemplateModel,
        planned: EmailTemplateModel,
        notes: &mut Diagnostics,
    ) -> Result<EmailTemplateModel, Error> {
        let value = planned.value();
        let (old, new) = (prior.part(), planned.part());
        planned.owner().update(client, planned.project(), &old, &new, Write::only(&value), notes).await?;
        Ok(planned.as_live_shows(planned.project(), &value))
    }

    async fn delete(
        &self,
        client: &OryClient,
        prior: EmailTemplateModel,
        notes: &mut Diagnostics,
    ) -> Result<(), Error> {
        prior.owner().delete(client, prior.project(), &prior.part(), None, |_| None, notes).await
    }

    fn imported(&self, state: &mut EmailTemplateModel, _: &mut Diagnostics) {
        state.id = Some(state.import_form());
    }
}
