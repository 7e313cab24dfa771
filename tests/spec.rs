//! The emulator against Ory's OpenAPI spec, response by response: every
//! console operation (those secured by `oryWorkspaceApiKey`) gets valid and
//! invalid requests, and each answer must have a status the operation
//! declares (or fall under `default`) and a body that its schema accepts.
//!
//! The spec's console part is committed in `tests/spec/`; when
//! `../shared/ory-api/` is there, the test checks the committed part is
//! what the full spec gives (`UPDATE_SPEC=1` rewrites it). What Ory's API
//! added since (API 1.22.87, from Ory's generated SDK) is merged in from
//! `tests/spec/console-additions-v1.22.87.json`, which names its sources;
//! where Ory's servers answer otherwise than their spec says, from
//! `tests/spec/project-api-as-served-hydra-v2.3.0.json`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use reqwest::Method;
use serde_json::{json, Value};

use crate::support::Emulator;

const FULL_SPEC: &str = "../shared/ory-api/openapi-v1.22.65.json";
const CONSOLE_SPEC: &str = "tests/spec/console-openapi-v1.22.65.json";
const ADDITIONS: &str = "tests/spec/console-additions-v1.22.87.json";
const PROJECT_API_SPEC: &str = "tests/spec/project-api-openapi-v1.22.65.json";
/// Where Ory's servers answer what that spec does not say, as seen.
const PROJECT_API_AS_SERVED: &str = "tests/spec/project-api-as-served-hydra-v2.3.0.json";
const SCHEME: &str = "oryWorkspaceApiKey";
const ALICE_VIEWS: &str = "namespace=default&object=doc&relation=viewers&subject_id=alice";
const NOBODY_VIEWS: &str = "namespace=default&object=doc&relation=viewers&subject_id=nobody";

/// The operations of each project's own API that the emulator serves.
const PROJECT_API_OPERATIONS: [&str; 35] = [
    "listOAuth2Clients",
    "createOAuth2Client",
    "getOAuth2Client",
    "setOAuth2Client",
    "deleteOAuth2Client",
    "listIdentities",
    "createIdentity",
    "getIdentity",
    "updateIdentity",
    "deleteIdentity",
    "createJsonWebKeySet",
    "getJsonWebKeySet",
    "setJsonWebKeySet",
    "deleteJsonWebKeySet",
    "getJsonWebKey",
    "setJsonWebKey",
    "deleteJsonWebKey",
    "listTrustedOAuth2JwtGrantIssuers",
    "trustOAuth2JwtGrantIssuer",
    "getTrustedOAuth2JwtGrantIssuer",
    "deleteTrustedOAuth2JwtGrantIssuer",
    "getRelationships",
    "createRelationship",
    "deleteRelationships",
    "listRelationshipNamespaces",
    "createOidcDynamicClient",
    "getOidcDynamicClient",
    "setOidcDynamicClient",
    "deleteOidcDynamicClient",
    "checkPermission",
    "checkPermissionOrError",
    "postCheckPermission",
    "postCheckPermissionOrError",
    "batchCheckPermission",
    "expandPermissions",
];

fn is_console(op: &Value) -> bool {
    op["security"].as_array().into_iter().flatten().any(|s| s.get(SCHEME).is_some())
}

fn is_served_project_api(op: &Value) -> bool {
    op["operationId"].as_str().is_some_and(|id| PROJECT_API_OPERATIONS.contains(&id))
}

/// The operations of `full` that `keep` picks, and everything they refer to.
fn part(full: &Value, keep: fn(&Value) -> bool) -> Value {
    let mut paths = serde_json::Map::new();
    for (path, item) in full["paths"].as_object().unwrap() {
        let ops: serde_json::Map<String, Value> = item
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, op)| keep(op))
            .map(|(m, op)| (m.clone(), op.clone()))
            .collect();
        if !ops.is_empty() {
            paths.insert(path.clone(), Value::Object(ops));
        }
    }
    let mut part = json!({ "openapi": full["openapi"], "info": full["info"], "paths": paths, "components": {} });
    let mut seen = BTreeSet::new();
    let mut todo = refs(&part["paths"]);
    while let Some(reference) = todo.pop() {
        if !seen.insert(reference.clone()) {
            continue;
        }
        let pointer = reference.trim_start_matches('#');
        let target = full.pointer(pointer).unwrap_or_else(|| panic!("{reference} is not in the spec")).clone();
        todo.extend(refs(&target));
        let segments: Vec<&str> = pointer.split('/').skip(1).collect();
        let mut slot = &mut part;
        for segment in &segments {
            slot = &mut slot[*segment];
        }
        *slot = target;
    }
    part
}

fn refs(value: &Value) -> Vec<String> {
    match value {
        Value::Object(map) => map
            .iter()
            .flat_map(|(k, v)| if k == "$ref" { v.as_str().map(str::to_string).into_iter().collect() } else { refs(v) })
            .collect(),
        Value::Array(items) => items.iter().flat_map(refs).collect(),
        _ => Vec::new(),
    }
}

/// Schemas of answers that must hold no field the spec does not declare:
/// those the additions change, so that a field the emulator answers and
/// the additions lack fails.
const CLOSED_SCHEMAS: [&str; 4] = ["eventStream", "oplValidateResult", "oplParseError", "oplSourcePosition"];

