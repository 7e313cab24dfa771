//! All integration tests, compiled into one binary (one link step).

mod support;

mod adopt;
mod api_keys;
mod bad_input;
mod data_plane;
mod data_sources;
mod docs;
mod email_template;
mod emulator;
mod emulator_state;
mod ephemeral;
mod event_stream;
mod examples;
mod faults;
mod hostile;
mod identity;
mod identity_schema;
mod json_web_key_set;
mod oauth2_client;
mod official;
mod oidc_dynamic_client;
mod organizations;
mod permissions;
mod project;
mod project_config;
mod protocol;
mod readme;
mod recovery;
mod release;
mod saml_provider;
mod secrets;
mod social_provider;
mod spec;
mod trusted_jwt_issuer;
mod workspace;
