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
import json
import os
import re
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

# The no-op plugin serves the same configuration under echo_ names (echo_of).
# terraform_data has the same shape: projects, and two groups that refer to
# them, so that Terraform's own work on the graph and its references is the
# same in every case.
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

# N web hooks of one flow in one project: N slices of one document.
ACTIONS = """terraform {{
  required_providers {{
    ory = {{ source = "terraform.local/ory/ory" }}
  }}
}}
provider "ory" {{}}
resource "ory_project" "p" {{
  name                = "bench-actions"
  environment         = "dev"
  deletion_protection = false
}}
resource "ory_action" "a" {{
  count      = {n}
  project_id = ory_project.p.id
  flow       = "registration"
  timing     = "after"
  url        = "https://hooks.example.com/registered/${{count.index}}"
}}
"""
ACTIONS_N = int(os.environ.get("BENCH_ACTIONS", "500"))
# The large cases' runs (each a whole apply, refresh and destroy per case).
LARGE_RUNS = max(1, int(os.environ.get("BENCH_LARGE_RUNS", "3")))
# An earlier build of the provider, run as a third case beside the two.
BEFORE = os.environ.get("BENCH_BEFORE")
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


def usage_per_step(tmp, env, text, name, plugin):
    """Per step of an apply, a refresh plan and a destroy: the largest peak
    RSS (KB) of the plugin's processes and their CPU seconds, through a
    /usr/bin/time wrapper in a mirror of its own; None without it."""
    address, file_name, binary = plugin
    config, record = rss_wrapped(tmp, f"rss-mirror-{name}", address, file_name, binary)
    if not config:
        return None
    rss_env = dict(env, TF_CLI_CONFIG_FILE=config)
    d = case_dir(tmp, f"rss-{name}", text, rss_env)
    usage = {}
    for operation in ("apply", "plan (refresh)", "destroy"):
        usage_of(record)
        terraform(d, rss_env, *ARGS[operation])
        usage[operation] = usage_of(record)
    return usage


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
        "terraform_data": (case_dir(tmp, f"terraform_data-{n}", BASELINE.format(**shape), env), env),
        "no-op plugin": (case_dir(tmp, f"echo-{n}", echo_of(ory_text), env), env),
        "ory": (case_dir(tmp, f"ory-{n}", ory_text, env), env),
    }
    if BEFORE:
        before_env = dict(env, TF_CLI_CONFIG_FILE=mirror_with(tmp, f"before-{n}", {
            "terraform.local/ory/ory": ("terraform-provider-ory_v0.1.0", BEFORE)}))
        cases["ory (before)"] = (case_dir(tmp, f"ory-before-{n}", ory_text, before_env), before_env)
    times = {(case, op): [] for case in cases for op in OPERATIONS}
    calls = {op: [] for op in OPERATIONS}
    connections = {op: [] for op in OPERATIONS}
    for _ in range(RUNS):
        for case, (d, case_env) in cases.items():
            for operation in OPERATIONS:
                before = emulator.counters()
                times[(case, operation)].append(timed(d, case_env, operation))
                if case == "ory":
                    made, opened = spent(before, emulator.counters())
                    calls[operation].append(made)
                    connections[operation].append(opened)
    usage = {
        "no-op plugin": usage_per_step(tmp, env, echo_of(ory_text), f"echo-{n}",
                                       ("terraform.local/test/echo", "terraform-provider-echo_v0.1.0", ECHO)),
        "ory": usage_per_step(tmp, env, ory_text, f"ory-{n}",
                              ("terraform.local/ory/ory", "terraform-provider-ory_v0.1.0", PROVIDER)),
    }
    if BEFORE:
        usage["ory (before)"] = usage_per_step(tmp, env, ory_text, f"before-{n}",
                                               ("terraform.local/ory/ory", "terraform-provider-ory_v0.1.0", BEFORE))
    return {"n": n, "projects": projects, "keys": keys, "streams": streams, "total": total,
            "times": times, "calls": calls, "connections": connections, "usage": usage}


