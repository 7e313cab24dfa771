#!/usr/bin/env python3
"""`make bench`: the time of `terraform plan` with 50 ory_project in state,
against the same plan with 50 terraform_data (Terraform's built-in resource),
measured in the same process, interleaved, median of RUNS runs each.

A third row, 50 echo_flat from the test provider in tests/echo_provider (a
plugin whose handlers do nothing), shows what any plugin process costs
Terraform, so that the Ory-specific part can be told apart."""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
COUNT = 50
TERRAFORM = os.environ.get("TERRAFORM") or "terraform"
PROVIDER = os.path.join(ROOT, "target/release/terraform-provider-ory")
EMULATOR = os.path.join(ROOT, "target/release/ory-console-emulator")
ECHO = os.path.join(ROOT, "target/release/examples/terraform-provider-echo")

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
  count               = {count}
  name                = "bench-${{count.index}}"
  deletion_protection = false
}}
"""

ECHO_CONFIG = """terraform {{
  required_providers {{
    echo = {{ source = "terraform.local/test/echo" }}
  }}
}}
resource "echo_flat" "p" {{
  count = {count}
  title = "bench-${{count.index}}"
}}
"""

BASELINE = """resource "terraform_data" "p" {{
  count = {count}
  input = "bench-${{count.index}}"
}}
"""


def run(cwd, env, *args):
    subprocess.run([TERRAFORM, *args, "-no-color", "-input=false"], cwd=cwd, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def timed_plan(cwd, env):
    start = time.perf_counter()
    run(cwd, env, "plan")
    return time.perf_counter() - start


def main():
    version = subprocess.run([TERRAFORM, "version", "-json"], capture_output=True, text=True)
    tf_version = json.loads(version.stdout)["terraform_version"] if version.returncode == 0 else "?"
    major, minor = (int(x) for x in tf_version.split(".")[:2])
    if (major, minor) < (1, 4):
        print(f"make bench needs Terraform >= 1.4 for its terraform_data baseline; this is {tf_version}. "
              "Set TERRAFORM to a newer terraform.")
        sys.exit(1)

    emulator = subprocess.Popen([EMULATOR, "--listen", "127.0.0.1:0"], stdout=subprocess.PIPE, text=True)
    try:
        startup = json.loads(emulator.stdout.readline())
        with tempfile.TemporaryDirectory() as tmp:
            mirror = os.path.join(tmp, "mirror")
            plugin_dir = os.path.join(mirror, "terraform.local/ory/ory/0.1.0/linux_amd64")
            os.makedirs(plugin_dir)
            os.symlink(PROVIDER, os.path.join(plugin_dir, "terraform-provider-ory_v0.1.0"))
            echo_dir = os.path.join(mirror, "terraform.local/test/echo/0.1.0/linux_amd64")
            os.makedirs(echo_dir)
            os.symlink(ECHO, os.path.join(echo_dir, "terraform-provider-echo_v0.1.0"))
            with open(os.path.join(tmp, "terraform.rc"), "w") as f:
                f.write(CLI_CONFIG.format(mirror=mirror))
            env = dict(os.environ, TF_CLI_CONFIG_FILE=os.path.join(tmp, "terraform.rc"), TF_IN_AUTOMATION="1",
                       CHECKPOINT_DISABLE="1", ORY_CONSOLE_API_URL=startup["url"],
                       ORY_WORKSPACE_API_KEY=startup["workspace_api_key"])
            for var in ("TF_LOG", "TF_LOG_PROVIDER"):
                env.pop(var, None)
            cases = {}
            for name, config in (("terraform_data", BASELINE), ("echo_flat (no-op plugin)", ECHO_CONFIG),
                                 ("ory_project", ORY)):
                d = os.path.join(tmp, name)
                os.makedirs(d)
                with open(os.path.join(d, "main.tf"), "w") as f:
                    f.write(config.format(count=COUNT))
                run(d, env, "init")
                run(d, env, "apply", "-auto-approve")
                timed_plan(d, env)  # warm-up: file caches, first process start
                cases[name] = (d, [])
            for _ in range(RUNS):
                for name, (d, times) in cases.items():
                    times.append(timed_plan(d, env))
            base = statistics.median(cases["terraform_data"][1])
            print(f"terraform plan, {COUNT} resources in state, median of {RUNS} runs each (Terraform {tf_version}, "
                  f"release build, emulator on loopback)\n")
            print(f"| {'case':<32} | {'median s':>8} | {'min s':>6} | {'max s':>6} | {'ratio':>5} |")
            print(f"|{'-' * 34}|{'-' * 10}|{'-' * 8}|{'-' * 8}|{'-' * 7}|")
            for name, (_, times) in cases.items():
                m = statistics.median(times)
                print(f"| {f'{COUNT} x {name}':<32} | {m:8.3f} | {min(times):6.3f} | {max(times):6.3f} | {m / base:5.2f} |")
            ory = statistics.median(cases["ory_project"][1])
            echo = statistics.median(cases["echo_flat (no-op plugin)"][1])
            print(f"\nratio ory_project / terraform_data: {ory / base:.2f}x (goal: at most 1.5x)")
            print(f"ratio ory_project / no-op plugin:   {ory / echo:.2f}x (the Ory-specific part)")
    finally:
        emulator.terminate()
        emulator.wait()


if __name__ == "__main__":
    main()