/// The console part of the spec, with the additions merged in.
fn console_spec() -> Value {
    let mut spec = part_committed(CONSOLE_SPEC, is_console);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(ADDITIONS);
    let additions: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    json_patch::merge(&mut spec, &additions);
    for name in CLOSED_SCHEMAS {
        spec["components"]["schemas"][name]["additionalProperties"] = json!(false);
    }
    spec
}

/// The part of the spec `keep` picks, as committed in `file`; checked
/// against the full spec when it is there.
fn part_committed(file: &str, keep: fn(&Value) -> bool) -> Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let committed = root.join(file);
    if let Ok(text) = std::fs::read_to_string(root.join(FULL_SPEC)) {
        let part = part(&serde_json::from_str(&text).unwrap(), keep);
        if std::env::var_os("UPDATE_SPEC").is_some() {
            std::fs::create_dir_all(committed.parent().unwrap()).unwrap();
            std::fs::write(&committed, serde_json::to_string_pretty(&part).unwrap() + "\n").unwrap();
        }
        let kept: Value =
            serde_json::from_str(&std::fs::read_to_string(&committed).unwrap_or_default()).unwrap_or_default();
        assert!(kept == part, "{file} is not its part of {FULL_SPEC}: run UPDATE_SPEC=1 cargo test --test tests spec");
        return part;
    }
    serde_json::from_str(&std::fs::read_to_string(&committed).unwrap()).unwrap()
}

/// OpenAPI 3.0's `nullable` as JSON Schema: null is one more type.
fn json_schema(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut out: serde_json::Map<String, Value> =
                map.iter().filter(|(k, _)| *k != "nullable").map(|(k, v)| (k.clone(), json_schema(v))).collect();
            if map.get("nullable") == Some(&Value::Bool(true)) {
                match out.remove("type") {
                    Some(Value::String(t)) => {
                        out.insert("type".into(), json!([t, "null"]));
                    }
                    Some(other) => {
                        out.insert("type".into(), other);
                    }
                    None => {}
                }
                if let Some(Value::Array(options)) = out.get_mut("enum") {
                    options.push(Value::Null);
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(json_schema).collect()),
        other => other.clone(),
    }
}

/// One request and the status it must get.
struct Case {
    operation: &'static str,
    method: Method,
    path: String,
    query: &'static str,
    body: Option<Value>,
    /// A `text/plain` body instead of JSON.
    text: Option<String>,
    status: u16,
    auth: bool,
    /// A bearer other than the key (a registration access token).
    token: Option<String>,
}

fn case(operation: &'static str, method: Method, path: impl Into<String>, body: Option<Value>, status: u16) -> Case {
    Case { operation, method, path: path.into(), query: "", body, text: None, status, auth: true, token: None }
}

fn text_case(operation: &'static str, path: impl Into<String>, text: &str, status: u16) -> Case {
    Case { text: Some(text.to_string()), ..case(operation, Method::POST, path, None, status) }
}

/// What is wrong with one answer, if anything.
fn check(spec: &Value, c: &Case, status: u16, content_type: &str, body: &str) -> Option<String> {
    if status != c.status {
        return Some(format!("status {status}, expected {}: {body}", c.status));
    }
    let (template, item) = spec["paths"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, item)| item.as_object().unwrap().values().any(|op| op["operationId"] == c.operation))
        .unwrap();
    let op = item.as_object().unwrap().values().find(|op| op["operationId"] == c.operation).unwrap();
    let response = op["responses"].get(status.to_string()).or_else(|| op["responses"].get("default"));
    let Some(mut response) = response else {
        return Some(format!("status {status} is not declared by {template}"));
    };
    if let Some(reference) = response.get("$ref").and_then(Value::as_str) {
        response = spec.pointer(reference.trim_start_matches('#')).unwrap();
    }
    let Some(schema) = response.pointer("/content/application~1json/schema") else {
        return (!body.is_empty()).then(|| format!("status {status} has no body in the spec, got {body}"));
    };
    if !content_type.starts_with("application/json") {
        return Some(format!("Content-Type {content_type:?}, expected application/json: {body}"));
    }
    let instance: Value = match serde_json::from_str(body) {
        Ok(v) => v,
        Err(e) => return Some(format!("not JSON ({e}): {body}")),
    };
    let mut root = json_schema(schema).as_object().cloned().unwrap_or_default();
    root.insert("components".into(), json_schema(&spec["components"]));
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&Value::Object(root))
        .unwrap();
    let errors: Vec<String> =
        validator.iter_errors(&instance).map(|e| format!("at {}: {e}", e.instance_path())).collect();
    (!errors.is_empty()).then(|| format!("status {status}: {}; body {body}", errors.join("; ")))
}

/// Sends each case to `base`, with `key` where the case is authenticated,
/// and adds what is wrong with each answer to `failures`. Returns the
/// operations tried.
fn run_cases<'a>(
    spec: &Value,
    base: &str,
    key: &str,
    cases: &'a [Case],
    failures: &mut BTreeMap<&'a str, Vec<String>>,
) -> BTreeSet<&'a str> {
    let http = reqwest::blocking::Client::new();
    let mut tried = BTreeSet::new();
    for c in cases {
        tried.insert(c.operation);
        let url =
            if c.query.is_empty() { format!("{base}{}", c.path) } else { format!("{base}{}?{}", c.path, c.query) };
        let mut request = http.request(c.method.clone(), url);
        match &c.token {
            Some(token) => request = request.bearer_auth(token),
            None if c.auth => request = request.bearer_auth(key),
            None => {}
        }
        if let Some(body) = &c.body {
            request = request.json(body);
        }
        if let Some(text) = &c.text {
            request = request.header("content-type", "text/plain").body(text.clone());
        }
        let response = request.send().unwrap();
        let status = response.status().as_u16();
        let content_type =
            response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        let body = response.text().unwrap();
        if let Some(problem) = check(spec, c, status, &content_type, &body) {
            failures.entry(c.operation).or_default().push(format!(
                "{} {}{}: {problem}",
                c.method,
                c.path,
                if c.query.is_empty() { String::new() } else { format!("?{}", c.query) }
            ));
        }
    }
    tried
}

