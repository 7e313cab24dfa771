//! Logging in the shape Terraform reads from a provider's stderr: one hclog
//! JSON object per line, with `@level`, `@message`, `@timestamp` (exactly six
//! fractional digits) and `@module`, plus the event's own fields.
//!
//! The level comes from `TF_LOG_PROVIDER`, then `TF_LOG`, as Terraform itself
//! chooses it; with neither set only errors are written, so that a panic still
//! reaches Terraform's crash report.

use std::io::Write;

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::prelude::*;

/// The most verbose level to write, or `None` for nothing at all.
pub fn level_from_env() -> Option<Level> {
    let value = std::env::var("TF_LOG_PROVIDER")
        .ok()
        .filter(|v| !v.is_empty())
        .or_else(|| std::env::var("TF_LOG").ok().filter(|v| !v.is_empty()));
    match value.map(|v| v.to_ascii_uppercase()) {
        None => Some(Level::ERROR),
        Some(v) => match v.as_str() {
            "OFF" => None,
            "ERROR" => Some(Level::ERROR),
            "WARN" => Some(Level::WARN),
            "INFO" => Some(Level::INFO),
            "DEBUG" => Some(Level::DEBUG),
            // TRACE, JSON, and anything Terraform does not recognise mean trace.
            _ => Some(Level::TRACE),
        },
    }
}

struct HclogLayer {
    max: Level,
    module: &'static str,
}

/// Libraries (h2, hyper, tonic) trace every frame; only their warnings and
/// errors are the provider's business.
fn wanted(metadata: &tracing::Metadata<'_>, max: Level) -> bool {
    // This crate, and providers built on it (named terraform_provider_*).
    let ours = metadata.target().starts_with("terraform_provider");
    let cap = if ours { max } else { max.min(Level::WARN) };
    metadata.level() <= &cap
}

#[derive(Default)]
struct Fields {
    message: String,
    rest: serde_json::Map<String, serde_json::Value>,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message = value.to_string();
        } else {
            self.rest.insert(field.name().to_string(), value.into());
        }
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.rest.insert(field.name().to_string(), value.into());
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.rest.insert(field.name().to_string(), value.into());
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.rest.insert(field.name().to_string(), value.into());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let text = format!("{value:?}");
        if field.name() == "message" {
            self.message = text;
        } else {
            self.rest.insert(field.name().to_string(), text.into());
        }
    }
}

fn level_name(level: &Level) -> &'static str {
    match *level {
        Level::ERROR => "error",
        Level::WARN => "warn",
        Level::INFO => "info",
        Level::DEBUG => "debug",
        Level::TRACE => "trace",
    }
}

/// One log line, as Terraform parses it.
pub fn hclog_line(
    level: &str,
    module: &str,
    message: &str,
    fields: serde_json::Map<String, serde_json::Value>,
) -> String {
    let mut obj = serde_json::Map::new();
    obj.insert("@level".into(), level.into());
    obj.insert("@message".into(), message.into());
    obj.insert("@module".into(), module.into());
    obj.insert("@timestamp".into(), chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.6f%:z").to_string().into());
    obj.extend(fields);
    serde_json::Value::Object(obj).to_string()
}

impl<S: Subscriber> Layer<S> for HclogLayer {
    fn enabled(&self, metadata: &tracing::Metadata<'_>, _ctx: Context<'_, S>) -> bool {
        wanted(metadata, self.max)
    }

    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        if !wanted(event.metadata(), self.max) {
            return;
        }
        let mut fields = Fields::default();
        event.record(&mut fields);
        let line = hclog_line(level_name(event.metadata().level()), self.module, &fields.message, fields.rest);
        // The line is JSON: a secret in it is JSON-escaped, one of the forms hidden.
        let line = crate::secrets::redact(&line);
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "{line}");
    }
}

/// Installs the hclog writer for this process, and a panic hook that logs
/// the panic as one error line, never with a backtrace.
pub fn init(module: &'static str) {
    if let Some(max) = level_from_env() {
        let _ = tracing_subscriber::registry().with(HclogLayer { max, module }).try_init();
    }
    std::panic::set_hook(Box::new(move |info| {
        let message = match info.payload().downcast_ref::<&str>() {
            Some(s) => s.to_string(),
            None => info.payload().downcast_ref::<String>().cloned().unwrap_or_else(|| "unknown panic".into()),
        };
        let location = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        let mut fields = serde_json::Map::new();
        fields.insert("@caller".into(), location.into());
        let line = hclog_line("error", module, &format!("provider panicked: {message}"), fields);
        let line = crate::secrets::redact(&line);
        let _ = writeln!(std::io::stderr().lock(), "{line}");
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_have_the_keys_and_timestamp_terraform_parses() {
        let line = hclog_line("debug", "provider", "hello", serde_json::Map::new());
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["@level"], "debug");
        assert_eq!(v["@message"], "hello");
        let ts = v["@timestamp"].as_str().unwrap();
        // 2026-01-02T03:04:05.123456+00:00
        let frac = ts.split('.').nth(1).unwrap();
        assert_eq!(frac.len(), "123456+00:00".len(), "{ts}");
    }
}
