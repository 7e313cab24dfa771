#!/usr/bin/env python3
"""`make bench`: what the provider costs a Terraform run, at N = 10, 100 and
500 objects (BENCH_SIZES), spread over N/10 projects as project API keys
and event streams (half each), against the emulator on loopback.

For each N, BENCH_RUNS (at least 5) cycles of four operations, each timed:
`terraform plan` on an empty state, `apply`, `plan` with everything in state
(the refresh) and `destroy`. Beside each median, two baselines measured in
the same cycles, interleaved: the same configuration on the no-op plugin of
tests/echo_provider, which serves the Ory resources' schemas with handlers
that do nothing (so that the ratio is the provider's own work), and
`terraform_data` (Terraform's built-in resource) in the same shape.

Then, from the emulator's counters, the API calls and TCP connections of
each operation beside the fewest the API allows; the provider's peak RSS
(through /usr/bin/time, in separate runs, since a wrapper costs time); the
binaries' sizes; and the handshake time (exec to the handshake line).

Last, the data plane (BENCH_DATA_PLANE, default 1000): that many identities
and as many OAuth2 clients in one project, applied, refreshed three times and
destroyed, with each operation's API calls (a refresh's list calls beside the
fewest, ceil(N / page size) per kind) and the provider's peak RSS. And
BENCH_RELATIONSHIPS (default 10000) relation tuples of one namespace,
written straight to the emulator with a state that holds them (an apply of
that many would time Terraform, not the refresh), refreshed three times: the
list calls beside the fewest, ceil(N / 1000), and the provider's peak RSS."""

import base64
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNS = max(5, int(os.environ.get("BENCH_RUNS", "5")))
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "10,100,500").split(",") if n.strip()]
TERRAFORM = os.environ.get("TERRAFORM") or "terraform"
PROVIDER = os.path.join(ROOT, "target/release/terraform-provider-ory")
EMULATOR = os.path.join(ROOT, "target/release/ory-console-emulator")
ECHO = os.path.join(ROOT, "target/release/examples/terraform-provider-echo")
MAGIC_COOKIE = ("TF_PLUGIN_MAGIC_COOKIE", "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2")
OPERATIONS = ("plan (empty state)", "apply", "plan (refresh)", "destroy")

CLI_CONFIG = """provider_installation {{
  filesystem_mirror {{
    path    = "{mirror}"
    include = ["terraform.local/*/*"]
  }}
  direct {{
    exclude = ["terraform.local/*/*"]
  }}
}}
"""

ORY = """terraform {{
  required_providers {{
    ory = {{ source = "terraform.local/ory/ory" }}
  }}
}}
provider "ory" {{}}
resource "ory_project" "p" {{
  count               = {projects}
  name                = "bench-${{count.index}}"
  deletion_protection = false
}}
resource "ory_project_api_key" "k" {{
  count      = {keys}
  project_id = ory_project.p[count.index % {projects}].id
  name       = "key-${{count.index}}"
}}
resource "ory_event_stream" "s" {{
  count          = {streams}
  project_id     = ory_project.p[count.index % {projects}].id
  type           = "https"
  https_endpoint = "https://hooks.example.com/ory/${{count.index}}"
}}
"""

# The no-op plugin serves the schemas of the Ory resources under echo_ names,
# with handlers that do nothing: the same configuration, minus the provider's
# work. terraform_data has the same shape: projects, and two groups that refer
# to them, so that Terraform's own work on the graph and its references is
# the same in every case.
ECHO_CONFIG = (ORY.replace('ory = {{ source = "terraform.local/ory/ory" }}',
                           'echo = {{ source = "terraform.local/test/echo" }}')
               .replace('provider "ory" {{}}\n', '')
               .replace('resource "ory_', 'resource "echo_ory_')
               .replace('ory_project.p[', 'echo_ory_project.p['))

BASELINE = """resource "terraform_data" "p" {{
  count = {projects}
  input = "bench-${{count.index}}"
}}
resource "terraform_data" "k" {{
  count = {keys}
  input = "${{terraform_data.p[count.index % {projects}].id}}/key-${{count.index}}"
}}
resource "terraform_data" "s" {{
  count = {streams}
  input = "${{terraform_data.p[count.index % {projects}].id}}/https://hooks.example.com/ory/${{count.index}}"
}}
"""

