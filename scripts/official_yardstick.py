#!/usr/bin/env python3
"""Runs Ory's official provider's configurations, unchanged, against this
provider and the emulator: the yardstick of docs/guides/migrating-from-ory-ory.md.

    scripts/official_yardstick.py <checkout of ory/terraform-provider-ory> [name-filter]

Takes every `examples/**/*.tf` directory and every `internal/**/testdata/*.tf.tmpl`
file. Each runs in its own directory with only a `required_providers` block
added (the source replaced by this provider's) and the official environment
variables set (a prod project, its slug and a key of it); a `[[ .Name ]]`
placeholder of the acceptance tests gets a plain value. Each is validated,
applied, planned again (no change expected) and destroyed; the table says
which step failed, and the first error line. Needs `make dev` (the binaries)
and terraform on PATH ($TERRAFORM picks another, OpenTofu too). Nothing here reaches the network but the emulator.
"""

import base64
import concurrent.futures
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROVIDER = os.path.join(ROOT, "target/debug/terraform-provider-ory")
EMULATOR = os.path.join(ROOT, "target/debug/ory-console-emulator")
# $TERRAFORM picks the binary, as for the tests (OpenTofu too).
TERRAFORM = os.environ.get("TERRAFORM") or "terraform"
METADATA = (
    '<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com">'
    '<IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
    '<KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data>'
    "<X509Certificate>MIIC</X509Certificate></X509Data></KeyInfo></KeyDescriptor>"
    '<SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/>'
    "</IDPSSODescriptor></EntityDescriptor>"
)
OPL = "class User implements Namespace {}\nclass Document implements Namespace {\n  related: { viewers: User[] }\n}\n"


def placeholders(n, env):
    return {
        "Name": f"tf-test-{n}",
        "ProjectName": f"tf-test-project-{n}",
        "AppURL": "https://app.example.com",
        "ClientID": f"client-{n}",
        "SchemaID": f"schema-{n}",
        "TTL": "1h",
        "Version": "1",
        "SMTPURI": "smtps://user:password@smtp.example.com:465",
        "Secret": "a-secret-of-some-length",
        "State": "enabled",
        "Label": f"Label {n}",
        "MapperURL": "base64://" + base64.b64encode(b"{ identity: { traits: {} } }").decode(),
        "OPL": "base64://" + base64.b64encode(OPL.encode()).decode(),
        "ProjectSlug": env["ORY_PROJECT_SLUG"],
        "ProjectAPIKey": env["ORY_PROJECT_API_KEY"],
        "ProjectID": env["ORY_PROJECT_ID"],
        "BaseRedirectURI": "https://auth.example.com",
        "PasswordProfileNodeGroup": "true",
        "EnableAXV2": "true",
        "Email": f"user-{n}@example.com",
        "Hostname": f"auth-{n}.example.com",
        "WebhookURL": "https://hooks.example.com",
        "Username": f"user-{n}",
        "Recipients": "all_verified",
        "LogoLight": "https://cdn.example.com/logo.png",
        "FaviconLight": "https://cdn.example.com/favicon.ico",
        "BrandColor": "#3b82f6",
        "MetadataXML": "base64://" + base64.b64encode(METADATA.encode()).decode(),
        "PrivateKey": "-----BEGIN PRIVATE KEY-----\nMIGTAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBHkwdwIBAQQg\n-----END PRIVATE KEY-----",
        "OrgLabel": f"Org {n}",
        "CookieDomain": "example.com",
        "SameSiteMode": "Lax",
        "Prefix": "ory_at",
        "Body": "base64://" + base64.b64encode(b"function(ctx) { to: ctx.recipient }").decode(),
        "ExpiresAt": (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "TopicArn": "arn:aws:sns:us-east-1:123456789012:ory-events",
        "RoleArn": "arn:aws:iam::123456789012:role/ory-events",
        "ContentID": f"content-{n}",
        "StrictMode": "true",
        "UpdatedBaseRedirectURI": "https://auth-updated.example.com",
    }


def variable_value(name):
    """A value for a variable the configuration declares without a default, as
    a team would pass with TF_VAR_: the configurations stay unchanged."""
    if "uri" in name:
        return "smtps://user:password@smtp.example.com:465"
    if "metadata" in name:
        return METADATA
    if name.endswith("private_key"):
        return "-----BEGIN PRIVATE KEY-----\nMIGTAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBHkwdwIBAQQg\n-----END PRIVATE KEY-----"
    return f"value-of-{name}"


def required_variables(texts):
    for text in texts:
        for name, body in re.findall(r'variable\s+"(\w+)"\s*\{(.*?)\n\}', text, re.S):
            if not re.search(r"^\s*default\s*=", body, re.M):
                yield name


# A value for a placeholder the table above does not name, by how its name ends.
BY_SUFFIX = [
    (("URL",), "https://auth.example.com"),
    (("Lifespan", "TTL", "MaxAge", "Extend"), "1h0m0s"),
    (("AAL",), "aal1"),
    (("Use",), "code"),
    (("Salt",), "a-salt-of-some-length"),
    (("Style",), "identifier_first"),
    (("Domain",), "example.com"),
    (("Path",), "/"),
]


def guess(name, n):
    if re.search(r"ID\d*$", name):
        return f"{name.lower()}-{n}"
    # Otherwise a switch, as in most of the official tests.
    return next((value for suffixes, value in BY_SUFFIX if name.endswith(suffixes)), "true")


def fill(text, values, n):
    return re.sub(r"\[\[\s*\.(\w+)\s*\]\]", lambda m: values.get(m.group(1)) or guess(m.group(1), n), text)


def call(url, key, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url + path, data=data, method=method)
    request.add_header("Authorization", "Bearer " + key)
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request) as answer:
        return json.loads(answer.read() or b"null")


