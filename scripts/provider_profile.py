#!/usr/bin/env python3
"""`make profile`: where a provider process spends its CPU in an apply and
a refresh plan, recorded with `perf` on the `profiling` build (release with
symbols), for each case of `make bench` (PROFILE_CASES, default all):
`console` (PROFILE_N objects, default 500, laid out as in `make bench`),
`data-plane` (PROFILE_DATA_PLANE identities and as many clients, default
500), `relationships` (PROFILE_RELATIONSHIPS, default 2000) and `actions`
(PROFILE_ACTIONS, default 500).

Prints, for the process that served each walk, its CPU by area (startup,
TLS, cty values, protobuf, handlers, console client, gRPC, scheduler) and
its hottest functions, and leaves the recordings in target/profile/ for
`perf report -i`."""

import glob
import os
import shutil
import subprocess
import sys
import tempfile

import bench

ROOT = bench.ROOT
BINARY = os.path.join(ROOT, "target/profiling/terraform-provider-ory")
EMULATOR = os.path.join(ROOT, "target/profiling/ory-console-emulator")
OUT = os.path.join(ROOT, "target/profile")


# Each sample goes to the first of these that a frame matches, walking from
# the leaf outwards, so that an allocation is charged to whoever asked for it.
CATEGORIES = [
    ("startup: TLS identity, schemas, runtime",
     ("ServerIdentity::generate", "ProviderService<P>>::new", "ProviderService$LT$P$GT$::new", "Builder::build",
      "_dl_", "dl_main")),
    ("TLS (rustls, aws-lc)", ("rustls::", "aws_lc", "tokio_rustls")),
    ("cty values: msgpack and JSON state (plugin::value, rmpv)", ("plugin::value", "rmpv::", "rmp::")),
    ("protobuf (prost)", ("prost::", "tonic_prost")),
    ("the provider's handlers (provider::, plugin::server)", ("terraform_provider_ory::provider::",
                                                               "terraform_provider_ory::plugin::server")),
    ("console API client (reqwest, serde_json, console::)", ("reqwest::", "hyper_util::client", "serde_json::",
                                                              "terraform_provider_ory::console::")),
    ("gRPC server and HTTP/2 (tonic, h2, hyper)", ("tonic::", "h2::", "hyper::", "hyper_util::")),
    ("logging (tracing)", ("tracing",)),
    ("tokio scheduler and I/O driver", ("tokio::",)),
]


def categorize(recording):
    """Shares of the samples of one recording, by CATEGORIES."""
    script = subprocess.run(["perf", "script", "-i", recording, "--no-inline", "-F", "ip,sym"],
                            capture_output=True, text=True).stdout
    counts = {}
    for sample in script.split("\n\n"):
        frames = [line.split(None, 1)[1] for line in sample.strip().splitlines() if len(line.split(None, 1)) == 2]
        if not frames:
            continue
        name = next((label for frame in frames for label, patterns in CATEGORIES
                     if any(p in frame for p in patterns)), "other (kernel, libc, threads)")
        counts[name] = counts.get(name, 0) + 1
    total = sum(counts.values())
    return total, sorted(((n * 100 / total, name) for name, n in counts.items()), reverse=True)


def hottest(recording):
    shown = subprocess.run(["perf", "report", "-i", recording, "--stdio", "--sort", "symbol", "-g", "none",
                            "--no-children", "--percent-limit", "1.5"], capture_output=True, text=True)
    return [line.strip()[:120] for line in shown.stdout.splitlines() if line.strip() and not line.startswith("#")]


def case_text(case, emulator):
    if case == "console":
        n = int(os.environ.get("PROFILE_N", "500"))
        return f"a refresh plan of {n} console objects", bench.ORY.format(
            projects=max(1, n // 10), keys=n // 2, streams=n - n // 2)
    if case == "data-plane":
        n = int(os.environ.get("PROFILE_DATA_PLANE", "500"))
        return f"{n} identities and {n} OAuth2 clients", bench.DATA_PLANE.format(n=n)
    if case == "relationships":
        n = int(os.environ.get("PROFILE_RELATIONSHIPS", "2000"))
        project = bench.permission_project(emulator, "profile-relationships")
        return f"{n} relationships", bench.RELATIONSHIPS.format(n=n, project=project)
    n = int(os.environ.get("PROFILE_ACTIONS", "500"))
    return f"{n} actions in one project", bench.ACTIONS.format(n=n)


def record(case, emulator, tmp, env):
    """Records every provider process of an apply and of the refresh plan
    after it; keeps, per step, the recording of the walk (the largest)."""
    what, text = case_text(case, emulator)
    d = bench.case_dir(tmp, case, text, env)
    kept = {}
    for step in ("apply", "plan (refresh)"):
        for old in glob.glob(f"{OUT}/perf-*.data"):
            os.remove(old)
        bench.terraform(d, env, *bench.ARGS[step])
        recordings = sorted(glob.glob(f"{OUT}/perf-*.data"), key=os.path.getsize)
        kept[step] = os.path.join(OUT, f"{case}-{step.split()[0]}.data")
        os.rename(recordings[-1], kept[step])
    bench.terraform(d, env, *bench.ARGS["destroy"])
    for other in glob.glob(f"{OUT}/perf-*.data"):
        os.remove(other)
    return what, kept


def main():
    if not shutil.which("perf"):
        sys.exit("make profile needs perf (Debian: apt-get install linux-perf)")
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    cases = os.environ.get("PROFILE_CASES", "console,data-plane,relationships,actions").split(",")
    emulator = bench.Emulator(EMULATOR)
    recorded = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            wrapper = os.path.join(tmp, "perf-wrapper")
            with open(wrapper, "w") as f:
                f.write(f'#!/bin/sh\nexec perf record -q -F 4999 --call-graph dwarf,16384 -o "{OUT}/perf-$$.data" '
                        f'"{BINARY}" "$@" 2>/dev/null\n')
            os.chmod(wrapper, 0o755)
            config = bench.mirror_with(tmp, "mirror", {
                "terraform.local/ory/ory": ("terraform-provider-ory_v0.1.0", wrapper)})
            env = dict(os.environ, TF_CLI_CONFIG_FILE=config, TF_IN_AUTOMATION="1", CHECKPOINT_DISABLE="1",
                       ORY_CONSOLE_API_URL=emulator.url, ORY_WORKSPACE_API_KEY=emulator.key,
                       ORY_PROJECT_API_URL=emulator.project_api_url)
            recorded = [(case, *record(case.strip(), emulator, tmp, env)) for case in cases if case.strip()]
    finally:
        emulator.stop()
    for case, what, kept in recorded:
        for step, walk in kept.items():
            total, shares = categorize(walk)
            print(f"\n## {case}: {step} of {what}\n\nThe provider process that served the walk: {total} samples "
                  f"at 4999 Hz, {total / 4999:.2f} s of CPU; recording: {walk}\n")
            print("| where | share of CPU |")
            print("|---|---:|")
            for share, name in shares:
                print(f"| {name} | {share:.1f}% |")
            print("\nHottest functions by own time:\n")
            print("\n".join(hottest(walk)))


if __name__ == "__main__":
    main()
