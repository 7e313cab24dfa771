"""The console's answers against Ory's SDK models (`make sdk-check`): each
answer decoded by its `ory-client` model, and every field the model does
not declare named. The SDK's models keep undeclared fields aside rather
than refusing them, so a field the emulator invents would pass unseen."""

import json
import urllib.request

from ory_client import models as m


def raw(start, method, path, body=None, text=False):
    data = None if body is None else (body.encode() if text else json.dumps(body).encode())
    request = urllib.request.Request(
        start["url"] + path,
        method=method,
        data=data,
        headers={
            "Authorization": "Bearer " + start["workspace_api_key"],
            "Content-Type": "text/plain" if text else "application/json",
        },
    )
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)


def undeclared(model, answer, where):
    """The fields of `answer` that `model` (and the models it nests) do not declare."""
    decoded = model.from_dict(answer)
    found = []
    extra = getattr(decoded, "additional_properties", {}) or {}
    found += [f"{where}.{key}" for key in sorted(extra)]
    for name, field in type(decoded).model_fields.items():
        value = getattr(decoded, name)
        items = value if isinstance(value, list) else [value]
        for i, item in enumerate(items):
            nested = getattr(item, "additional_properties", None)
            if nested:
                suffix = f"[{i}]" if isinstance(value, list) else ""
                found += [f"{where}.{field.alias or name}{suffix}.{key}" for key in sorted(nested)]
    return found


def check(start):
    """Every console answer decodes; returns the undeclared fields, by call."""
    found = {}

    def see(call, model, answer, listed=False):
        for i, item in enumerate(answer if listed else [answer]):
            found.setdefault(call, []).extend(undeclared(model, item, call + (f"[{i}]" if listed else "")))
        return answer

    project = see("createProject", m.Project, raw(start, "POST", "/projects", {"name": "sdk", "environment": "dev"}))
    pid = project["id"]
    see("getProject", m.Project, raw(start, "GET", f"/projects/{pid}"))
    see("listProjects", m.ProjectMetadata, raw(start, "GET", "/projects"), listed=True)
    patch = [{"op": "replace", "path": "/name", "value": "sdk 2"}]
    see("patchProjectWithRevision", m.SuccessfulProjectUpdate, raw(start, "PATCH", f"/projects/{pid}", patch))
    workspace = see("createWorkspace", m.Workspace, raw(start, "POST", "/workspaces", {"name": "w"}))
    see("getWorkspace", m.Workspace, raw(start, "GET", f"/workspaces/{workspace['id']}"))
    own = see("listWorkspaces", m.ListWorkspaces, raw(start, "GET", "/workspaces"))
    see("createProjectApiKey", m.ProjectApiKey, raw(start, "POST", f"/projects/{pid}/tokens", {"name": "k"}))
    see("listProjectApiKeys", m.ProjectApiKey, raw(start, "GET", f"/projects/{pid}/tokens"), listed=True)
    wid = own["workspaces"][0]["id"]  # a key reaches its own workspace only
    see("listWorkspaceApiKeys", m.WorkspaceApiKey, raw(start, "GET", f"/workspaces/{wid}/tokens"), listed=True)
    stage = see("createProject (stage)", m.Project,
                raw(start, "POST", "/projects", {"name": "orgs", "environment": "stage"}))
    sid = stage["id"]
    org = see("createOrganization", m.Organization,
              raw(start, "POST", f"/projects/{sid}/organizations", {"label": "Acme", "domains": ["acme.example"]}))
    see("getOrganization", m.GetOrganizationResponse, raw(start, "GET", f"/projects/{sid}/organizations/{org['id']}"))
    see("listOrganizations", m.ListOrganizationsResponse, raw(start, "GET", f"/projects/{sid}/organizations"))
    stream = {"type": "sns", "topic_arn": "arn:aws:sns:us-east-1:123456789012:t", "role_arn": "arn:aws:iam::123456789012:role/r"}
    see("createEventStream", m.EventStream, raw(start, "POST", f"/projects/{pid}/eventstreams", stream))
    see("listEventStreams", m.ListEventStreams, raw(start, "GET", f"/projects/{pid}/eventstreams"))
    see("validateOpl", m.OplValidateResult,
        raw(start, "POST", f"/projects/{pid}/opl/validate", "class User implements Namespace { x }", text=True))
    return {call: fields for call, fields in found.items() if fields}