def run(cmd, cwd, env):
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    return done.returncode, done.stdout + done.stderr


def first_error(text):
    for line in text.splitlines():
        if line.startswith("Error:") or "│ Error:" in line:
            return line.replace("│", "").strip()[:160]
    return text.strip().splitlines()[-1][:160] if text.strip() else ""


def cases(checkout):
    for base, _, files in sorted(os.walk(os.path.join(checkout, "examples"))):
        tf = sorted(f for f in files if f.endswith(".tf"))
        if tf:
            yield os.path.relpath(base, checkout), {f: open(os.path.join(base, f)).read() for f in files}
    for base, _, files in sorted(os.walk(os.path.join(checkout, "internal"))):
        for f in sorted(files):
            if f.endswith(".tf.tmpl"):
                yield os.path.relpath(os.path.join(base, f), checkout), {"main.tf": open(os.path.join(base, f)).read()}


def fresh_project(url, key, n):
    """A project of its own for each case, as each official test run has: the
    cases run in parallel and their fixed IDs (`test-google-pkce`, ...) do not
    meet. Keto namespaces for the relationship tests and dynamic client
    registration are on, as in Ory's acceptance project."""
    project = call(url, key, "POST", "/projects", {"name": f"yardstick-{n}", "environment": "prod"})
    token = call(url, key, "POST", f"/projects/{project['id']}/tokens", {"name": "yardstick"})
    call(url, key, "PATCH", f"/projects/{project['id']}", [
        {"op": "add", "path": "/services/permission/config/namespaces",
         "value": [{"id": i, "name": n} for i, n in enumerate(["documents", "folders", "groups"])]},
        {"op": "add", "path": "/services/oauth2/config/oidc",
         "value": {"dynamic_client_registration": {"enabled": True}}},
    ])
    return project, token["value"]


OURS = 'source = "terraform.local/ory/ory"'


