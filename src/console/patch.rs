//! The operations of a patch to a project's document, and what Ory says
//! of a patch it took.

use serde::{Deserialize, Serialize};

use super::PatchKind;

/// One RFC 6902 operation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PatchOp {
    pub op: PatchKind,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
}

impl PatchOp {
    pub fn add(path: impl Into<String>, value: serde_json::Value) -> PatchOp {
        PatchOp { op: PatchKind::Add, path: path.into(), value: Some(value) }
    }

    pub fn replace(path: impl Into<String>, value: serde_json::Value) -> PatchOp {
        PatchOp { op: PatchKind::Replace, path: path.into(), value: Some(value) }
    }

    pub fn remove(path: impl Into<String>) -> PatchOp {
        PatchOp { op: PatchKind::Remove, path: path.into(), value: None }
    }
}

/// An import warning of `successfulProjectUpdate`: a part of the
/// configuration Ory did not take.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct Warning {
    #[serde(default)]
    pub code: Option<i64>,
    #[serde(default)]
    pub message: Option<String>,
}
