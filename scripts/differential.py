#!/usr/bin/env python3
"""Sends the same requests to Ory's own servers (built by
scripts/ory-server.sh, on loopback, in-memory) and to the emulator's project
API, and compares the answers field by field: status, then each field of the
body, IDs, secrets and times aside. Prints each difference and the counts
per server: OAuth2 clients against Ory Hydra, identities against Ory Kratos.

    scripts/differential.py [hydra] [kratos]   # exits 1 on a difference docs/emulator.md does not list
    scripts/differential.py --report           # prints, exits 0

Needs `make dev` (the emulator binary) and `make peers` (the servers).
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EMULATOR = os.environ.get("EMULATOR") or os.path.join(ROOT, "target/debug/ory-console-emulator")
# Values each server makes up for itself, at any depth of an answer.
TIMES = {"created_at", "updated_at"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base, headers, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    for name, value in headers.items():
        request.add_header(name, value)
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        text = error.read()
        try:
            return error.code, json.loads(text or b"null")
        except ValueError:
            return error.code, text.decode(errors="replace")


def wait_ready(process, url, log):
    for _ in range(300):
        try:
            with urllib.request.urlopen(url) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    process.kill()
    sys.exit(f"{url} did not become ready: " + open(log).read()[-2000:])


def start_hydra(hydra, tmp, emulator):
    public, admin = free_port(), free_port()
    env = dict(os.environ)
    env.update({
        "DSN": "memory",
        "SERVE_PUBLIC_HOST": "127.0.0.1",
        "SERVE_PUBLIC_PORT": str(public),
        "SERVE_ADMIN_HOST": "127.0.0.1",
        "SERVE_ADMIN_PORT": str(admin),
        "URLS_SELF_ISSUER": f"http://127.0.0.1:{public}",
        "SECRETS_SYSTEM": "a-system-secret-of-32-characters",
        "SQA_OPT_OUT": "true",
        "LOG_LEVEL": "error",
    })
    log = os.path.join(tmp, "hydra.log")
    process = subprocess.Popen([hydra, "serve", "all", "--dev", "--sqa-opt-out"], env=env,
                               stdout=open(log, "w"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{admin}"
    wait_ready(process, base + "/health/ready", log)
    return process, base


def start_kratos(kratos, tmp, emulator):
    """Kratos with the emulator's identity schemas, under their IDs."""
    public, admin = free_port(), free_port()
    schemas = emulator["config"]["services"]["identity"]["config"]["identity"]["schemas"]
    listed = "".join(f"    - id: {json.dumps(s['id'])}\n      url: {json.dumps(s['url'])}\n" for s in schemas)
    config = os.path.join(tmp, "kratos.yml")
    with open(config, "w") as f:
        f.write(
            f"dsn: memory\nserve:\n  public:\n    host: 127.0.0.1\n    port: {public}\n"
            f"    base_url: http://127.0.0.1:{public}/\n  admin:\n    host: 127.0.0.1\n    port: {admin}\n"
            f"selfservice:\n  default_browser_return_url: http://127.0.0.1:{public}/\n"
            f"identity:\n  default_schema_id: {json.dumps(schemas[0]['id'])}\n  schemas:\n{listed}"
            "courier:\n  smtp:\n    connection_uri: smtp://127.0.0.1:9/\nlog:\n  level: error\n")
    log = os.path.join(tmp, "kratos.log")
    process = subprocess.Popen([kratos, "serve", "-c", config, "--dev", "--sqa-opt-out"], cwd=tmp,
                               stdout=open(log, "w"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{admin}"
    wait_ready(process, base + "/admin/health/ready", log)
    return process, base


def start_emulator():
    process = subprocess.Popen([EMULATOR], stdout=subprocess.PIPE, text=True)
    startup = json.loads(process.stdout.readline())
    url, key = startup["url"], startup["workspace_api_key"]
    workspace = {"Authorization": "Bearer " + key}
    _, project = call(url, workspace, "POST", "/projects", {"name": "differential", "environment": "prod"})
    _, token = call(url, workspace, "POST", f"/projects/{project['id']}/tokens", {"name": "differential"})
    _, config = call(url, workspace, "GET", f"/projects/{project['id']}")
    return {
        "process": process,
        "url": url + f"/project-api/{project['slug']}",
        "headers": {"Authorization": "Bearer " + token["value"]},
        "config": config,
    }


FULL = {
    "client_name": "Full",
    "grant_types": ["authorization_code", "refresh_token"],
    "response_types": ["code"],
    "redirect_uris": ["https://app.example.com/callback"],
    "post_logout_redirect_uris": ["https://app.example.com/bye"],
    "scope": "openid offline_access",
    "audience": ["https://api.example.com"],
    "allowed_cors_origins": ["https://app.example.com"],
    "token_endpoint_auth_method": "client_secret_post",
    "client_uri": "https://app.example.com",
    "contacts": ["ops@example.com"],
    "metadata": {"team": "platform"},
    "skip_consent": True,
    "frontchannel_logout_uri": "https://app.example.com/front",
    "frontchannel_logout_session_required": True,
    "authorization_code_grant_access_token_lifespan": "1h0m0s",
}

# (name, method, path, body); {full} is the ID the step "create a full ..." made.
HYDRA_STEPS = [
    ("create an empty client", "POST", "/admin/clients", {}),
    ("create a full client", "POST", "/admin/clients", FULL),
    ("read it", "GET", "/admin/clients/{full}", None),
    ("replace it", "PUT", "/admin/clients/{full}", dict(FULL, client_name="Replaced", scope="openid")),
    ("read the replaced", "GET", "/admin/clients/{full}", None),
    ("list by client_name", "GET", "/admin/clients?client_name=Replaced", None),
    ("list by an owner none has", "GET", "/admin/clients?owner=nobody", None),
    ("a page of 1000", "GET", "/admin/clients?page_size=1000&client_name=Replaced", None),
    ("a page of 0", "GET", "/admin/clients?page_size=0&client_name=Replaced", None),
    ("a page size that is not a number", "GET", "/admin/clients?page_size=x", None),
    ("trusts, a page of 1000", "GET", "/admin/trust/grants/jwt-bearer/issuers?page_size=1000", None),
    ("a redirect URI with a fragment", "POST", "/admin/clients", {"redirect_uris": ["https://app.example.com/#x"]}),
    ("a secret too short", "POST", "/admin/clients", {"client_secret": "abc"}),
    ("jwks and jwks_uri both", "POST", "/admin/clients",
     {"jwks_uri": "https://app.example.com/jwks", "jwks": {"keys": []}}),
    ("an unknown grant type", "POST", "/admin/clients", {"grant_types": ["password-ish"]}),
    ("a client that does not exist", "GET", "/admin/clients/00000000-0000-0000-0000-000000000000", None),
    ("delete it", "DELETE", "/admin/clients/{full}", None),
    ("read the deleted", "GET", "/admin/clients/{full}", None),
    ("delete it again", "DELETE", "/admin/clients/{full}", None),
]


EMAIL = "preset://email"
FULL_IDENTITY = {
    "schema_id": EMAIL,
    "traits": {"email": "full@example.com"},
    "state": "active",
    "metadata_public": {"role": "admin"},
    "metadata_admin": {"note": "seeded"},
    "credentials": {"password": {"config": {
        "hashed_password": "$2a$10$PO9Y0MxNYFhCUJI0s1BSTO/PlLRyqDzBcma37xM0obSgvqPIpN4HW"}}},
}

KRATOS_STEPS = [
    ("create a minimal identity", "POST", "/admin/identities", {"schema_id": EMAIL, "traits": {"email": "min@example.com"}}),
    ("create a full identity", "POST", "/admin/identities", FULL_IDENTITY),
    ("read it", "GET", "/admin/identities/{full}", None),
    ("list them", "GET", "/admin/identities", None),
    ("list by ids", "GET", "/admin/identities?ids={full}", None),
    ("ids that are not UUIDs", "GET", "/admin/identities?ids=nope", None),
    ("two filters at once", "GET", "/admin/identities?ids={full}&credentials_identifier=full@example.com", None),
    ("a page of 1000", "GET", "/admin/identities?page_size=1000&credentials_identifier=full@example.com", None),
    ("a page size that is not a number", "GET", "/admin/identities?page_size=x", None),
    ("find it by its identifier", "GET", "/admin/identities?credentials_identifier=full@example.com", None),
    ("replace it", "PUT", "/admin/identities/{full}",
     {"schema_id": EMAIL, "traits": {"email": "replaced@example.com"}, "state": "inactive"}),
    ("read the replaced", "GET", "/admin/identities/{full}", None),
    ("traits that break the schema", "POST", "/admin/identities", {"schema_id": EMAIL, "traits": {"mail": "x"}}),
    ("a schema that does not exist", "POST", "/admin/identities",
     {"schema_id": "nope", "traits": {"email": "nope@example.com"}}),
    ("an email another identity has", "POST", "/admin/identities",
     {"schema_id": EMAIL, "traits": {"email": "min@example.com"}}),
    ("an identity that does not exist", "GET", "/admin/identities/00000000-0000-0000-0000-000000000000", None),
    # Ory Network's Kratos is newer than v1.3.1, which has no external_id.
    ("an external_id", "POST", "/admin/identities",
     {"schema_id": EMAIL, "traits": {"email": "ext@example.com"}, "external_id": "crm-42"}),
    ("delete it", "DELETE", "/admin/identities/{full}", None),
    ("read the deleted", "GET", "/admin/identities/{full}", None),
    ("delete it again", "DELETE", "/admin/identities/{full}", None),
]

SERVERS = {
    "hydra": {
        "name": "Hydra", "script": ["scripts/ory-server.sh", "hydra"], "start": start_hydra, "steps": HYDRA_STEPS,
        "id": "client_id",
        "own": TIMES | {"client_id", "client_secret", "registration_access_token", "registration_client_uri"},
        # Hydra v2.3.0 ignores a page_size that is not a number; Hydra's
        # code since (keysetpagination_v2, which Ory Network runs) refuses it.
        "listed": lambda step, where, theirs, ours: step == "a page size that is not a number",
    },
    "kratos": {
        "name": "Kratos", "script": ["scripts/ory-server.sh", "kratos"], "start": start_kratos, "steps": KRATOS_STEPS,
        "id": "id", "own": TIMES | {"id", "schema_url", "state_changed_at"},
        # Kratos v1.3.1 predates external_id, which Ory Network has; the
        # emulator gives every error a request ID, as Ory Network's edge does.
        # Kratos v1.3.1 also takes two filters at once; its code since refuses them.
        "listed": lambda step, where, theirs, ours: step in ("an external_id", "two filters at once")
        or (where == "error fields" and set(theirs) ^ set(ours) == {"request"}),
    },
}


def mine(value, own):
    """A value without what each server makes up, as text to sort by."""
    strip = lambda v: {k: strip(x) for k, x in v.items() if k not in own} if isinstance(v, dict) else v
    return json.dumps(strip(value), sort_keys=True)


def compare(theirs, ours, own, path=""):
    """The differences of two answers, each as (path, the server's, the emulator's)."""
    if isinstance(theirs, dict) and isinstance(ours, dict):
        out = []
        for key in sorted(set(theirs) | set(ours)):
            if key in own:
                continue
            if key not in ours:
                out.append((f"{path}/{key}", theirs[key], "(absent)"))
            elif key not in theirs:
                out.append((f"{path}/{key}", "(absent)", ours[key]))
            else:
                out.extend(compare(theirs[key], ours[key], own, f"{path}/{key}"))
        return out
    if isinstance(theirs, list) and isinstance(ours, list) and len(theirs) == len(ours):
        # A listing's order is by ID, which each server makes up: compared in one order.
        theirs, ours = sorted(theirs, key=lambda v: mine(v, own)), sorted(ours, key=lambda v: mine(v, own))
        return [d for i, (t, o) in enumerate(zip(theirs, ours)) for d in compare(t, o, own, f"{path}/{i}")]
    return [] if theirs == ours else [(path or "/", theirs, ours)]


def differential(server, binary, tmp):
    """Runs one server's steps against it and a fresh emulator: (alike
    steps, differences, differences not listed in docs/emulator.md)."""
    emulator = start_emulator()
    process, url = server["start"](binary, tmp, emulator)
    try:
        ids = {"server": {}, "emulator": {}}
        same_steps, differences, unlisted = 0, 0, 0
        for name, method, path, body in server["steps"]:
            answers = {}
            for side, base, headers in (("server", url, {}), ("emulator", emulator["url"], emulator["headers"])):
                status, answer = call(base, headers, method, path.format(**ids[side]), body)
                answers[side] = (status, answer)
                if name.startswith("create a full") and isinstance(answer, dict):
                    ids[side]["full"] = answer.get(server["id"], "")
            (ts, ta), (es, ea) = answers["server"], answers["emulator"]
            found = [("status", ts, es)] if ts != es else []
            # An error's text is the server's; its shape is compared, its words are not.
            if isinstance(ta, dict) and "error" in ta and isinstance(ea, dict) and "error" in ea:
                shape = lambda a: sorted(a["error"]) if isinstance(a["error"], dict) else sorted(a)
                if shape(ta) != shape(ea):
                    found.append(("error fields", shape(ta), shape(ea)))
            else:
                found += compare(ta, ea, server["own"])
            if found:
                differences += len(found)
                print(f"DIFFERS {name}:")
                for where, theirs, ours in found:
                    listed = server["listed"](name, where, theirs, ours)
                    unlisted += not listed
                    mark = "listed" if listed else "NEW"
                    print(f"    {mark} {where}: {server['name']} {json.dumps(theirs)[:120]}, emulator {json.dumps(ours)[:120]}")
            else:
                same_steps += 1
                print(f"same    {name}")
        return same_steps, differences, unlisted
    finally:
        process.kill()
        emulator["process"].kill()


def main():
    report = "--report" in sys.argv
    chosen = [name for name in SERVERS if name in sys.argv[1:]] or list(SERVERS)
    summary, failed = [], False
    for name in chosen:
        server = SERVERS[name]
        script, name_arg = server["script"]
        built = subprocess.run([os.path.join(ROOT, script), name_arg], capture_output=True, text=True)
        if built.returncode != 0:
            print(f"SKIPPED: the {server['name']} differential: " + built.stderr.strip().splitlines()[-1])
            continue
        with tempfile.TemporaryDirectory() as tmp:
            same, differences, unlisted = differential(server, built.stdout.strip(), tmp)
        summary.append(f"{server['name']}: {same} of {len(server['steps'])} steps answered alike; "
                       f"{differences} differences, {unlisted} of them not listed in docs/emulator.md")
        failed = failed or unlisted > 0
    print("\n".join(summary))
    if failed and not report:
        sys.exit(1)


if __name__ == "__main__":
    main()
