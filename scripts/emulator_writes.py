#!/usr/bin/env python3
"""Part of `make bench`: how fast the emulator takes writes as its --state
file grows. Creates projects until the state passes TARGET_MB, and prints
creates per second (projects, and API keys) at the start and at the end.
A flat row is the goal: a write must cost the same at 2 MB as at 0.

Then, on an emulator without --state (as the bench runs it), HOOKS patches
in a row that each add a web hook to one flow of one project, as an apply of
that many `ory_action` sends them: the emulator's CPU seconds for them, since
each answer is the whole, growing document."""

import http.client
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROFILE = os.environ.get("BENCH_PROFILE", "release")
EMULATOR = os.path.join(ROOT, f"target/{PROFILE}/ory-console-emulator")
TARGET_MB = float(os.environ.get("BENCH_STATE_MB", "2.3"))
WINDOW = 100
HOOKS = int(os.environ.get("BENCH_HOOKS", "500"))


def state_bytes(path):
    return sum(os.path.getsize(p) for p in (path, path + ".log") if os.path.exists(p))


def main():
    with tempfile.TemporaryDirectory() as tmp:
        state = os.path.join(tmp, "state.json")
        emulator = subprocess.Popen([EMULATOR, "--state", state], stdout=subprocess.PIPE, text=True)
        try:
            startup = json.loads(emulator.stdout.readline())
            host = startup["url"].removeprefix("http://")
            conn = http.client.HTTPConnection(host)
            headers = {"Authorization": "Bearer " + startup["workspace_api_key"], "Content-Type": "application/json"}

            def post(path, body):
                conn.request("POST", path, json.dumps(body), headers)
                response = conn.getresponse()
                data = response.read()
                assert response.status == 201, (response.status, data)
                return json.loads(data)

            def rate(make):
                started = time.perf_counter()
                for _ in range(WINDOW):
                    make()
                return WINDOW / (time.perf_counter() - started)

            n = [0]

            def project():
                n[0] += 1
                return post("/projects", {"name": f"p{n[0]}", "environment": "dev"})

            first = project()["id"]
            key = lambda: post(f"/projects/{first}/tokens", {"name": "k"})
            rows = [("empty", state_bytes(state), rate(project), rate(key))]
            while state_bytes(state) < TARGET_MB * 1024 * 1024:
                project()
            with open(state) as f:
                compact = len(f.read())
            rows.append((f"{n[0]} projects", state_bytes(state), rate(project), rate(key)))
            print(f"\nEmulator writes with --state ({PROFILE} build), {WINDOW} creates per figure:\n")
            print("| state | state on disk | projects created/s | API keys created/s |")
            print("|---|---|---|---|")
            for name, size, projects, keys in rows:
                print(f"| {name} | {size / 1048576:.2f} MB | {projects:.0f} | {keys:.0f} |")
            ratio = rows[1][3] / rows[0][3]
            print(f"\nAPI key creates at {rows[1][0]} run at {ratio:.2f}x the speed of an empty state "
                  f"(snapshot {compact / 1048576:.2f} MB).")
        finally:
            emulator.terminate()
            emulator.wait()


def hook_patches():
    emulator = subprocess.Popen([EMULATOR, "--listen", "127.0.0.1:0"], stdout=subprocess.PIPE, text=True)
    try:
        startup = json.loads(emulator.stdout.readline())
        conn = http.client.HTTPConnection(startup["url"].removeprefix("http://"))
        headers = {"Authorization": "Bearer " + startup["workspace_api_key"], "Content-Type": "application/json"}

        def call(method, path, body):
            conn.request(method, path, json.dumps(body), headers)
            response = conn.getresponse()
            data = response.read()
            assert response.status in (200, 201), (response.status, data)
            return data

        project = json.loads(call("POST", "/projects", {"name": "hooks", "environment": "dev"}))
        revision, answered = project["revision_id"], 0
        ticks = os.sysconf("SC_CLK_TCK")

        def cpu():
            with open(f"/proc/{emulator.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / ticks

        before, started = cpu(), time.perf_counter()
        for i in range(HOOKS):
            hook = {"hook": "web_hook", "config": {"url": f"https://hooks.example.com/{i}", "method": "POST",
                                                   "body": "base64://e30="}}
            path = "/services/identity/config/selfservice/flows/registration/after/hooks/-"
            data = call("PATCH", f"/projects/{project['id']}/revision/{revision}",
                        [{"op": "add", "path": path, "value": hook}])
            answered += len(data)
            revision = json.loads(data)["project"]["revision_id"]
        print(f"\n{HOOKS} patches adding a web hook each to one flow: {time.perf_counter() - started:.2f} s, "
              f"the emulator's CPU {cpu() - before:.2f} s, answers {answered / 1048576:.1f} MB "
              f"(the last {len(data) / 1024:.0f} KB).")
    finally:
        emulator.terminate()
        emulator.wait()


if __name__ == "__main__":
    main()
    hook_patches()