def echo_of(text):
    """The configuration of the no-op plugin: the same resources under echo_ names."""
    text = (text.replace('ory = { source = "terraform.local/ory/ory" }', 'echo = { source = "terraform.local/test/echo" }')
            .replace('provider "ory" {}\n', ''))
    return re.sub(r"\bory_", "echo_ory_", text)


def rss_wrapped(tmp, name, address, file_name, binary):
    """A mirror whose plugin runs under /usr/bin/time, and the file each
    process's peak RSS (KB) and CPU seconds (user, system) are appended to;
    (None, None) without it."""
    if not os.access("/usr/bin/time", os.X_OK):
        return None, None
    record = os.path.join(tmp, f"{name}.txt")
    wrapper = os.path.join(tmp, f"{name}-wrapper")
    with open(wrapper, "w") as f:
        f.write(f'#!/bin/sh\nexec /usr/bin/time -a -o "{record}" -f "%M %U %S" "{binary}" "$@"\n')
    os.chmod(wrapper, 0o755)
    return mirror_with(tmp, name, {address: (file_name, wrapper)}), record


def usage_of(record):
    """The largest peak RSS (KB) of the processes `record` holds and their
    CPU seconds together; the record is emptied."""
    if not record or not os.path.exists(record):
        return None, 0.0
    with open(record) as f:
        rows = [line.split() for line in f]
    os.remove(record)
    rows = [row for row in rows if len(row) == 3 and row[0].isdigit()]
    return max((int(row[0]) for row in rows), default=None), sum(float(row[1]) + float(row[2]) for row in rows)


def large_cases(tmp, env, name, text_for):
    """The no-op plugin, the provider and (with BENCH_BEFORE) an earlier
    build of it, each in a directory of its own and under the RSS wrapper,
    so that the three pay the same exec. `text_for(case)` is the
    configuration of each (the no-op plugin's is made from Ory's)."""
    plugins = [("no-op plugin", "terraform.local/test/echo", "terraform-provider-echo_v0.1.0", ECHO),
               ("ory", "terraform.local/ory/ory", "terraform-provider-ory_v0.1.0", PROVIDER)]
    if BEFORE:
        plugins.append(("ory (before)", "terraform.local/ory/ory", "terraform-provider-ory_v0.1.0", BEFORE))
    cases = {}
    for case, address, file_name, binary in plugins:
        slug = case.replace(" ", "-").replace("(", "").replace(")", "")
        config, record = rss_wrapped(tmp, f"{name}-{slug}-mirror", address, file_name, binary)
        case_env = dict(env, TF_CLI_CONFIG_FILE=config) if config else env
        text = text_for(case)
        cases[case] = (case_dir(tmp, f"{name}-{slug}", echo_of(text) if case == "no-op plugin" else text, case_env),
                       case_env, record)
    return cases


def bench_large(cases, emulator, steps, runs):
    """Each step on every case in turn, `runs` times: times, the plugin
    processes' CPU seconds, the API calls (from the last run) and each
    case's peak RSS."""
    times = {(case, step): [] for case in cases for step in steps}
    cpu = {(case, step): [] for case in cases for step in steps}
    calls = {(case, step): None for case in cases for step in steps}
    rss = {case: 0 for case in cases}
    for _ in range(runs):
        for step in steps:
            for case, (d, case_env, record) in cases.items():
                usage_of(record)
                before = emulator.counters()
                times[(case, step)].append(timed(d, case_env, step))
                calls[(case, step)] = spent(before, emulator.counters())[0]
                peak, seconds = usage_of(record)
                rss[case] = max(rss[case], peak or 0)
                cpu[(case, step)].append(seconds)
    return times, cpu, calls, rss


