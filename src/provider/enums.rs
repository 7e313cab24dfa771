//! The allowed values of the API's enums, each defined once, and the
//! plan-time checks that use them.

use crate::plugin::{Diagnostics, Value};

/// `environment` of a project (spec: createProjectBody.environment).
pub const ENVIRONMENTS: &[&str] = &["prod", "stage", "dev"];

/// `home_region` of a project (spec v1.22.65: createProjectBody.home_region).
pub const HOME_REGIONS: &[&str] = &["eu-central", "asia-northeast", "us-east", "us-west", "eu", "asia", "us", "global"];

/// `type` of an event stream (spec: createEventStreamBody.type).
pub const EVENT_STREAM_TYPES: &[&str] = &["sns", "https"];

/// `status` of an event stream (spec: eventStream.status).
pub const EVENT_STREAM_STATUSES: &[&str] = &["active", "paused"];

/// A new project's environment when the configuration names none.
pub const DEFAULT_ENVIRONMENT: &str = "prod";
/// A new project's home region when the configuration names none.
pub const DEFAULT_HOME_REGION: &str = "eu-central";

/// Checks a known string attribute against its allowed values.
pub fn check_enum(diags: &mut Diagnostics, config: &Value, attr: &str, allowed: &[&str]) {
    if let Some(v) = config.attr(attr).as_str() {
        if !allowed.contains(&v) {
            diags.attr_error(
                attr,
                format!("Invalid {attr}"),
                format!("{attr} must be one of {}; got {v:?}.", allowed.join(", ")),
            );
        }
    }
}

pub fn is_uuid(s: &str) -> bool {
    uuid::Uuid::parse_str(s).is_ok()
}

/// Checks that a known string attribute is an RFC 3339 time in the future.
pub fn check_future_time(diags: &mut Diagnostics, config: &Value, attr: &str) {
    if let Some(v) = config.attr(attr).as_str() {
        match chrono::DateTime::parse_from_rfc3339(v) {
            Err(_) => diags.attr_error(
                attr,
                format!("Invalid {attr}"),
                format!("{attr} must be an RFC 3339 time such as 2030-01-01T00:00:00Z; got {v:?}."),
            ),
            Ok(t) if t <= chrono::Utc::now() => diags.attr_error(
                attr,
                format!("{attr} is in the past"),
                format!("{attr} must be in the future; {v} has passed."),
            ),
            Ok(_) => {}
        }
    }
}

/// Whether two RFC 3339 texts name the same instant.
pub fn same_instant(a: &str, b: &str) -> bool {
    match (chrono::DateTime::parse_from_rfc3339(a), chrono::DateTime::parse_from_rfc3339(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Checks that a known string attribute is a UUID, as Ory's IDs are.
pub fn check_uuid(diags: &mut Diagnostics, config: &Value, attr: &str) {
    if let Some(v) = config.attr(attr).as_str() {
        if uuid::Uuid::parse_str(v).is_err() {
            diags.attr_error(
                attr,
                format!("Invalid {attr}"),
                format!("{attr} must be a UUID such as 3fa85f64-5717-4562-b3fc-2c963f66afa6; got {v:?}."),
            );
        }
    }
}

/// Checks that a known string attribute is not empty.
pub fn check_not_empty(diags: &mut Diagnostics, config: &Value, attr: &str) {
    if config.attr(attr).as_str().is_some_and(|v| v.trim().is_empty()) {
        diags.attr_error(attr, format!("Empty {attr}"), format!("{attr} must not be empty."));
    }
}

pub fn check_url(url: &str) -> Result<(), String> {
    match reqwest::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Ok(()),
        _ => Err(format!(
            "console_api_url must be an http:// or https:// URL such as https://api.console.ory.sh; got {url:?}."
        )),
    }
}

fn is_aws_account(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// An SNS topic ARN: `arn:aws:sns:<region>:<12-digit account>:<topic>`.
pub fn is_sns_topic_arn(arn: &str) -> bool {
    let parts: Vec<&str> = arn.split(':').collect();
    matches!(parts.as_slice(), ["arn", partition, "sns", region, account, topic]
        if partition.starts_with("aws") && !region.is_empty() && is_aws_account(account) && !topic.is_empty())
}

/// An IAM role ARN: `arn:aws:iam::<12-digit account>:role/<name>`.
pub fn is_iam_role_arn(arn: &str) -> bool {
    let parts: Vec<&str> = arn.split(':').collect();
    matches!(parts.as_slice(), ["arn", partition, "iam", "", account, resource]
        if partition.starts_with("aws") && is_aws_account(account) && resource.strip_prefix("role/").is_some_and(|n| !n.is_empty()))
}

/// A duration such as `90s`, `30m`, `1h` or `1h30m`, in seconds.
pub fn parse_duration(text: &str) -> Option<i64> {
    let (mut total, mut number) = (0i64, String::new());
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            _ => return None,
        };
        total = total.checked_add(number.parse::<i64>().ok()?.checked_mul(unit)?)?;
        number.clear();
    }
    (number.is_empty() && total > 0).then_some(total)
}

#[cfg(test)]
mod tests {
    use super::parse_duration;

    #[test]
    fn durations_are_go_style() {
        assert_eq!(parse_duration("90s"), Some(90));
        assert_eq!(parse_duration("1h30m"), Some(5400));
        assert_eq!(parse_duration("1h"), Some(3600));
        for bad in ["", "1", "1d", "0s", "h", "-5m"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }
}