/// Every operation of `spec` was tried and answered as it says; the count
/// is printed past the harness's capture, so that every run shows it.
fn assert_all_conform(spec: &Value, tried: &BTreeSet<&str>, failures: &BTreeMap<&str, Vec<String>>) {
    let operations: BTreeSet<String> = spec["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values().map(|op| op["operationId"].as_str().unwrap().to_string()))
        .collect();
    let untried: Vec<&String> = operations.iter().filter(|op| !tried.contains(op.as_str())).collect();
    let conform =
        operations.iter().filter(|op| tried.contains(op.as_str()) && !failures.contains_key(op.as_str())).count();
    use std::io::Write;
    let mut report = format!("{conform}/{} operations conform\n", operations.len());
    for (op, problems) in failures {
        for problem in problems {
            report.push_str(&format!("  {op}: {problem}\n"));
        }
    }
    let _ = std::io::stderr().write_all(report.as_bytes());
    assert!(untried.is_empty(), "operations without a case: {untried:?}");
    assert_eq!(conform, operations.len(), "{failures:#?}");
}

#[test]
fn every_console_operation_answers_as_the_spec_says() {
    let spec = console_spec();
    let emulator = Emulator::start();
    let http = reqwest::blocking::Client::new();
    let send = |method: Method, path: &str, body: Value| emulator.send(method, path, body);

    // What the cases work on.
    let (_, project) = send(Method::POST, "/projects", json!({"name": "spec", "environment": "prod"}));
    let p = project["id"].as_str().unwrap().to_string();
    let (_, doomed) = send(Method::POST, "/projects", json!({"name": "purged", "environment": "dev"}));
    let doomed = doomed["id"].as_str().unwrap().to_string();
    let ws = emulator.workspace_id.clone();
    let (_, org) = send(
        Method::POST,
        &format!("/projects/{p}/organizations"),
        json!({"label": "Acme", "domains": ["acme.example.com"]}),
    );
    let org = org["id"].as_str().unwrap().to_string();
    let (_, other_org) =
        send(Method::POST, &format!("/projects/{p}/organizations"), json!({"label": "Other", "domains": []}));
    let other_org = other_org["id"].as_str().unwrap().to_string();
    let links = format!("/projects/{p}/organizations/{org}/onboarding-portal-links");
    let (_, link) = send(Method::POST, &links, json!({"enable_sso": true, "enable_scim": false}));
    let link = link["id"].as_str().unwrap().to_string();
    let (_, doomed_link) = send(Method::POST, &links, json!({"enable_sso": true, "enable_scim": true}));
    let doomed_link = doomed_link["id"].as_str().unwrap().to_string();
    let (_, key) = send(Method::POST, &format!("/projects/{p}/tokens"), json!({"name": "k"}));
    let key = key["id"].as_str().unwrap().to_string();
    let (_, wkey) = send(Method::POST, &format!("/workspaces/{ws}/tokens"), json!({"name": "k"}));
    let wkey = wkey["id"].as_str().unwrap().to_string();
    let sns = json!({"type": "sns", "topic_arn": "arn:aws:sns:us-east-1:123456789012:t", "role_arn": "arn:aws:iam::123456789012:role/r"});
    let (_, stream) = send(Method::POST, &format!("/projects/{p}/eventstreams"), sns.clone());
    let stream = stream["id"].as_str().unwrap().to_string();
    let (_, members) = emulator.call(Method::GET, &format!("/projects/{p}/members"));
    let developer = members.as_array().unwrap().iter().find(|m| m["role"] == "developer").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let owner =
        members.as_array().unwrap().iter().find(|m| m["role"] == "owner").unwrap()["id"].as_str().unwrap().to_string();
    let revision = emulator.project(&p)["revision_id"].as_str().unwrap().to_string();
    let unknown = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
    let rename = json!([{"op": "replace", "path": "/name", "value": "renamed"}]);
    let whole = json!({"name": "spec", "services": {"permission": {"config": {"namespaces": []}}}, "cors_admin": {}, "cors_public": {}, "organizations": emulator.project(&p)["organizations"]});

    use Method as M;
    let cases = vec![
        case("listProjects", M::GET, "/projects", None, 200),
        Case { auth: false, ..case("listProjects", M::GET, "/projects", None, 401) },
        case("createProject", M::POST, "/projects", Some(json!({"name": "n", "environment": "dev"})), 201),
        case("createProject", M::POST, "/projects", Some(json!({"name": "n", "environment": "production"})), 400),
        case("getProject", M::GET, format!("/projects/{p}"), None, 200),
        case("getProject", M::GET, format!("/projects/{unknown}"), None, 404),
        case("patchProject", M::PATCH, format!("/projects/{p}"), Some(rename.clone()), 200),
        case(
            "patchProject",
            M::PATCH,
            format!("/projects/{p}"),
            Some(json!([{"op": "remove", "path": "/services/nope"}])),
            400,
        ),
        case(
            "patchProjectWithRevision",
            M::PATCH,
            format!("/projects/{p}/revision/{revision}"),
            Some(rename.clone()),
            409,
        ),
        case("setProject", M::PUT, format!("/projects/{p}"), Some(json!({"name": "n"})), 400),
        case("setProject", M::PUT, format!("/projects/{p}"), Some(whole), 200),
        case("listOrganizations", M::GET, format!("/projects/{p}/organizations"), None, 200),
        Case {
            query: "page_size=1&page_size=2",
            ..case("listOrganizations", M::GET, format!("/projects/{p}/organizations"), None, 400)
        },
        Case {
            query: "domain=acme.example.com&page_size=1",
            ..case("listOrganizations", M::GET, format!("/projects/{p}/organizations"), None, 200)
        },
        case(
            "createOrganization",
            M::POST,
            format!("/projects/{p}/organizations"),
            Some(json!({"label": "New", "domains": ["new.example.com"], "session_lifespan": "24h"})),
            201,
        ),
        case(
            "createOrganization",
            M::POST,
            format!("/projects/{p}/organizations"),
            Some(json!({"label": "Dup", "domains": ["acme.example.com"]})),
            409,
        ),
        case("createOrganization", M::POST, format!("/projects/{p}/organizations"), Some(json!({"domains": []})), 400),
        case("getOrganization", M::GET, format!("/projects/{p}/organizations/{org}"), None, 200),
        case("getOrganization", M::GET, format!("/projects/{p}/organizations/{unknown}"), None, 404),
        case(
            "updateOrganization",
            M::PUT,
            format!("/projects/{p}/organizations/{org}"),
            Some(json!({"label": "Acme Inc", "default_region": "eu-central"})),
            200,
        ),
        case(
            "updateOrganization",
            M::PUT,
            format!("/projects/{p}/organizations/{org}"),
            Some(json!({"session_lifespan": "1d"})),
            400,
        ),
        case("deleteOrganization", M::DELETE, format!("/projects/{p}/organizations/{other_org}"), None, 204),
        case("deleteOrganization", M::DELETE, format!("/projects/{p}/organizations/{unknown}"), None, 404),
        case("getOrganizationOnboardingPortalLinks", M::GET, links.clone(), None, 200),
        case(
            "getOrganizationOnboardingPortalLinks",
            M::GET,
            format!("/projects/{p}/organizations/{unknown}/onboarding-portal-links"),
            None,
            404,
        ),
        case(
            "createOrganizationOnboardingPortalLink",
            M::POST,
            links.clone(),
            Some(json!({"enable_sso": true, "enable_scim": true, "google_mapper_url": "base64://e30="})),
            201,
        ),
        case("createOrganizationOnboardingPortalLink", M::POST, links.clone(), Some(json!({"enable_sso": true})), 400),
        case(
            "updateOrganizationOnboardingPortalLink",
            M::POST,
            format!("{links}/{link}"),
            Some(json!({"enable_sso": false, "enable_scim": true})),
            200,
        ),
        case(
            "updateOrganizationOnboardingPortalLink",
            M::POST,
            format!("{links}/{link}"),
            Some(json!({"enable_sso": "yes", "enable_scim": true})),
            400,
        ),
        case("deleteOrganizationOnboardingPortalLink", M::DELETE, format!("{links}/{doomed_link}"), None, 204),
        case("deleteOrganizationOnboardingPortalLink", M::DELETE, format!("{links}/{unknown}"), None, 404),
        case("getProjectMembers", M::GET, format!("/projects/{p}/members"), None, 200),
        case("getProjectMembers", M::GET, format!("/projects/{unknown}/members"), None, 404),
        case("removeProjectMember", M::DELETE, format!("/projects/{p}/members/{owner}"), None, 406),
        case("removeProjectMember", M::DELETE, format!("/projects/{p}/members/{developer}"), None, 204),
        case("listProjectApiKeys", M::GET, format!("/projects/{p}/tokens"), None, 200),
        case("listProjectApiKeys", M::GET, format!("/projects/{unknown}/tokens"), None, 404),
        case(
            "createProjectApiKey",
            M::POST,
            format!("/projects/{p}/tokens"),
            Some(json!({"name": "ci", "expires_at": "2099-01-01T00:00:00Z"})),
            201,
        ),
        case("createProjectApiKey", M::POST, format!("/projects/{p}/tokens"), Some(json!({})), 400),
        case("deleteProjectApiKey", M::DELETE, format!("/projects/{p}/tokens/{key}"), None, 204),
        case("deleteProjectApiKey", M::DELETE, format!("/projects/{p}/tokens/{unknown}"), None, 404),
        case("listEventStreams", M::GET, format!("/projects/{p}/eventstreams"), None, 200),
        case("listEventStreams", M::GET, format!("/projects/{unknown}/eventstreams"), None, 404),
        case(
            "createEventStream",
            M::POST,
            format!("/projects/{p}/eventstreams"),
            Some(json!({"type": "https", "https_endpoint": "https://u:pw@hooks.example.com/ory"})),
            201,
        ),
        case(
            "createEventStream",
            M::POST,
            format!("/projects/{p}/eventstreams"),
            Some(json!({"type": "sns", "topic_arn": "nope", "role_arn": "nope"})),
            400,
        ),
        case(
            "setEventStream",
            M::PUT,
            format!("/projects/{p}/eventstreams/{stream}"),
            Some(json!({"status": "paused"})),
            200,
        ),
        case(
            "setEventStream",
            M::PUT,
            format!("/projects/{p}/eventstreams/{stream}"),
            Some(json!({"status": "sleeping"})),
            400,
        ),
        case(
            "createEventStream",
            M::POST,
            format!("/projects/{p}/eventstreams"),
            Some(
                json!({"type": "https", "https_endpoint": "https://hooks.example.com/ory?token=t", "https_auth_type": "api_key", "https_auth_header_name": "X-Key", "https_auth_secret": "k3y"}),
            ),
            201,
        ),
        case(
            "createEventStream",
            M::POST,
            format!("/projects/{p}/eventstreams"),
            Some(
                json!({"type": "https", "https_endpoint": "https://hooks.example.com/ory", "https_auth_type": "bearer"}),
            ),
            400,
        ),
        case(
            "setEventStream",
            M::PUT,
            format!("/projects/{p}/eventstreams/{stream}"),
            Some(
                json!({"type": "https", "https_endpoint": "https://hooks.example.com/ory", "https_auth_type": "bearer", "https_auth_secret": "t0ken"}),
            ),
            200,
        ),
        case(
            "setEventStream",
            M::PUT,
            format!("/projects/{p}/eventstreams/{stream}"),
            Some(json!({"https_auth_secret": "REDACTED"})),
            400,
        ),
        case("deleteEventStream", M::DELETE, format!("/projects/{p}/eventstreams/{stream}"), None, 204),
        case("deleteEventStream", M::DELETE, format!("/projects/{p}/eventstreams/{unknown}"), None, 404),
        text_case("validateOpl", format!("/projects/{p}/opl/validate"), "class User implements Namespace {}", 200),
        text_case("validateOpl", format!("/projects/{p}/opl/validate"), "class User implements {}", 200),
        text_case("validateOpl", format!("/projects/{unknown}/opl/validate"), "", 404),
        Case { auth: false, ..text_case("validateOpl", format!("/projects/{p}/opl/validate"), "", 401) },
        case("listWorkspaces", M::GET, "/workspaces", None, 200),
        Case { query: "page_size=0", ..case("listWorkspaces", M::GET, "/workspaces", None, 400) },
        Case { query: "page_size=1&page_size=2", ..case("listWorkspaces", M::GET, "/workspaces", None, 400) },
        case("createWorkspace", M::POST, "/workspaces", Some(json!({"name": "w"})), 201),
        case("createWorkspace", M::POST, "/workspaces", Some(json!({})), 400),
        case("getWorkspace", M::GET, format!("/workspaces/{ws}"), None, 200),
        case("getWorkspace", M::GET, format!("/workspaces/{unknown}"), None, 404),
        case("updateWorkspace", M::PUT, format!("/workspaces/{ws}"), Some(json!({"name": "renamed"})), 200),
        case("updateWorkspace", M::PUT, format!("/workspaces/{ws}"), Some(json!({"name": ""})), 400),
        case("listWorkspaceProjects", M::GET, format!("/workspaces/{ws}/projects"), None, 200),
        case("listWorkspaceProjects", M::GET, format!("/workspaces/{unknown}/projects"), None, 404),
        case("listWorkspaceApiKeys", M::GET, format!("/workspaces/{ws}/tokens"), None, 200),
        case("listWorkspaceApiKeys", M::GET, format!("/workspaces/{unknown}/tokens"), None, 404),
        case("createWorkspaceApiKey", M::POST, format!("/workspaces/{ws}/tokens"), Some(json!({"name": "ci"})), 201),
        case("createWorkspaceApiKey", M::POST, format!("/workspaces/{ws}/tokens"), Some(json!({"name": 5})), 400),
        case("deleteWorkspaceApiKey", M::DELETE, format!("/workspaces/{ws}/tokens/{wkey}"), None, 204),
        case("deleteWorkspaceApiKey", M::DELETE, format!("/workspaces/{ws}/tokens/{unknown}"), None, 404),
        case("purgeProject", M::DELETE, format!("/projects/{doomed}"), None, 204),
        case("purgeProject", M::DELETE, format!("/projects/{unknown}"), None, 404),
        Case { auth: false, ..case("purgeProject", M::DELETE, format!("/projects/{p}"), None, 401) },
    ];
    let mut failures = BTreeMap::new();
    let tried = run_cases(&spec, &emulator.url, &emulator.key, &cases, &mut failures);
    // The 200 case of a revision patch needs the revision of the moment.
    let fresh_revision = emulator.project(&p)["revision_id"].as_str().unwrap().to_string();
    let good_revision = case(
        "patchProjectWithRevision",
        M::PATCH,
        format!("/projects/{p}/revision/{fresh_revision}"),
        Some(json!([{"op": "replace", "path": "/name", "value": "again"}])),
        200,
    );
    let (status, body) = emulator.send(M::PATCH, &good_revision.path, good_revision.body.clone().unwrap());
    if let Some(problem) = check(&spec, &good_revision, status, "application/json", &body.to_string()) {
        failures.entry("patchProjectWithRevision").or_default().push(problem);
    }

    assert_all_conform(&spec, &tried, &failures);

    // Outside the operations: a method a path lacks, and a path that is not one.
    for (method, path, status) in [(M::PATCH, "/workspaces".to_string(), 405), (M::GET, "/nowhere".to_string(), 404)] {
        let response =
            http.request(method, format!("{}{path}", emulator.url)).bearer_auth(&emulator.key).send().unwrap();
        assert_eq!(response.status().as_u16(), status);
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
        let body: Value = response.json().unwrap();
        assert!(body["error"]["message"].is_string(), "{body}");
    }
}

/// The spec's operations of a project's own API that the emulator serves,
/// each with valid and invalid requests, through that project's key.
#[test]
fn every_project_api_operation_answers_as_the_spec_says() {
    let mut spec = part_committed(PROJECT_API_SPEC, is_served_project_api);
    let served = Path::new(env!("CARGO_MANIFEST_DIR")).join(PROJECT_API_AS_SERVED);
    json_patch::merge(&mut spec, &serde_json::from_str(&std::fs::read_to_string(served).unwrap()).unwrap());
    let emulator = Emulator::start();
    let p = emulator.new_project("spec");
    let slug = emulator.project(&p)["slug"].as_str().unwrap().to_string();
    let key = emulator.project_key(&p);
    let call = |method: Method, path: &str, body: Value| {
        let (status, _, body) = emulator.data_call(&key, method, &slug, path, Some(body));
        assert!(status < 300, "{body}");
        body["id"].as_str().or(body["client_id"].as_str()).unwrap().to_string()
    };
    let client = call(Method::POST, "/admin/clients", json!({"client_name": "kept"}));
    let doomed_client = call(Method::POST, "/admin/clients", json!({"client_name": "doomed"}));
    let person = |email: &str| json!({"schema_id": "preset://email", "traits": {"email": email}});
    let identity = call(Method::POST, "/admin/identities", person("kept@example.com"));
    let taken = call(Method::POST, "/admin/identities", person("taken@example.com"));
    let doomed_identity = call(Method::POST, "/admin/identities", person("doomed@example.com"));
    let unknown = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
    let bad_redirect = json!({"redirect_uris": ["https://app.example.com/cb#fragment"]});
    let new_key = |alg: &str, kid: &str| json!({"alg": alg, "kid": kid, "use": "sig"});
    let issuer_key = json!({"kty": "EC", "crv": "P-256", "kid": "idp-1", "alg": "ES256", "use": "sig",
        "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"});
    let trust = |subject: &str| {
        json!({"issuer": "https://idp.example.com", "subject": subject, "scope": ["openid"],
        "jwk": issuer_key, "expires_at": "2099-01-01T00:00:00Z"})
    };
    let trusts = "/admin/trust/grants/jwt-bearer/issuers";
    let kept_trust = call(Method::POST, trusts, trust("kept@example.com"));
    let doomed_trust = call(Method::POST, trusts, trust("doomed@example.com"));
    let enable = json!([{"op": "add", "path": "/services/oauth2/config/oidc", "value": {"dynamic_client_registration": {"enabled": true}}}]);
    emulator.patch_project(&p, enable);
    let register = |name: &str| {
        let (status, _, body) =
            emulator.data_call("", Method::POST, &slug, "/oauth2/register", Some(json!({"client_name": name})));
        assert_eq!(status, 201, "{body}");
        (
            body["client_id"].as_str().unwrap().to_string(),
            body["registration_access_token"].as_str().unwrap().to_string(),
        )
    };
    let (dynamic, dynamic_token) = register("kept");
    let (doomed_dynamic, doomed_token) = register("doomed");
    let dynamic_case = |operation, method, id: &str, body, status, token: &str| Case {
        token: Some(token.to_string()),
        ..case(operation, method, format!("/oauth2/register/{id}"), body, status)
    };
    let tuple = |namespace: &str, object: &str, subject: &str| json!({"namespace": namespace, "object": object, "relation": "viewers", "subject_id": subject});
    let oct = json!({"kty": "oct", "alg": "HS256", "use": "sig", "kid": "oct-1", "k": "c2VjcmV0LXNlY3JldC1zZWNyZXQ"});

    use Method as M;
    let cases = vec![
        case("listOAuth2Clients", M::GET, "/admin/clients", None, 200),
        Case { query: "page_size=1", ..case("listOAuth2Clients", M::GET, "/admin/clients", None, 200) },
        Case { auth: false, ..case("listOAuth2Clients", M::GET, "/admin/clients", None, 401) },
        case(
            "createOAuth2Client",
            M::POST,
            "/admin/clients",
            Some(
                json!({"client_name": "web", "grant_types": ["authorization_code"], "redirect_uris": ["https://app.example.com/cb"]}),
            ),
            201,
        ),
        case("createOAuth2Client", M::POST, "/admin/clients", Some(bad_redirect.clone()), 400),
        case("getOAuth2Client", M::GET, format!("/admin/clients/{client}"), None, 200),
        case("getOAuth2Client", M::GET, format!("/admin/clients/{unknown}"), None, 404),
        case(
            "setOAuth2Client",
            M::PUT,
            format!("/admin/clients/{client}"),
            Some(json!({"client_name": "renamed", "grant_types": ["client_credentials"]})),
            200,
        ),
        case("setOAuth2Client", M::PUT, format!("/admin/clients/{client}"), Some(bad_redirect), 400),
        case("setOAuth2Client", M::PUT, format!("/admin/clients/{unknown}"), Some(json!({})), 404),
        case("deleteOAuth2Client", M::DELETE, format!("/admin/clients/{doomed_client}"), None, 204),
        case("deleteOAuth2Client", M::DELETE, format!("/admin/clients/{unknown}"), None, 404),
        case("listIdentities", M::GET, "/admin/identities", None, 200),
        Case { query: "page_size=1", ..case("listIdentities", M::GET, "/admin/identities", None, 200) },
        Case { auth: false, ..case("listIdentities", M::GET, "/admin/identities", None, 401) },
        case("createIdentity", M::POST, "/admin/identities", Some(person("new@example.com")), 201),
        case(
            "createIdentity",
            M::POST,
            "/admin/identities",
            Some(json!({"schema_id": "preset://email", "traits": {"mail": "x"}})),
            400,
        ),
        case("createIdentity", M::POST, "/admin/identities", Some(person("taken@example.com")), 409),
        case("getIdentity", M::GET, format!("/admin/identities/{identity}"), None, 200),
        case("getIdentity", M::GET, format!("/admin/identities/{unknown}"), None, 404),
        case(
            "updateIdentity",
            M::PUT,
            format!("/admin/identities/{identity}"),
            Some(json!({"schema_id": "preset://email", "traits": {"email": "kept@example.com"}, "state": "inactive"})),
            200,
        ),
        case(
            "updateIdentity",
            M::PUT,
            format!("/admin/identities/{identity}"),
            Some(json!({"schema_id": "preset://email", "traits": {"email": "kept@example.com"}, "state": "banned"})),
            400,
        ),
        case("updateIdentity", M::PUT, format!("/admin/identities/{unknown}"), Some(person("x@example.com")), 404),
        case(
            "updateIdentity",
            M::PUT,
            format!("/admin/identities/{taken}"),
            Some(json!({"schema_id": "preset://email", "traits": {"email": "kept@example.com"}, "state": "active"})),
            409,
        ),
        case("deleteIdentity", M::DELETE, format!("/admin/identities/{doomed_identity}"), None, 204),
        case("deleteIdentity", M::DELETE, format!("/admin/identities/{unknown}"), None, 404),
        case("createJsonWebKeySet", M::POST, "/admin/keys/signing", Some(new_key("RS256", "rsa-1")), 201),
        case("createJsonWebKeySet", M::POST, "/admin/keys/signing", Some(new_key("ES256", "ec-1")), 201),
        case("createJsonWebKeySet", M::POST, "/admin/keys/doomed", Some(new_key("HS256", "hmac-1")), 201),
        case("createJsonWebKeySet", M::POST, "/admin/keys/signing", Some(new_key("RS512", "rsa-2")), 400),
        case("getJsonWebKeySet", M::GET, "/admin/keys/signing", None, 200),
        case("getJsonWebKeySet", M::GET, "/admin/keys/nowhere", None, 404),
        case("getJsonWebKey", M::GET, "/admin/keys/signing/rsa-1", None, 200),
        case("getJsonWebKey", M::GET, "/admin/keys/signing/nokey", None, 404),
        case("setJsonWebKey", M::PUT, "/admin/keys/signing/oct-1", Some(oct.clone()), 200),
        case("setJsonWebKey", M::PUT, "/admin/keys/signing/other", Some(oct.clone()), 400),
        case("setJsonWebKeySet", M::PUT, "/admin/keys/imported", Some(json!({"keys": [oct.clone()]})), 200),
        case("setJsonWebKeySet", M::PUT, "/admin/keys/imported", Some(json!({"keys": [{"kid": "x"}]})), 400),
        case("deleteJsonWebKey", M::DELETE, "/admin/keys/signing/ec-1", None, 204),
        case("deleteJsonWebKey", M::DELETE, "/admin/keys/signing/ec-1", None, 404),
        case("deleteJsonWebKeySet", M::DELETE, "/admin/keys/doomed", None, 204),
        case("deleteJsonWebKeySet", M::DELETE, "/admin/keys/doomed", None, 404),
        case("listTrustedOAuth2JwtGrantIssuers", M::GET, trusts, None, 200),
        Case { query: "page_size=x", ..case("listTrustedOAuth2JwtGrantIssuers", M::GET, trusts, None, 400) },
        Case { query: "page_size=1000", ..case("listTrustedOAuth2JwtGrantIssuers", M::GET, trusts, None, 200) },
        case("trustOAuth2JwtGrantIssuer", M::POST, trusts, Some(trust("new@example.com")), 201),
        case("trustOAuth2JwtGrantIssuer", M::POST, trusts, Some(trust("kept@example.com")), 409),
        case(
            "trustOAuth2JwtGrantIssuer",
            M::POST,
            trusts,
            Some(
                json!({"issuer": "https://idp.example.com", "scope": [], "jwk": {}, "expires_at": "2099-01-01T00:00:00Z"}),
            ),
            400,
        ),
        case("getTrustedOAuth2JwtGrantIssuer", M::GET, format!("{trusts}/{kept_trust}"), None, 200),
        case("getTrustedOAuth2JwtGrantIssuer", M::GET, format!("{trusts}/{unknown}"), None, 404),
        case("deleteTrustedOAuth2JwtGrantIssuer", M::DELETE, format!("{trusts}/{doomed_trust}"), None, 204),
        case("deleteTrustedOAuth2JwtGrantIssuer", M::DELETE, format!("{trusts}/{unknown}"), None, 404),
        case("createRelationship", M::PUT, "/admin/relation-tuples", Some(tuple("default", "doc", "alice")), 201),
        case("createRelationship", M::PUT, "/admin/relation-tuples", Some(tuple("default", "doc", "bob")), 201),
        case("createRelationship", M::PUT, "/admin/relation-tuples", Some(tuple("nowhere", "doc", "bob")), 404),
        case("createRelationship", M::PUT, "/admin/relation-tuples", Some(json!({"namespace": "default"})), 400),
        case("getRelationships", M::GET, "/relation-tuples", None, 200),
        Case {
            query: "namespace=default&page_size=1",
            ..case("getRelationships", M::GET, "/relation-tuples", None, 200)
        },
        Case { query: "namespace=nowhere", ..case("getRelationships", M::GET, "/relation-tuples", None, 404) },
        Case {
            query: "namespace=default&object=doc&relation=viewers&subject_id=bob",
            ..case("deleteRelationships", M::DELETE, "/admin/relation-tuples", None, 204)
        },
        case("deleteRelationships", M::DELETE, "/admin/relation-tuples", None, 400),
        case("listRelationshipNamespaces", M::GET, "/namespaces", None, 200),
        Case { query: ALICE_VIEWS, ..case("checkPermission", M::GET, "/relation-tuples/check/openapi", None, 200) },
        Case { query: NOBODY_VIEWS, ..case("checkPermission", M::GET, "/relation-tuples/check/openapi", None, 200) },
        Case {
            query: "namespace=default",
            ..case("checkPermission", M::GET, "/relation-tuples/check/openapi", None, 400)
        },
        Case { query: ALICE_VIEWS, ..case("checkPermissionOrError", M::GET, "/relation-tuples/check", None, 200) },
        Case { query: NOBODY_VIEWS, ..case("checkPermissionOrError", M::GET, "/relation-tuples/check", None, 403) },
        Case { query: "max-depth=x", ..case("checkPermissionOrError", M::GET, "/relation-tuples/check", None, 400) },
        case(
            "postCheckPermission",
            M::POST,
            "/relation-tuples/check/openapi",
            Some(tuple("default", "doc", "alice")),
            200,
        ),
        case(
            "postCheckPermission",
            M::POST,
            "/relation-tuples/check/openapi",
            Some(json!({"namespace": "default"})),
            400,
        ),
        case(
            "postCheckPermissionOrError",
            M::POST,
            "/relation-tuples/check",
            Some(tuple("default", "doc", "alice")),
            200,
        ),
        case(
            "postCheckPermissionOrError",
            M::POST,
            "/relation-tuples/check",
            Some(tuple("default", "doc", "nobody")),
            403,
        ),
        case("postCheckPermissionOrError", M::POST, "/relation-tuples/check", Some(json!([])), 400),
        case(
            "batchCheckPermission",
            M::POST,
            "/relation-tuples/batch/check",
            Some(json!({"tuples": [tuple("default", "doc", "alice"), tuple("nowhere", "doc", "alice")]})),
            200,
        ),
        case(
            "batchCheckPermission",
            M::POST,
            "/relation-tuples/batch/check",
            Some(json!({"tuples": vec![tuple("default", "doc", "alice"); 11]})),
            400,
        ),
        // A new project is in Keto's strict mode, where a legacy namespace
        // (no relations declared) has nothing to expand.
        Case {
            query: "namespace=default&object=doc&relation=viewers",
            ..case("expandPermissions", M::GET, "/relation-tuples/expand", None, 404)
        },
        Case {
            query: "namespace=nowhere&object=doc&relation=viewers",
            ..case("expandPermissions", M::GET, "/relation-tuples/expand", None, 404)
        },
        Case {
            query: "namespace=default&object=doc&relation=viewers&max-depth=x",
            ..case("expandPermissions", M::GET, "/relation-tuples/expand", None, 400)
        },
        Case {
            auth: false,
            ..case("createOidcDynamicClient", M::POST, "/oauth2/register", Some(json!({"client_name": "new"})), 201)
        },
        Case {
            auth: false,
            ..case(
                "createOidcDynamicClient",
                M::POST,
                "/oauth2/register",
                Some(json!({"client_secret": "chosen-secret"})),
                400,
            )
        },
        dynamic_case("getOidcDynamicClient", M::GET, &dynamic, None, 200, &dynamic_token),
        dynamic_case("getOidcDynamicClient", M::GET, &dynamic, None, 401, "not-the-token"),
        dynamic_case(
            "setOidcDynamicClient",
            M::PUT,
            &dynamic,
            Some(json!({"client_name": "renamed"})),
            200,
            &dynamic_token,
        ),
        dynamic_case("setOidcDynamicClient", M::PUT, unknown, Some(json!({})), 401, &dynamic_token),
        dynamic_case("deleteOidcDynamicClient", M::DELETE, &doomed_dynamic, None, 204, &doomed_token),
        dynamic_case("deleteOidcDynamicClient", M::DELETE, &doomed_dynamic, None, 401, &doomed_token),
    ];
    let mut failures = BTreeMap::new();
    let base = format!("{}/project-api/{slug}", emulator.url);
    let tried = run_cases(&spec, &base, &key, &cases, &mut failures);
    assert_all_conform(&spec, &tried, &failures);
}