# The data plane: N identities and N OAuth2 clients in one project, reached
# through a key the provider makes for the run.
DATA_PLANE = """terraform {{
  required_providers {{
    ory = {{ source = "terraform.local/ory/ory" }}
  }}
}}
provider "ory" {{}}
resource "ory_project" "p" {{
  name                = "bench-data-plane"
  environment         = "dev"
  deletion_protection = false
}}
resource "ory_identity" "i" {{
  count      = {n}
  project_id = ory_project.p.id
  schema_id  = "preset://email"
  traits     = jsonencode({{ email = "user-${{count.index}}@bench.example.com" }})
}}
resource "ory_oauth2_client" "c" {{
  count       = {n}
  project_id  = ory_project.p.id
  client_name = "client-${{count.index}}"
  grant_types = ["client_credentials"]
}}
"""
DATA_PLANE_N = int(os.environ.get("BENCH_DATA_PLANE", "1000"))

# N relation tuples of one namespace, in a project the bench makes.
RELATIONSHIPS = """terraform {{
  required_providers {{
    ory = {{ source = "terraform.local/ory/ory" }}
  }}
}}
provider "ory" {{}}
resource "ory_relationship" "t" {{
  count      = {n}
  project_id = "{project}"
  namespace  = "Document"
  object     = "doc-${{count.index}}"
  relation   = "viewers"
  subject_id = "user-${{count.index % 100}}"
}}
"""
RELATIONSHIPS_N = int(os.environ.get("BENCH_RELATIONSHIPS", "10000"))
RELATIONSHIP_PAGE = 1000
OPL = "class User implements Namespace {}\nclass Document implements Namespace {\n  related: { viewers: User[] }\n}\n"
# The provider's page sizes (src/project_api): the fewest list calls are
# ceil(N / page) per kind.
IDENTITY_PAGE, CLIENT_PAGE = 1000, 500

ARGS = {
    "plan (empty state)": ["plan", "-input=false"],
    "apply": ["apply", "-auto-approve", "-input=false"],
    "plan (refresh)": ["plan", "-input=false", "-detailed-exitcode"],
    "destroy": ["destroy", "-auto-approve", "-input=false"],
}


def terraform(cwd, env, *args):
    """Runs terraform; a refresh plan must show no changes (exit 0 with
    -detailed-exitcode), or the bench measured something else."""
    done = subprocess.run([TERRAFORM, *args, "-no-color"], cwd=cwd, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.exit(f"terraform {' '.join(args)} failed in {cwd}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")


def timed(cwd, env, operation):
    start = time.perf_counter()
    terraform(cwd, env, *ARGS[operation])
    return time.perf_counter() - start


class Emulator:
    def __init__(self, binary=EMULATOR):
        self.process = subprocess.Popen([binary, "--listen", "127.0.0.1:0"], stdout=subprocess.PIPE, text=True)
        startup = json.loads(self.process.stdout.readline())
        self.url = startup["url"]
        self.key = startup["workspace_api_key"]
        self.project_api_url = startup["project_api_url"]

    def admin(self, path):
        with urllib.request.urlopen(f"{self.url}/__emulator/{path}") as answer:
            return json.load(answer)

    def counters(self):
        """Calls per operationId, and connections accepted (this call opens one)."""
        return self.admin("requests"), self.admin("connections")["accepted"]

    def stop(self):
        self.process.terminate()
        self.process.wait()


def spent(before, after):
    (calls_before, conns_before), (calls_after, conns_after) = before, after
    calls = {op: n - calls_before.get(op, 0) for op, n in calls_after.items() if n != calls_before.get(op, 0)}
    # The second counters() call opened two connections of its own.
    return calls, conns_after - conns_before - 2


def fewest_calls(operation, projects, keys, streams):
    """The fewest calls the API allows: one listing of the projects, and
    keys and streams can only be listed, per project; every object is made
    and deleted by a call of its own."""
    refresh = 1 + projects * 2
    return {
        "plan (empty state)": 0,
        "apply": projects + keys + streams,
        "plan (refresh)": refresh,
        "destroy": refresh + projects + keys + streams,
    }[operation]


def mirror_with(tmp, name, executables):
    """A filesystem mirror holding `executables` (source address -> file)."""
    mirror = os.path.join(tmp, name)
    for address, (file_name, target) in executables.items():
        d = os.path.join(mirror, address, "0.1.0/linux_amd64")
        os.makedirs(d)
        os.symlink(target, os.path.join(d, file_name))
    config = os.path.join(tmp, f"{name}.tfrc")
    with open(config, "w") as f:
        f.write(CLI_CONFIG.format(mirror=mirror))
    return config


def case_dir(tmp, name, text, env):
    d = os.path.join(tmp, name)
    os.makedirs(d)
    with open(os.path.join(d, "main.tf"), "w") as f:
        f.write(text)
    terraform(d, env, "init", "-input=false")
    return d


def peak_rss_kb(tmp, env, text, n):
    """The largest peak RSS of any provider process in one apply, refresh
    plan and destroy, through a /usr/bin/time wrapper in a mirror of its own."""
    config, record = rss_mirror(tmp, f"rss-mirror-{n}")
    if not config:
        return None
    rss_env = dict(env, TF_CLI_CONFIG_FILE=config)
    d = case_dir(tmp, f"ory-rss-{n}", text, rss_env)
    for operation in ("apply", "plan (refresh)", "destroy"):
        terraform(d, rss_env, *ARGS[operation])
    with open(record) as f:
        return max(int(line) for line in f if line.strip().isdigit())


def client_certificate(tmp):
    """A P-521 CA-flagged client certificate like Terraform's, so that the
    handshake includes the provider's own key generation; None without openssl."""
    if not shutil.which("openssl"):
        return None
    key, cert = os.path.join(tmp, "client.key"), os.path.join(tmp, "client.pem")
    made = subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-521",
                           "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=localhost",
                           "-addext", "basicConstraints=critical,CA:TRUE"], capture_output=True)
    if made.returncode != 0:
        return None
    with open(cert) as f:
        return f.read()


