//! The action's checks across attributes: which authentication
//! attributes go together, and which flows take per-method hooks.

use super::model::ActionModel;
use crate::plugin::{AttributePath, Diagnostic, Diagnostics};
use crate::provider::enums::HOOK_AUTH_METHODS;
use crate::provider::model::attr;

/// Which attributes of one kind of authentication a configuration sets.
type Given<'a> = &'a [(bool, &'static str)];

/// An authentication attribute: whether the configuration sets it, and its name.
type Attribute = (bool, &'static str);

pub(super) fn validate(c: &ActionModel, diags: &mut Diagnostics) {
    let mut refuse = |attr: &str, detail: String| {
        diags.push(Diagnostic::error(format!("Invalid {attr}"), detail).at(AttributePath::attr(attr)));
    };
    auth_method(c, &mut refuse);
    if c.response_ignore == Some(true) && (c.response_parse == Some(true) || c.can_interrupt == Some(true)) {
        refuse(
            attr!(ActionModel, response_ignore),
            "An ignored answer can neither change the identity (response_parse) nor stop the flow (can_interrupt); set only one.".into(),
        );
    }
    credentials(c, &mut refuse);
}

/// `auth_method` names a per-method hook list, which after hooks of some flows have.
fn auth_method(c: &ActionModel, refuse: &mut dyn FnMut(&str, String)) {
    if let (Some(method), Some(flow)) = (&c.auth_method, &c.flow) {
        let allowed = HOOK_AUTH_METHODS.iter().find(|(f, _)| f == flow).map(|(_, m)| *m).unwrap_or_default();
        if c.timing.as_deref() == Some("before") {
            refuse(
                attr!(ActionModel, auth_method),
                "auth_method applies to after hooks only; leave it out for timing = \"before\".".into(),
            );
        } else if allowed.is_empty() {
            refuse(
                attr!(ActionModel, auth_method),
                format!("The {flow} flow has no per-method hooks; leave auth_method out to run after every {flow}."),
            );
        } else if !allowed.contains(&method.as_str()) {
            refuse(
                attr!(ActionModel, auth_method),
                format!("auth_method for the {flow} flow must be one of {}; got {method:?}.", allowed.join(", ")),
            );
        }
    }
}

/// Which authentication attributes a configuration sets, by scheme:
/// `api_key`'s four, then `basic_auth`'s three.
fn given(c: &ActionModel) -> ([Attribute; 4], [Attribute; 3]) {
    let set = |field: &Option<String>, name: &str| field.is_some() || c.unknown.contains(name);
    let api_key = [
        (set(&c.webhook_auth_api_key_name, "webhook_auth_api_key_name"), attr!(ActionModel, webhook_auth_api_key_name)),
        (set(&c.webhook_auth_api_key_in, "webhook_auth_api_key_in"), attr!(ActionModel, webhook_auth_api_key_in)),
        (
            set(&c.webhook_auth_api_key_value, "webhook_auth_api_key_value"),
            attr!(ActionModel, webhook_auth_api_key_value),
        ),
        (
            set(&c.webhook_auth_api_key_value_wo, "webhook_auth_api_key_value_wo"),
            attr!(ActionModel, webhook_auth_api_key_value_wo),
        ),
    ];
    let basic = [
        (
            set(&c.webhook_auth_basic_auth_user, "webhook_auth_basic_auth_user"),
            attr!(ActionModel, webhook_auth_basic_auth_user),
        ),
        (
            set(&c.webhook_auth_basic_auth_password, "webhook_auth_basic_auth_password"),
            attr!(ActionModel, webhook_auth_basic_auth_password),
        ),
        (
            set(&c.webhook_auth_basic_auth_password_wo, "webhook_auth_basic_auth_password_wo"),
            attr!(ActionModel, webhook_auth_basic_auth_password_wo),
        ),
    ];
    (api_key, basic)
}

/// The attributes of the scheme `webhook_auth_type` names, and none of another's.
fn credentials(c: &ActionModel, refuse: &mut dyn FnMut(&str, String)) {
    let (api_key, basic) = given(c);
    let kind = c.webhook_auth_type.as_deref();
    let (own, other): (Given, Given) = match kind {
        Some("api_key") => (&api_key, &basic),
        Some("basic_auth") => (&basic, &api_key),
        _ if c.unknown.contains("webhook_auth_type") => return,
        _ => (&[], &[]),
    };
    for (is_set, name) in api_key.iter().chain(&basic) {
        if *is_set && !own.iter().any(|(_, n)| n == name) {
            let why = match kind {
                Some(kind) if other.iter().any(|(_, n)| n == name) => {
                    format!("{name} is for another webhook_auth_type than {kind:?}; leave it out.")
                }
                _ => format!("{name} needs webhook_auth_type to say how the hook authenticates."),
            };
            refuse(name, why);
        }
    }
    // Both forms of one secret are refused; neither is refused only
    // when the hook is made (see `plan`): Ory keeps an existing one.
    let not_both = |kept: usize, write_only: usize, refuse: &mut dyn FnMut(&str, String)| {
        if own[kept].0 && own[write_only].0 {
            refuse(own[write_only].1, format!("Set {} or {}, not both.", own[kept].1, own[write_only].1))
        }
    };
    match kind {
        Some("api_key") => {
            if !own[0].0 {
                refuse(own[0].1, "webhook_auth_type \"api_key\" needs the header or cookie name.".into());
            }
            not_both(2, 3, refuse);
        }
        Some("basic_auth") => {
            if !own[0].0 {
                refuse(own[0].1, "webhook_auth_type \"basic_auth\" needs the user.".into());
            }
            not_both(1, 2, refuse);
        }
        _ => {}
    }
}

/// The credential a new hook, or one whose scheme changes, needs: an
/// existing one keeps the one Ory holds when the configuration leaves it
/// out (configuration generated from an import writes it null).
pub(super) fn needs_credential(c: &ActionModel, diags: &mut Diagnostics) {
    let value = crate::provider::model::Model::to_value(c);
    let may_be_set = |name: &str| !value.attr(name).is_null();
    let (kind, kept, write_only) = match c.webhook_auth_type.as_deref() {
        Some("api_key") => ("api_key", "webhook_auth_api_key_value", "webhook_auth_api_key_value_wo"),
        Some("basic_auth") => ("basic_auth", "webhook_auth_basic_auth_password", "webhook_auth_basic_auth_password_wo"),
        _ => return,
    };
    if !may_be_set(kept) && !may_be_set(write_only) {
        diags.attr_error(
            kept,
            format!("Invalid {kept}"),
            format!("webhook_auth_type {kind:?} needs {kept} or {write_only}."),
        );
    }
}