def report_large(title, cases, result, steps, fewest, data_ops, counted="data-plane calls"):
    """One table: each step's medians and ratios, the plugins' CPU, the
    calls of `data_ops` beside the fewest and the others; then peak RSS per
    case and the calls by name."""
    times, cpu, calls, rss = result
    before = "ory (before)" in cases
    print(f"\n### {title}\n")
    print("| operation | no-op plugin s | ory s | ory / no-op |" + (" before s | before / no-op |" if before else "")
          + " plugin CPU s: no-op, ory" + (", before" if before else "") + f" | {counted} | fewest | other calls |")
    print("|---|---:|---:|---:|" + ("---:|---:|" if before else "") + "---|---:|---:|---:|")
    for step in dict.fromkeys(steps):
        echo = statistics.median(times[("no-op plugin", step)])
        ory = statistics.median(times[("ory", step)])
        made = calls[("ory", step)]
        data = sum(c for op, c in made.items() if any(k in op for k in data_ops))
        row = f"| {step} | {echo:.2f} | {ory:.2f} | {ory / echo:.2f} |"
        if before:
            earlier = statistics.median(times[("ory (before)", step)])
            row += f" {earlier:.2f} | {earlier / echo:.2f} |"
        spent_cpu = ", ".join(f"{statistics.median(cpu[(case, step)]):.2f}" for case in cases)
        print(row + f" {spent_cpu} | {data} | {fewest[step]} | {sum(made.values()) - data} |")
    print("\n- peak RSS MB: " + ", ".join(f"{case} {kb / 1024:.1f}" for case, kb in rss.items() if kb))
    for step in dict.fromkeys(steps):
        made = calls[("ory", step)]
        print(f"- {step}: " + ", ".join(f"{op} {count}" for op, count in sorted(made.items())))
        if before and calls[("ory (before)", step)] != made:
            earlier = calls[("ory (before)", step)]
            print(f"  - before: " + ", ".join(f"{op} {count}" for op, count in sorted(earlier.items())))


