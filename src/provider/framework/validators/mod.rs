//! Plan-time checks of single values, and the parsers they rest on. A check
//! answers how a bad value is wrong, completing `<attribute> ...`.

mod event_streams;
mod json;
mod text;
mod time;
mod urls;

pub use event_streams::{event_stream_header, event_stream_secret, iam_role_arn, sns_topic_arn};
pub use json::{identity_schema, json_object, same, same_json, saml_metadata, SecretPair};
pub use text::{
    api_key, header_name, is_uuid, name, non_empty, project_id_entry, project_slug, provider_id, schema_id, tuple_name,
    tuple_part, uuid,
};
pub use time::{
    canonical_time, duration, future_time, max_retries, parse_duration, parse_max_retries, parse_request_timeout,
    request_timeout, same_duration, same_instant, session_lifespan, time,
};
pub use urls::{
    console_url, cors_origin, domain, http_url, https_url, project_api_url, redirect_uri, server_url, web_hook_url,
};

#[cfg(test)]
mod tests;
