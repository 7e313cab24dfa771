//! Self-hosted Ory as a target: the data-plane resources reach Ory Kratos,
//! Ory Hydra and Ory Keto at the admin (and public) URLs the provider block
//! gives, with no console, workspace or project key. What only Ory Network
//! has (its console: workspaces, projects, their documents and keys) is
//! refused at plan time, naming the provider settings it would need.

use crate::plugin::{AttributePath, Diagnostic, Diagnostics};
use crate::project_api::{ProjectApi, Server};
use crate::provider::framework::config::{setting_of, ProviderConfig};
use crate::provider::framework::setting::ENV_INSECURE_HTTP;
use crate::provider::model::attr;
use crate::provider::validators;

fn configured(config: &ProviderConfig, server: Server) -> Option<String> {
    let value = match server {
        Server::KratosAdmin => &config.kratos_admin_url,
        Server::HydraAdmin => &config.hydra_admin_url,
        Server::HydraPublic => &config.hydra_public_url,
        Server::KetoRead => &config.keto_read_url,
        Server::KetoWrite => &config.keto_write_url,
    };
    let (_, env) = setting_of(server);
    value.clone().or_else(|| std::env::var(env).ok()).filter(|v| !v.trim().is_empty())
}

/// Whether a provider block (or the environment) names any self-hosted server.
pub fn named(config: &ProviderConfig) -> bool {
    Server::ALL.iter().any(|server| configured(config, *server).is_some())
}

/// The self-hosted servers a provider block names, or `None` when it names
/// none (Ory Network). Refuses Ory Network's own settings beside them in
/// the block: one provider block is one of the two.
pub fn configure(
    config: &ProviderConfig,
    insecure: bool,
    transport: &crate::http::Settings,
) -> Result<Option<ProjectApi>, Diagnostics> {
    let mut urls = Server::ALL.map(|_| None);
    for (slot, server) in urls.iter_mut().zip(Server::ALL) {
        let (attr, env) = setting_of(server);
        let Some(url) = configured(config, server) else { continue };
        if let Err(problem) = validators::server_url(&url) {
            return Err(refused(attr, &format!("Invalid {attr}"), format!("{attr} (or {env}) {problem}")));
        }
        let plain_remote =
            reqwest::Url::parse(&url).is_ok_and(|u| u.scheme() == "http" && !crate::http::is_loopback(&u));
        if plain_remote && !insecure {
            return Err(refused(
                attr,
                "Plain HTTP to another host",
                format!("{attr} {url:?} is plain http:// to a host other than this machine, so passwords and client secrets would travel unencrypted. Use https://, or set insecure_http = true ({ENV_INSECURE_HTTP}=true) if this network is trusted."),
            ));
        }
        *slot = Some(url);
    }
    if urls.iter().all(Option::is_none) {
        return Ok(None);
    }
    let network_settings = [
        (attr!(ProviderConfig, workspace_api_key), config.workspace_api_key.is_some()),
        (attr!(ProviderConfig, project_api_key), config.project_api_key.as_deref().is_some_and(|k| !k.is_empty())),
        (attr!(ProviderConfig, project_slug), config.project_slug.as_deref().is_some_and(|s| !s.is_empty())),
        (attr!(ProviderConfig, project_id), config.project_id.is_some()),
        (attr!(ProviderConfig, workspace_id), config.workspace_id.is_some()),
        (attr!(ProviderConfig, allowed_project_ids), config.allowed_project_ids.is_some()),
    ];
    if let Some((attr, _)) = network_settings.iter().find(|(_, set)| *set) {
        return Err(refused(
            attr,
            "Ory Network setting for self-hosted Ory",
            format!("{attr} is a setting of Ory Network, and this provider block names self-hosted Ory servers ({}). Use one provider block for each (a provider alias), or leave {attr} out.", settings_named(&urls)),
        ));
    }
    let api = ProjectApi::self_hosted(|server| urls[server as usize].clone(), transport)
        .map_err(|e| Diagnostics::from(Diagnostic::error("Invalid provider configuration", e.to_string())))?;
    Ok(Some(api))
}

fn settings_named(urls: &[Option<String>; 5]) -> String {
    Server::ALL.iter().filter(|s| urls[**s as usize].is_some()).map(|s| setting_of(*s).0).collect::<Vec<_>>().join(", ")
}

fn refused(attr: &'static str, summary: &str, detail: String) -> Diagnostics {
    Diagnostic::error(summary, detail).at(AttributePath::attr(attr)).into()
}

/// What a resource, data source or ephemeral resource reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reaches {
    /// Ory Network's console API (and project documents through it).
    Console,
    /// These servers of a project's API alone.
    Servers(&'static [Server]),
}