def bench_data_plane(tmp, env, emulator):
    """N identities and N clients in one project, applied, refreshed and destroyed."""
    n = DATA_PLANE_N
    cases = large_cases(tmp, env, "data-plane", lambda case: DATA_PLANE.format(n=n))
    steps = ("apply", "plan (refresh)", "destroy")
    lists = -(-n // IDENTITY_PAGE) + -(-n // CLIENT_PAGE)
    fewest = {"apply": 2 * n, "plan (refresh)": lists, "destroy": lists + 2 * n}
    result = bench_large(cases, emulator, steps, LARGE_RUNS)
    report_large(f"The data plane: {n} ory_identity and {n} ory_oauth2_client in one project ({2 * n + 1} "
                 f"resources; median of {LARGE_RUNS})", cases, result, steps, fewest,
                 ("Identity", "Identities", "OAuth2Client"))


def console_call(emulator, method, path, body=None, key=None):
    request = urllib.request.Request(f"{emulator.url}{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"Bearer {key or emulator.key}",
                                              "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)


def permission_project(emulator, name):
    """A project whose permission model has the bench's namespaces."""
    project = console_call(emulator, "POST", "/projects", {"name": name, "environment": "dev"})
    location = "base64://" + base64.b64encode(OPL.encode()).decode()
    console_call(emulator, "PATCH", f"/projects/{project['id']}",
                 [{"op": "replace", "path": "/services/permission/config/namespaces", "value": {"location": location}}])
    return project["id"]


def bench_relationships(tmp, env, emulator):
    """N tuples of one namespace, applied, refreshed and destroyed; each
    case in a project of its own, so that they never see each other's."""
    n = RELATIONSHIPS_N
    projects = {}

    def text_for(case):
        projects[case] = permission_project(emulator, f"bench-relationships-{len(projects)}")
        return RELATIONSHIPS.format(n=n, project=projects[case])
    cases = large_cases(tmp, env, "relationships", text_for)
    steps = ("apply", "plan (refresh)", "destroy")
    lists = -(-n // RELATIONSHIP_PAGE)
    fewest = {"apply": n, "plan (refresh)": lists, "destroy": lists + n}
    result = bench_large(cases, emulator, steps, LARGE_RUNS)
    report_large(f"Relationships: {n} ory_relationship of one namespace in one project (median of {LARGE_RUNS})",
                 cases, result, steps, fewest, ("Relationship",))


def bench_actions(tmp, env, emulator):
    """N actions (document slices: web hooks of one flow) in one project."""
    n = ACTIONS_N
    cases = large_cases(tmp, env, "actions", lambda case: ACTIONS.format(n=n))
    steps = ("apply", "plan (refresh)", "destroy")
    # The project made, its document read once, one patch per action; a
    # refresh lists the projects and reads the document; a destroy
    # refreshes, patches each action out and purges the project.
    fewest = {"apply": n + 2, "plan (refresh)": 2, "destroy": 2 + n + 1}
    result = bench_large(cases, emulator, steps, LARGE_RUNS)
    report_large(f"Actions: {n} ory_action (web hooks of one flow) in one project ({n + 1} resources; "
                 f"median of {LARGE_RUNS})", cases, result, steps, fewest, ("Project",), "project calls")


def calls_cell(runs):
    totals = sorted(sum(c.values()) for c in runs)
    return str(totals[0]) if totals[0] == totals[-1] else f"{totals[0]}-{totals[-1]}"


def report(result):
    n, times = result["n"], result["times"]
    print(f"\n### N = {n}: {result['projects']} ory_project, {result['keys']} ory_project_api_key, "
          f"{result['streams']} ory_event_stream ({result['total']} resources; the baselines have the same shape)\n")
    before = ("ory (before)", OPERATIONS[0]) in times
    print("| operation | terraform_data s | no-op plugin s | ory s | ory / terraform_data | ory / no-op "
          + ("| before s | before / no-op " if before else "") + "| API calls | fewest | connections |")
    print("|---|---:|---:|---:|---:|---:|" + ("---:|---:|" if before else "") + "---:|---:|---:|")
    for operation in OPERATIONS:
        base, echo, ory = (statistics.median(times[(case, operation)])
                           for case in ("terraform_data", "no-op plugin", "ory"))
        earlier = f"| {statistics.median(times[('ory (before)', operation)]):.3f} " \
            f"| {statistics.median(times[('ory (before)', operation)]) / echo:.2f} " if before else ""
        fewest = fewest_calls(operation, result["projects"], result["keys"], result["streams"])
        conns = sorted(result["connections"][operation])
        conn_cell = str(conns[0]) if conns[0] == conns[-1] else f"{conns[0]}-{conns[-1]}"
        print(f"| {operation} | {base:.3f} | {echo:.3f} | {ory:.3f} | {ory / base:.2f} | {ory / echo:.2f} {earlier}"
              f"| {calls_cell(result['calls'][operation])} | {fewest} | {conn_cell} |")
    print()
    for operation in OPERATIONS:
        last = result["calls"][operation][-1]
        if last:
            print(f"- {operation}: " + ", ".join(f"{op} {count}" for op, count in sorted(last.items())))
    for case, usage in result["usage"].items():
        if usage:
            print(f"- {case}, in a run of its own, peak RSS MB and CPU s of its processes: " + ", ".join(
                f"{operation} {rss / 1024:.1f} MB {cpu:.2f} s" for operation, (rss, cpu) in usage.items()))


def growth(results):
    """Seconds per resource between consecutive sizes: constant when cost is linear."""
    if len(results) < 2:
        return
    print("\n### Growth: ms per added resource between sizes (equal across a row when linear)\n")
    steps = list(zip(results, results[1:]))
    header = " | ".join(f"{a['n']} to {b['n']}" for a, b in steps)
    print(f"| case, operation | {header} |")
    print("|---|" + "---:|" * len(steps))
    for case in dict.fromkeys(case for case, _ in results[0]["times"]):
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
                bench_relationships(tmp, env, emulator)
            if ACTIONS_N > 0:
                bench_actions(tmp, env, emulator)
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