def handshake_ms(binary, cert, runs=30):
    env = dict(os.environ, PLUGIN_PROTOCOL_VERSIONS="6")
    env[MAGIC_COOKIE[0]] = MAGIC_COOKIE[1]
    if cert:
        env["PLUGIN_CLIENT_CERT"] = cert
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        process = subprocess.Popen([binary], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = process.stdout.readline()
        times.append((time.perf_counter() - start) * 1000)
        process.terminate()
        process.wait()
        if not line.startswith("1|6|unix|"):
            sys.exit(f"{binary} gave no handshake: {line!r}")
    return statistics.median(times)


def bench_size(tmp, env, emulator, n):
    projects = max(1, n // 10)
    keys = n // 2
    streams = n - keys
    total = n + projects
    shape = {"projects": projects, "keys": keys, "streams": streams}
    ory_text = ORY.format(**shape)
    cases = {
        "terraform_data": case_dir(tmp, f"terraform_data-{n}", BASELINE.format(**shape), env),
        "no-op plugin": case_dir(tmp, f"echo-{n}", ECHO_CONFIG.format(**shape), env),
        "ory": case_dir(tmp, f"ory-{n}", ory_text, env),
    }
    times = {(case, op): [] for case in cases for op in OPERATIONS}
    calls = {op: [] for op in OPERATIONS}
    connections = {op: [] for op in OPERATIONS}
    for _ in range(RUNS):
        for case, d in cases.items():
            for operation in OPERATIONS:
                before = emulator.counters()
                times[(case, operation)].append(timed(d, env, operation))
                if case == "ory":
                    made, opened = spent(before, emulator.counters())
                    calls[operation].append(made)
                    connections[operation].append(opened)
    rss = peak_rss_kb(tmp, env, ory_text, n)
    return {"n": n, "projects": projects, "keys": keys, "streams": streams, "total": total,
            "times": times, "calls": calls, "connections": connections, "rss_kb": rss}


def rss_mirror(tmp, name):
    """A mirror whose provider runs under /usr/bin/time, and the file each
    process's peak RSS (KB) is appended to; None without /usr/bin/time."""
    if not os.access("/usr/bin/time", os.X_OK):
        return None, None
    record = os.path.join(tmp, f"{name}.txt")
    wrapper = os.path.join(tmp, f"{name}-wrapper")
    with open(wrapper, "w") as f:
        f.write(f'#!/bin/sh\nexec /usr/bin/time -a -o "{record}" -f %M "{PROVIDER}" "$@"\n')
    os.chmod(wrapper, 0o755)
    return mirror_with(tmp, name, {"terraform.local/ory/ory": ("terraform-provider-ory_v0.1.0", wrapper)}), record


def bench_data_plane(tmp, env, emulator):
    """N identities and N clients in one project: each operation's time
    beside the no-op plugin's on the same configuration, its API calls (a
    refresh's list calls beside the fewest) and the provider's peak RSS.
    Ory's runs are under the RSS wrapper (one exec more per process)."""
    n = DATA_PLANE_N
    config, record = rss_mirror(tmp, "rss-data-plane")
    run_env = dict(env, TF_CLI_CONFIG_FILE=config) if config else env
    text = DATA_PLANE.format(n=n)
    echo_text = (text.replace('ory = { source = "terraform.local/ory/ory" }', 'echo = { source = "terraform.local/test/echo" }')
                 .replace('provider "ory" {}\n', '')
                 .replace('resource "ory_', 'resource "echo_ory_')
                 .replace('ory_project.p.id', 'echo_ory_project.p.id'))
    ory_dir = case_dir(tmp, "data-plane", text, run_env)
    echo_dir = case_dir(tmp, "data-plane-echo", echo_text, env)
    steps = ("apply", "plan (refresh)", "plan (refresh)", "plan (refresh)", "destroy")
    echo_times = {step: [] for step in steps}
    rows = {step: [] for step in steps}
    for step in steps:
        echo_times[step].append(timed(echo_dir, env, step))
    for step in steps:
        if record and os.path.exists(record):
            os.remove(record)
        before = emulator.counters()
        seconds = timed(ory_dir, run_env, step)
        made, _ = spent(before, emulator.counters())
        rss = None
        if record:
            with open(record) as f:
                rss = max(int(line) for line in f if line.strip().isdigit())
        rows[step].append((seconds, made, rss))
    lists = -(-n // IDENTITY_PAGE) + -(-n // CLIENT_PAGE)
    print(f"\n### The data plane: {n} ory_identity and {n} ory_oauth2_client in one project "
          f"({2 * n + 1} resources; refresh: median of 3)\n")
    print("| operation | no-op plugin s | ory s | ory / no-op | data-plane calls | of them list calls "
          "| fewest list calls | console calls | provider peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    data_ops = ("Identity", "Identities", "OAuth2Client")
    for step in dict.fromkeys(steps):
        echo = statistics.median(echo_times[step])
        seconds = statistics.median(r[0] for r in rows[step])
        made = rows[step][-1][1]
        rss = max((r[2] or 0) for r in rows[step])
        data = sum(c for op, c in made.items() if any(k in op for k in data_ops))
        listed = made.get("listIdentities", 0) + made.get("listOAuth2Clients", 0)
        fewest = lists if step.startswith("plan") else ""
        console = sum(made.values()) - data
        rss_cell = f"{rss / 1024:.1f}" if rss else "?"
        print(f"| {step} | {echo:.2f} | {seconds:.2f} | {seconds / echo:.2f} | {data} | {listed} | {fewest} "
              f"| {console} | {rss_cell} |")
    print()
    for step in dict.fromkeys(steps):
        print(f"- {step}: " + ", ".join(f"{op} {count}" for op, count in sorted(rows[step][-1][1].items())))


def console_call(emulator, method, path, body=None, key=None):
    request = urllib.request.Request(f"{emulator.url}{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"Bearer {key or emulator.key}",
                                              "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)


def relationships_state(n, project, resource_type, provider, tf_version):
    """The state an apply of RELATIONSHIPS would leave (checked: the first
    refresh must plan no change)."""
    def instance(i):
        subject = f"user-{i % 100}"
        return {"index_key": i, "schema_version": 0, "sensitive_attributes": [], "attributes": {
            "id": f"Document:doc-{i}#viewers@{subject}", "project_id": project, "namespace": "Document",
            "object": f"doc-{i}", "relation": "viewers", "subject_id": subject,
            "subject_set_namespace": None, "subject_set_object": None, "subject_set_relation": None}}
    return {"version": 4, "terraform_version": tf_version, "serial": 1, "lineage": "bench-relationships",
            "outputs": {}, "resources": [{"mode": "managed", "type": resource_type, "name": "t",
                                          "provider": f'provider["{provider}"]',
                                          "instances": [instance(i) for i in range(n)]}]}


def bench_relationships(tmp, env, emulator, tf_version):
    """N tuples of one namespace refreshed: time beside the no-op plugin's,
    list calls beside the fewest, and the provider's peak RSS."""
    n = RELATIONSHIPS_N
    project = console_call(emulator, "POST", "/projects", {"name": "bench-relationships", "environment": "dev"})
    pid, slug = project["id"], project["slug"]
    location = "base64://" + base64.b64encode(OPL.encode()).decode()
    console_call(emulator, "PATCH", f"/projects/{pid}",
                 [{"op": "replace", "path": "/services/permission/config/namespaces", "value": {"location": location}}])
    key = console_call(emulator, "POST", f"/projects/{pid}/tokens", {"name": "bench"})["value"]
    host = emulator.url.split("//", 1)[1]
    connection = http.client.HTTPConnection(host)
    for i in range(n):
        tuple_ = {"namespace": "Document", "object": f"doc-{i}", "relation": "viewers", "subject_id": f"user-{i % 100}"}
        connection.request("PUT", f"/project-api/{slug}/admin/relation-tuples", json.dumps(tuple_),
                           {"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
        answer = connection.getresponse()
        answer.read()
        if answer.status != 201:
            sys.exit(f"writing tuple {i}: {answer.status}")
    connection.close()
    config, record = rss_mirror(tmp, "rss-relationships")
    run_env = dict(env, TF_CLI_CONFIG_FILE=config) if config else env
    text = RELATIONSHIPS.format(n=n, project=pid)
    echo_text = (text.replace('ory = { source = "terraform.local/ory/ory" }', 'echo = { source = "terraform.local/test/echo" }')
                 .replace('provider "ory" {}\n', '').replace('resource "ory_', 'resource "echo_ory_'))
    cases = {"ory": (case_dir(tmp, "relationships", text, run_env), run_env, "ory_relationship", "terraform.local/ory/ory"),
             "echo": (case_dir(tmp, "relationships-echo", echo_text, env), env, "echo_ory_relationship",
                      "terraform.local/test/echo")}
    for d, _, resource_type, provider in cases.values():
        with open(os.path.join(d, "terraform.tfstate"), "w") as f:
            json.dump(relationships_state(n, pid, resource_type, provider, tf_version), f)
    times = {case: [] for case in cases}
    calls, rss = [], None
    for _ in range(3):
        d, case_env, _, _ = cases["echo"]
        times["echo"].append(timed(d, case_env, "plan (refresh)"))
        d, case_env, _, _ = cases["ory"]
        if record and os.path.exists(record):
            os.remove(record)
        before = emulator.counters()
        times["ory"].append(timed(d, case_env, "plan (refresh)"))
        calls.append(spent(before, emulator.counters())[0])
        if record:
            with open(record) as f:
                rss = max(rss or 0, max(int(line) for line in f if line.strip().isdigit()))
    echo, ory = statistics.median(times["echo"]), statistics.median(times["ory"])
    made = calls[-1]
    data = sum(c for op, c in made.items() if "Relationship" in op)
    print(f"\n### Relationships: {n} ory_relationship of one namespace, refreshed (median of 3)\n")
    print("| operation | no-op plugin s | ory s | ory / no-op | data-plane calls | of them list calls "
          "| fewest list calls | console calls | provider peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    rss_cell = f"{rss / 1024:.1f}" if rss else "?"
    print(f"| plan (refresh) | {echo:.2f} | {ory:.2f} | {ory / echo:.2f} | {data} | {made.get('getRelationships', 0)} "
          f"| {-(-n // RELATIONSHIP_PAGE)} | {sum(made.values()) - data} | {rss_cell} |")
    print(f"\n- plan (refresh): " + ", ".join(f"{op} {count}" for op, count in sorted(made.items())))


def calls_cell(runs):
    totals = sorted(sum(c.values()) for c in runs)
    return str(totals[0]) if totals[0] == totals[-1] else f"{totals[0]}-{totals[-1]}"


def report(result):
    n, times = result["n"], result["times"]
    print(f"\n### N = {n}: {result['projects']} ory_project, {result['keys']} ory_project_api_key, "
          f"{result['streams']} ory_event_stream ({result['total']} resources; the baselines have the same shape)\n")
    print("| operation | terraform_data s | no-op plugin s | ory s | ory / terraform_data | ory / no-op "
          "| API calls | fewest | connections |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for operation in OPERATIONS:
        base, echo, ory = (statistics.median(times[(case, operation)])
                           for case in ("terraform_data", "no-op plugin", "ory"))
        fewest = fewest_calls(operation, result["projects"], result["keys"], result["streams"])
        conns = sorted(result["connections"][operation])
        conn_cell = str(conns[0]) if conns[0] == conns[-1] else f"{conns[0]}-{conns[-1]}"
        print(f"| {operation} | {base:.3f} | {echo:.3f} | {ory:.3f} | {ory / base:.2f} | {ory / echo:.2f} "
              f"| {calls_cell(result['calls'][operation])} | {fewest} | {conn_cell} |")
    print()
    for operation in OPERATIONS:
        last = result["calls"][operation][-1]
        if last:
            print(f"- {operation}: " + ", ".join(f"{op} {count}" for op, count in sorted(last.items())))
    if result["rss_kb"] is not None:
        print(f"- provider peak RSS (largest process of an apply, a refresh plan and a destroy): "
              f"{result['rss_kb'] / 1024:.1f} MB")


def growth(results):
    """Seconds per resource between consecutive sizes: constant when cost is linear."""
    if len(results) < 2:
        return
    print("\n### Growth: ms per added resource between sizes (equal across a row when linear)\n")
    steps = list(zip(results, results[1:]))
    header = " | ".join(f"{a['n']} to {b['n']}" for a, b in steps)
    print(f"| case, operation | {header} |")
    print("|---|" + "---:|" * len(steps))
    for case in ("terraform_data", "no-op plugin", "ory"):
        for operation in OPERATIONS:
            cells = []
            for a, b in steps:
                dt = statistics.median(b["times"][(case, operation)]) - statistics.median(a["times"][(case, operation)])
                cells.append(f"{dt * 1000 / (b['total'] - a['total']):.2f}")
            print(f"| {case}, {operation} | " + " | ".join(cells) + " |")


def machine():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} CPUs ({cpu})"


def main():
    version = subprocess.run([TERRAFORM, "version", "-json"], capture_output=True, text=True)
    tf_version = json.loads(version.stdout)["terraform_version"] if version.returncode == 0 else "0.0"
    if tuple(int(x) for x in tf_version.split(".")[:2]) < (1, 4):
        sys.exit(f"make bench needs Terraform >= 1.4 for its terraform_data baseline; this is {tf_version}. "
                 "Set TERRAFORM to a newer terraform.")
    emulator = Emulator()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            config = mirror_with(tmp, "mirror", {
                "terraform.local/ory/ory": ("terraform-provider-ory_v0.1.0", PROVIDER),
                "terraform.local/test/echo": ("terraform-provider-echo_v0.1.0", ECHO)})
            env = dict(os.environ, TF_CLI_CONFIG_FILE=config, TF_IN_AUTOMATION="1", CHECKPOINT_DISABLE="1",
                       ORY_CONSOLE_API_URL=emulator.url, ORY_WORKSPACE_API_KEY=emulator.key)
            env["ORY_PROJECT_API_URL"] = emulator.project_api_url
            for var in ("TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PATH", "TF_CLI_ARGS", "ORY_WORKSPACE_ID",
                        "ORY_PROJECT_ID", "ORY_PROJECT_API_KEY", "ORY_PROJECT_SLUG"):
                env.pop(var, None)
            print(f"make bench: Terraform {tf_version}, release build, emulator on loopback, {machine()}; "
                  f"median of {RUNS} runs, the three cases interleaved")
            results = [bench_size(tmp, env, emulator, n) for n in SIZES]
            for result in results:
                report(result)
            growth(results)
            if DATA_PLANE_N > 0:
                bench_data_plane(tmp, env, emulator)
            if RELATIONSHIPS_N > 0:
                bench_relationships(tmp, env, emulator, tf_version)
            cert = client_certificate(tmp)
            print(f"\n### Binaries (handshake: exec to the handshake line, median of 30, "
                  f"{'with' if cert else 'WITHOUT (no openssl)'} a P-521 client certificate)\n")
            print("| binary | size MB | handshake ms |")
            print("|---|---:|---:|")
            for name, path in (("terraform-provider-ory", PROVIDER), ("no-op plugin", ECHO)):
                print(f"| {name} | {os.path.getsize(path) / 1e6:.1f} | {handshake_ms(path, cert):.1f} |")
            print(f"| ory-console-emulator | {os.path.getsize(EMULATOR) / 1e6:.1f} | |")
    finally:
        emulator.stop()


if __name__ == "__main__":
    main()