/// Why a provider block cannot serve `type_name`, which reaches `reaches`:
/// `None` when it can. Said at plan time, before any call.
pub fn unreachable(api: Option<&ProjectApi>, type_name: &str, reaches: Reaches) -> Option<Diagnostic> {
    let api = api?;
    match reaches {
        Reaches::Console => Some(Diagnostic::error(
            "Not in self-hosted Ory",
            format!("{type_name} is managed through Ory Network's console API (workspaces, projects and their configuration documents, API keys), which self-hosted Ory does not have, and this provider block names self-hosted servers. Configure it in your servers' own configuration files, or manage it with a provider block for Ory Network (a provider alias)."),
        )),
        Reaches::Servers(servers) => {
            let missing: Vec<String> = servers
                .iter()
                .filter(|s| !api.serves(**s))
                .map(|s| {
                    let (attr, env) = setting_of(*s);
                    format!("{attr} ({env}), the URL of {}", s.describe())
                })
                .collect();
            (!missing.is_empty()).then(|| {
                Diagnostic::error(
                    "Missing self-hosted server URL",
                    format!(
                        "{type_name} needs {} in the provider block, which names self-hosted Ory servers.",
                        missing.join(", and ")
                    ),
                )
            })
        }
    }
}

/// The attributes that name an Ory Network project, which a resource of
/// self-hosted Ory must leave out.
pub const NETWORK_ATTRIBUTES: [&str; 3] = ["project_id", "project_slug", "project_api_key"];

/// An error for each Ory Network attribute `config` sets, when the
/// provider block is for self-hosted Ory.
pub fn network_attributes(api: Option<&ProjectApi>, config: &crate::plugin::Value) -> Diagnostics {
    let mut diags = Diagnostics::new();
    if api.is_none() {
        return diags;
    }
    for name in NETWORK_ATTRIBUTES {
        let value = config.attr(name);
        if !value.is_null() && value.as_str() != Some("") {
            diags.push(
                Diagnostic::error(
                    format!("{name} with self-hosted Ory"),
                    format!("{name} names an Ory Network project, and this provider block names self-hosted Ory servers, which have no projects. Leave {name} out."),
                )
                .at(AttributePath::attr(name)),
            );
        }
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(kratos: &str) -> ProviderConfig {
        ProviderConfig { kratos_admin_url: Some(kratos.into()), ..ProviderConfig::default() }
    }

    fn transport() -> crate::http::Settings {
        crate::http::Settings::default()
    }

    fn refusal(config: &ProviderConfig, insecure: bool) -> String {
        match configure(config, insecure, &transport()) {
            Err(diags) => diags.0.iter().map(|d| format!("{}: {}", d.summary, d.detail)).collect(),
            Ok(_) => panic!("{config:?} was accepted"),
        }
    }

    #[test]
    fn only_the_servers_a_block_names_are_reached() {
        let api = configure(&block("http://127.0.0.1:4434"), false, &transport()).unwrap().unwrap();
        assert!(api.serves(Server::KratosAdmin) && !api.serves(Server::KetoRead));
        assert!(unreachable(Some(&api), "ory_identity", Reaches::Servers(&[Server::KratosAdmin])).is_none());
        let keto = Reaches::Servers(&[Server::KetoRead, Server::KetoWrite]);
        let missing = unreachable(Some(&api), "ory_relationship", keto).unwrap();
        assert!(
            missing.detail.contains("keto_read_url (ORY_KETO_READ_URL)")
                && missing.detail.contains("keto_write_url (ORY_KETO_WRITE_URL)"),
            "{}",
            missing.detail
        );
        assert_eq!(unreachable(Some(&api), "ory_project", Reaches::Console).unwrap().summary, "Not in self-hosted Ory");
        assert!(unreachable(None, "ory_project", Reaches::Console).is_none(), "Ory Network serves everything");
        assert!(configure(&ProviderConfig::default(), false, &transport()).unwrap().is_none());
    }

    #[test]
    fn plain_http_elsewhere_passwords_in_urls_and_network_settings_are_refused() {
        assert!(refusal(&block("http://kratos-admin:4434"), false).contains("Plain HTTP to another host"));
        assert!(configure(&block("http://kratos-admin:4434"), true, &transport()).unwrap().is_some());
        let with_password = refusal(&block("https://admin:hunter2@kratos-admin"), false);
        assert!(
            with_password.contains("user name or password") && !with_password.contains("hunter2"),
            "{with_password}"
        );
        let mixed = ProviderConfig {
            project_id: Some("3fa85f64-5717-4562-b3fc-2c963f66afa6".into()),
            ..block("http://127.0.0.1:1")
        };
        assert!(refusal(&mixed, false).contains("project_id is a setting of Ory Network"));
    }
}
