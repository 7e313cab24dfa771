//! `terraform-provider-ory adopt`: the import blocks of everything a
//! workspace key can see, for `terraform plan -generate-config-out` to turn
//! into configuration. It only reads.
//!
//! Each block uses the import ID its resource documents, so the blocks are
//! exactly what a user would write by hand; what cannot be adopted (Ory's
//! built-in identity schemas, the provider's own temporary keys) is left
//! out, and the file's header says so.

use std::collections::BTreeSet;

use crate::console;
use crate::plugin::{Diagnostics, Value};
use crate::provider::adoption::{Finds, Found, InProject, Place};
use crate::provider::client::{OryClient, ProviderConfig};
use crate::provider::typed::Registered;

/// The `adopt` subcommand: configured exactly as the provider is, from the
/// environment (a provider block with nothing set), and prints the import
/// blocks.
pub async fn run() -> Result<String, String> {
    let (_never, stop) = tokio::sync::watch::channel(false);
    let client = OryClient::configure(ProviderConfig::default(), "", stop, Default::default()).map_err(|diags| {
        let lines: Vec<String> = diags
            .0
            .iter()
            .map(|d| crate::text::printable(&format!("{}: {}", d.summary, d.detail), 2000, &[]))
            .collect();
        lines.join("\n")
    })?;
    if !client.console.has_api_key() {
        return Err(format!(
            "adopt needs a workspace API key: set {} (ory_wak_...).",
            crate::provider::client::ENV_WORKSPACE_API_KEY
        ));
    }
    import_blocks(&client).await.map_err(|e| crate::text::printable(&format!("Reading the workspace: {e}"), 2000, &[]))
}

/// Labels unique per resource type, made of the object's name.
#[derive(Default)]
struct Labels(BTreeSet<(String, String)>);

impl Labels {
    fn label(&mut self, resource: &str, named: &str) -> String {
        let mut base: String = named
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' })
            .collect::<String>()
            .split('_')
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join("_");
        if !base.starts_with(|c: char| c.is_ascii_alphabetic()) {
            base = format!("r_{base}");
        }
        base.truncate(60);
        let mut label = base.clone();
        let mut n = 2;
        while !self.0.insert((resource.to_string(), label.clone())) {
            label = format!("{base}_{n}");
            n += 1;
        }
        label
    }
}

/// HCL's string literal: quotes, backslashes and `${`/`%{` escaped, and
/// every character that steers how text is shown (line breaks, terminal
/// escapes, bidirectional controls) written as `\uNNNN`, so that the
/// reviewer reads what the string holds.
fn hcl_string(text: &str) -> String {
    let mut out = String::from("\"");
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if crate::text::is_steering(c) => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// API text in a `#` comment: on one line, with nothing that steers the
/// terminal or the reader, and bounded.
fn comment(text: &str) -> String {
    crate::text::printable(text, 300, &[])
}

/// Why the provider would refuse to import `found` or to plan what the
/// import generates: its own import-ID parser and attribute checks, run on
/// what adopt knows. `None` when it would take it.
async fn refusal(client: &OryClient, resource: &dyn Registered, found: &Found) -> Option<String> {
    let mut diags = Diagnostics::new();
    let mut partial = resource.import(client, &found.id, &mut diags).await;
    if diags.has_errors() {
        // The import's help repeats the ID, which may hold a web hook's
        // credentials: never written.
        return Some(format!("its import ID is not one {} takes", resource.type_name()));
    }
    for (attribute, value) in &found.known {
        partial.set_attr(attribute, Value::string(value));
    }
    let error =
        resource.validate(&partial).0.into_iter().find(|d| d.severity == crate::plugin::diag::Severity::Error)?;
    Some(format!("{}: {}", error.summary, error.detail))
}

/// What adopt writes: the objects every resource type found, with its
/// type, and those left out (each with why), for the file's header.
#[derive(Default)]
struct Adopted<'r> {
    imports: Vec<(&'r dyn Registered, Found)>,
    left_out: Vec<String>,
}

impl<'r> Adopted<'r> {
    /// Asks every resource type what it finds in `place`.
    async fn ask(
        &mut self,
        registry: &'r [Box<dyn Registered>],
        client: &OryClient,
        place: &Place<'_>,
    ) -> Result<(), console::Error> {
        for resource in registry {
            let mut finds = Finds::default();
            resource.find(client, place, &mut finds).await?;
            self.imports.extend(finds.found.into_iter().map(|found| (resource.as_ref(), found)));
            self.left_out.append(&mut finds.left_out);
        }
        Ok(())
    }
}

/// The import blocks of every object the client's workspace key can see
/// (and, with the provider's project key, that project's own objects), as
/// the text of an `imports.tf`. No byte of what Ory answers reaches the
/// text but inside an escaped string or a cleaned comment.
pub async fn import_blocks(client: &OryClient) -> Result<String, console::Error> {
    let console = &client.console;
    let registry = crate::provider::registry();
    let mut adopted = Adopted::default();
    for workspace in console.workspaces().list_all().await? {
        adopted.ask(&registry, client, &Place::Workspace(&workspace)).await?;
        for listed in console.projects().list_for_workspace(&workspace.id).await? {
            let project = console.projects().get(&listed.id).await?;
            if project.is_deleted() {
                continue;
            }
            let api = client.project_keys.configured_for(&project.slug).transpose()?;
            let document = project.document();
            let at = InProject { project: &project, document: &document, api: api.as_ref() };
            if api.is_none() {
                adopted.left_out.push(format!(
                    "the identities, OAuth2 clients and relationships of {}: no project key for it is at hand (ORY_PROJECT_API_KEY with ORY_PROJECT_SLUG)",
                    at.named()
                ));
            }
            adopted.ask(&registry, client, &Place::Project(at)).await?;
        }
    }
    let mut labels = Labels::default();
    let mut blocks = String::new();
    for (resource, found) in std::mem::take(&mut adopted.imports) {
        let type_name = resource.type_name();
        if let Some(why) = refusal(client, resource, &found).await {
            // Named by its label's words, never its ID: an action's ID
            // holds its URL, which may hold a password.
            adopted.left_out.push(format!("{type_name} {:?}, which this provider would refuse: {why}", found.named));
            continue;
        }
        let label = labels.label(type_name, &found.named);
        blocks.push_str(&format!("\nimport {{\n  to = {type_name}.{label}\n  id = {}\n}}\n", hcl_string(&found.id)));
    }
    let mut text = String::from(HEADER);
    for note in &adopted.left_out {
        text.push_str(&format!("#   - {}\n", comment(note)));
    }
    if adopted.left_out.is_empty() {
        text.push_str("#   nothing.\n");
    }
    text.push_str(&blocks);
    Ok(text)
}

const HEADER: &str = "# Import blocks written by `terraform-provider-ory adopt`: every object the
# workspace key can see. With Terraform 1.5 or later (import blocks), turn them
# into configuration with
#   terraform plan -generate-config-out=generated.tf
# then review generated.tf (see docs/guides/adopting.md) and run terraform apply,
# which imports everything and changes nothing at Ory.
#
# Left out:
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_names_made_unique_and_strings_are_escaped() {
        let mut labels = Labels::default();
        assert_eq!(labels.label("ory_project", "Customer Identity"), "customer_identity");
        assert_eq!(labels.label("ory_project", "customer-identity"), "customer_identity_2");
        assert_eq!(labels.label("ory_workspace", "customer identity"), "customer_identity");
        assert_eq!(labels.label("ory_project", "42"), "r_42");
        assert_eq!(hcl_string("a\"b${c}\\"), "\"a\\\"b$${c}\\\\\"");
    }
}
