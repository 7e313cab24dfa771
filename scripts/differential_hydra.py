#!/usr/bin/env python3
"""Sends the same OAuth2 client requests to Ory Hydra (built by
scripts/hydra.sh, on loopback, in-memory) and to the emulator's project API,
and compares the answers field by field: status, then each field of the body,
IDs, secrets and times aside. Prints each difference and the counts.

    scripts/differential_hydra.py            # exits 1 when an answer differs
    scripts/differential_hydra.py --report   # prints, exits 0

Needs `make dev` (the emulator binary) and scripts/hydra.sh (Hydra).
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
EMULATOR = os.path.join(ROOT, "target/debug/ory-console-emulator")
# Values each server makes up for itself.
OWN = {"client_id", "client_secret", "created_at", "updated_at", "registration_access_token", "registration_client_uri"}


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


def start_hydra(hydra, tmp):
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
    log = open(os.path.join(tmp, "hydra.log"), "w")
    process = subprocess.Popen([hydra, "serve", "all", "--dev", "--sqa-opt-out"], env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{admin}"
    for _ in range(300):
        try:
            with urllib.request.urlopen(base + "/health/ready") as answer:
                if answer.status == 200:
                    return process, base
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    process.kill()
    sys.exit("Hydra did not become ready: " + open(os.path.join(tmp, "hydra.log")).read()[-2000:])


def start_emulator():
    process = subprocess.Popen([EMULATOR], stdout=subprocess.PIPE, text=True)
    startup = json.loads(process.stdout.readline())
    url, key = startup["url"], startup["workspace_api_key"]
    workspace = {"Authorization": "Bearer " + key}
    _, project = call(url, workspace, "POST", "/projects", {"name": "differential", "environment": "prod"})
    _, token = call(url, workspace, "POST", f"/projects/{project['id']}/tokens", {"name": "differential"})
    return process, url + f"/project-api/{project['slug']}", {"Authorization": "Bearer " + token["value"]}


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

# (name, method, path, body); {id} is the ID the step named in "id_of" made.
STEPS = [
    ("create an empty client", "POST", "/admin/clients", {}),
    ("create a full client", "POST", "/admin/clients", FULL),
    ("read it", "GET", "/admin/clients/{full}", None),
    ("replace it", "PUT", "/admin/clients/{full}", dict(FULL, client_name="Replaced", scope="openid")),
    ("read the replaced", "GET", "/admin/clients/{full}", None),
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


def compare(hydra, emulator, path=""):
    """The differences of two answers, each as (path, hydra's, emulator's)."""
    if isinstance(hydra, dict) and isinstance(emulator, dict):
        out = []
        for key in sorted(set(hydra) | set(emulator)):
            if key in OWN:
                continue
            if key not in emulator:
                out.append((f"{path}/{key}", hydra[key], "(absent)"))
            elif key not in hydra:
                out.append((f"{path}/{key}", "(absent)", emulator[key]))
            else:
                out.extend(compare(hydra[key], emulator[key], f"{path}/{key}"))
        return out
    return [] if hydra == emulator else [(path or "/", hydra, emulator)]


def main():
    report = "--report" in sys.argv
    hydra_bin = subprocess.run([os.path.join(ROOT, "scripts/hydra.sh")], capture_output=True, text=True)
    if hydra_bin.returncode != 0:
        print("SKIPPED: the Hydra differential: " + hydra_bin.stderr.strip().splitlines()[-1])
        return
    with tempfile.TemporaryDirectory() as tmp:
        hydra, hydra_url = start_hydra(hydra_bin.stdout.strip(), tmp)
        emulator, emulator_url, emulator_headers = start_emulator()
        try:
            ids = {"hydra": {}, "emulator": {}}
            same_steps, differences = 0, 0
            for name, method, path, body in STEPS:
                answers = {}
                for side, base, headers in (("hydra", hydra_url, {}), ("emulator", emulator_url, emulator_headers)):
                    status, answer = call(base, headers, method, path.format(**ids[side]), body)
                    answers[side] = (status, answer)
                    if name == "create a full client" and isinstance(answer, dict):
                        ids[side]["full"] = answer.get("client_id", "")
                (hs, ha), (es, ea) = answers["hydra"], answers["emulator"]
                found = [("status", hs, es)] if hs != es else []
                # An error's text is the server's; its shape is compared, its words are not.
                if isinstance(ha, dict) and "error" in ha and isinstance(ea, dict) and "error" in ea:
                    ha, ea = set(ha), set(ea)
                found += compare(ha, ea) if not isinstance(ha, set) else (
                    [] if ha == ea else [("error fields", sorted(ha), sorted(ea))])
                if found:
                    differences += len(found)
                    print(f"DIFFERS {name}:")
                    for where, theirs, ours in found:
                        print(f"    {where}: Hydra {json.dumps(theirs)[:120]}, emulator {json.dumps(ours)[:120]}")
                else:
                    same_steps += 1
                    print(f"same    {name}")
            print(f"Hydra: {same_steps} of {len(STEPS)} steps answered alike; {differences} differences")
            if differences and not report:
                sys.exit(1)
        finally:
            hydra.kill()
            emulator.kill()


if __name__ == "__main__":
    main()