def run_case(n, name, files, url, key, base_env, tmp):
    project, project_key = fresh_project(url, key, n)
    env = dict(base_env)
    env.update({
        "ORY_WORKSPACE_ID": project.get("workspace_id") or "",
        "ORY_PROJECT_ID": project["id"],
        "ORY_PROJECT_SLUG": project["slug"],
        "ORY_PROJECT_API_KEY": project_key,
    })
    work = os.path.join(tmp, f"case-{n}")
    os.makedirs(work)
    values = placeholders(n, env)
    texts = {fname: fill(text, values, n) for fname, text in files.items()}
    # Only the source address changes: where a configuration names Ory's,
    # it names ours instead; elsewhere a block naming ours is added.
    if any('source = "ory/ory"' in t for t in texts.values()):
        texts = {f: t.replace('source = "ory/ory"', OURS) for f, t in texts.items()}
    else:
        texts["_yardstick_provider.tf"] = 'terraform {\n  required_providers {\n    ory = { ' + OURS + ' }\n  }\n}\n'
    for fname, text in texts.items():
        with open(os.path.join(work, fname), "w") as f:
            f.write(text)
    for variable in required_variables(t for f, t in texts.items() if f.endswith(".tf")):
        env["TF_VAR_" + variable] = variable_value(variable)
    steps = [
        ("init", [TERRAFORM, "init", "-input=false", "-no-color"]),
        ("validate", [TERRAFORM, "validate", "-no-color"]),
        ("apply", [TERRAFORM, "apply", "-auto-approve", "-input=false", "-no-color"]),
        ("replan", [TERRAFORM, "plan", "-detailed-exitcode", "-input=false", "-no-color"]),
        ("destroy", [TERRAFORM, "destroy", "-auto-approve", "-input=false", "-no-color"]),
    ]
    failed = None
    for step, cmd in steps:
        code, out = run(cmd, work, env)
        if code != 0:
            failed = (step, first_error(out) if step != "replan" or code != 2 else "the plan after apply is not empty")
            break
    shutil.rmtree(work, ignore_errors=True)
    return name, failed


def main():
    checkout, wanted = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "")
    emulator = subprocess.Popen([EMULATOR, "--allow-workspace-key-writes"], stdout=subprocess.PIPE, text=True)
    try:
        startup = json.loads(emulator.stdout.readline())
        url, key = startup["url"], startup["workspace_api_key"]
        env = dict(os.environ)
        env.update({
            "ORY_CONSOLE_API_URL": url,
            "ORY_WORKSPACE_API_KEY": key,
            "ORY_PROJECT_API_URL": url + "/project-api/%s",
            "TF_IN_AUTOMATION": "1",
            "CHECKPOINT_DISABLE": "1",
        })
        with tempfile.TemporaryDirectory() as tmp:
            mirror = os.path.join(tmp, "mirror/terraform.local/ory/ory/0.1.0/linux_amd64")
            os.makedirs(mirror)
            os.symlink(PROVIDER, os.path.join(mirror, "terraform-provider-ory_v0.1.0"))
            rc = os.path.join(tmp, "terraform.rc")
            with open(rc, "w") as f:
                f.write('provider_installation {\n  filesystem_mirror {\n    path = "%s"\n    include = ["terraform.local/*/*"]\n  }\n  direct {\n    exclude = ["terraform.local/*/*"]\n  }\n}\n' % os.path.join(tmp, "mirror"))
            env["TF_CLI_CONFIG_FILE"] = rc
            chosen = [(n, name, files) for n, (name, files) in enumerate(cases(checkout)) if wanted in name]
            failures = []
            workers = int(os.environ.get("YARDSTICK_JOBS", os.cpu_count() or 2))
            with concurrent.futures.ThreadPoolExecutor(workers) as pool:
                running = [pool.submit(run_case, n, name, files, url, key, env, tmp) for n, name, files in chosen]
                for done in concurrent.futures.as_completed(running):
                    name, failed = done.result()
                    if failed:
                        failures.append(name)
                        print(f"FAIL {name}: {failed[0]}: {failed[1]}", flush=True)
                    else:
                        print(f"ok   {name}", flush=True)
            print(f"{len(chosen) - len(failures)} of {len(chosen)} work end to end")
    finally:
        emulator.kill()


if __name__ == "__main__":
    main()
