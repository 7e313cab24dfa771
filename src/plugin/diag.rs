//! Diagnostics: the errors and warnings a user reads, attached to the
//! attribute they are about where there is one.

use std::fmt;

use crate::proto::tfplugin6 as pb;

/// The most of a summary and of a detail that reaches the terminal.
const MAX_SUMMARY_CHARS: usize = 300;
const MAX_DETAIL_CHARS: usize = 8000;

/// Text as a terminal may show it: line breaks and tabs stay, every other
/// control character is escaped, and long text is cut. The last net under
/// every diagnostic, whatever text from a server reached it.
fn printable(text: &str, max: usize) -> String {
    crate::text::printable(text, max, &['\n', '\t'])
}

/// How grave a diagnostic is: an error stops Terraform's run, a warning is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The operation failed; Terraform stops.
    Error,
    /// Shown beside the run's outcome; nothing stops.
    Warning,
}

/// One step into a value: an attribute, a map key, or a list index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// An attribute of an object or a block.
    Attr(String),
    /// A key of a map.
    Key(String),
    /// An index of a list.
    Index(i64),
}

/// A path from the root of a resource, data source or provider object.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AttributePath(pub Vec<Step>);

impl AttributePath {
    /// The path of the top-level attribute `name`.
    pub fn attr(name: &str) -> AttributePath {
        AttributePath(vec![Step::Attr(name.to_string())])
    }

    /// This path, one attribute further.
    pub fn then_attr(mut self, name: &str) -> AttributePath {
        self.0.push(Step::Attr(name.to_string()));
        self
    }

    /// This path, one list index further.
    pub fn then_index(mut self, index: usize) -> AttributePath {
        self.0.push(Step::Index(index as i64));
        self
    }

    /// This path, one map key further.
    pub fn then_key(mut self, key: &str) -> AttributePath {
        self.0.push(Step::Key(key.to_string()));
        self
    }

    /// The path as Terraform's protocol carries it.
    pub fn to_proto(&self) -> pb::AttributePath {
        use pb::attribute_path::step::Selector;
        pb::AttributePath {
            steps: self
                .0
                .iter()
                .map(|s| pb::attribute_path::Step {
                    selector: Some(match s {
                        Step::Attr(a) => Selector::AttributeName(a.clone()),
                        Step::Key(k) => Selector::ElementKeyString(k.clone()),
                        Step::Index(i) => Selector::ElementKeyInt(*i),
                    }),
                })
                .collect(),
        }
    }
}

impl fmt::Display for AttributePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                Step::Attr(a) if i == 0 => write!(f, "{a}")?,
                Step::Attr(a) => write!(f, ".{a}")?,
                Step::Key(k) => write!(f, "[{k:?}]")?,
                Step::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// What one call tells the user: Terraform shows its summary and detail, at the attribute when there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Whether the call failed.
    pub severity: Severity,
    /// A short title, such as "Invalid project name".
    pub summary: String,
    /// What happened and what to do, in full sentences.
    pub detail: String,
    /// The attribute it is about, shown by Terraform beside the configuration line.
    pub attribute: Option<AttributePath>,
}

impl Diagnostic {
    /// An error, at no attribute.
    pub fn error(summary: impl Into<String>, detail: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Error, summary: summary.into(), detail: detail.into(), attribute: None }
    }

    /// A warning, at no attribute.
    pub fn warning(summary: impl Into<String>, detail: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(summary, detail) }
    }

    /// This diagnostic, about the attribute at `path`.
    pub fn at(mut self, path: AttributePath) -> Diagnostic {
        self.attribute = Some(path);
        self
    }

    /// As the protocol carries it: known secrets hidden and terminal controls escaped.
    pub fn to_proto(&self) -> pb::Diagnostic {
        pb::Diagnostic {
            severity: match self.severity {
                Severity::Error => pb::diagnostic::Severity::Error,
                Severity::Warning => pb::diagnostic::Severity::Warning,
            } as i32,
            summary: printable(&crate::secrets::redact(&self.summary), MAX_SUMMARY_CHARS),
            detail: printable(&crate::secrets::redact(&self.detail), MAX_DETAIL_CHARS),
            attribute: self.attribute.as_ref().map(AttributePath::to_proto),
        }
    }
}

/// The diagnostics of one call.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// No diagnostics.
    pub fn new() -> Diagnostics {
        Diagnostics::default()
    }

    /// Adds `d`.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// Adds an error at no attribute.
    pub fn error(&mut self, summary: impl Into<String>, detail: impl Into<String>) {
        self.push(Diagnostic::error(summary, detail));
    }

    /// Adds a warning at no attribute.
    pub fn warning(&mut self, summary: impl Into<String>, detail: impl Into<String>) {
        self.push(Diagnostic::warning(summary, detail));
    }

    /// An error about one attribute.
    pub fn attr_error(&mut self, attr: &str, summary: impl Into<String>, detail: impl Into<String>) {
        self.push(Diagnostic::error(summary, detail).at(AttributePath::attr(attr)));
    }

    /// Whether any of them is an error: the call failed.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    /// As the protocol carries them.
    pub fn to_proto(&self) -> Vec<pb::Diagnostic> {
        self.0.iter().map(Diagnostic::to_proto).collect()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Diagnostics {
        Diagnostics(vec![d])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_reaches_the_terminal_cannot_steer_it_and_is_bounded() {
        let d = Diagnostic::error("name \x1b[31mred", format!("line\nnext\r\x07{}", "z".repeat(MAX_DETAIL_CHARS)));
        let p = d.to_proto();
        assert_eq!(p.summary, "name \\u{1b}[31mred");
        assert!(p.detail.starts_with("line\nnext\\r\\u{7}zz"), "{}", &p.detail[..30]);
        assert!(p.detail.ends_with("… (11 more characters cut)"), "{}", &p.detail[p.detail.len() - 40..]);
    }
}
