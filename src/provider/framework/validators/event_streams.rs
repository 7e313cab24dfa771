//! Event streams: their AWS ARNs, headers and secrets.

use super::text::header_name;

/// A header an event stream's API key can travel in.
pub fn event_stream_header(v: &str) -> Result<(), String> {
    header_name(v)?;
    if crate::provider::enums::EVENT_STREAM_RESERVED_HEADERS.contains(&v.to_ascii_lowercase().as_str()) {
        return Err(format!(
            "{v:?} is a header Ory sets itself or a connection-specific one, which Ory refuses; pick another, for example X-Api-Key."
        ));
    }
    Ok(())
}

/// An event stream's auth secret: 1 to 4096 bytes, as Ory takes it.
pub fn event_stream_secret(v: &str) -> Result<(), String> {
    let max = crate::provider::enums::EVENT_STREAM_MAX_SECRET_BYTES;
    if v.is_empty() || v.len() > max {
        return Err(format!("must be 1 to {max} bytes long; it is {} bytes.", v.len()));
    }
    Ok(())
}

/// An SNS topic ARN: `arn:aws:sns:<region>:<12-digit account>:<topic>`.
pub fn sns_topic_arn(arn: &str) -> Result<(), String> {
    let parts: Vec<&str> = arn.split(':').collect();
    if matches!(parts.as_slice(), ["arn", partition, "sns", region, account, topic]
        if partition.starts_with("aws") && !region.is_empty() && is_aws_account(account) && !topic.is_empty())
    {
        return Ok(());
    }
    Err(format!("must be an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:ory-events; got {arn:?}."))
}

/// An IAM role ARN: `arn:aws:iam::<12-digit account>:role/<name>`.
pub fn iam_role_arn(arn: &str) -> Result<(), String> {
    let parts: Vec<&str> = arn.split(':').collect();
    if matches!(parts.as_slice(), ["arn", partition, "iam", "", account, resource]
        if partition.starts_with("aws") && is_aws_account(account) && resource.strip_prefix("role/").is_some_and(|n| !n.is_empty()))
    {
        return Ok(());
    }
    Err(format!("must be an IAM role ARN such as arn:aws:iam::123456789012:role/ory-event-streamer; got {arn:?}."))
}

fn is_aws_account(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}
