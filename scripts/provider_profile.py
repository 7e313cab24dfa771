#!/usr/bin/env python3
"""`make profile`: where a provider process spends its CPU in a refresh plan
of N objects (PROFILE_N, default 500, laid out as in `make bench`), recorded
with `perf` on the `profiling` build (release with symbols).

Prints the CPU of the process that served the plan walk by area (startup,
TLS, cty values, protobuf, handlers, console client, gRPC, scheduler) and
its hottest functions, and leaves the recording in target/profile/ for
`perf report -i`."""

import glob
import os
import shutil
import subprocess
import sys
import tempfile

import bench

ROOT = bench.ROOT
N = int(os.environ.get("PROFILE_N", "500"))
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


def main():
    if not shutil.which("perf"):
        sys.exit("make profile needs perf (Debian: apt-get install linux-perf)")
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    emulator = bench.Emulator(EMULATOR)
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
                       ORY_CONSOLE_API_URL=emulator.url, ORY_WORKSPACE_API_KEY=emulator.key)
            projects = max(1, N // 10)
            text = bench.ORY.format(projects=projects, keys=N // 2, streams=N - N // 2)
            d = bench.case_dir(tmp, "ory", text, env)
            bench.terraform(d, env, *bench.ARGS["apply"])
            for old in glob.glob(f"{OUT}/perf-*.data"):
                os.remove(old)
            bench.terraform(d, env, *bench.ARGS["plan (refresh)"])
            recordings = sorted(glob.glob(f"{OUT}/perf-*.data"), key=os.path.getsize)
            walk = os.path.join(OUT, "refresh-walk.data")
            os.rename(recordings[-1], walk)
            bench.terraform(d, env, *bench.ARGS["destroy"])
    finally:
        emulator.stop()
    for other in glob.glob(f"{OUT}/perf-*.data"):
        os.remove(other)
    total, shares = categorize(walk)
    print(f"make profile: the provider process that served the walk of a refresh plan of {N} objects "
          f"({total} samples at 4999 Hz: {total / 4999:.2f} s of CPU); recording: {walk}\n")
    print("| where | share of CPU |")
    print("|---|---:|")
    for share, name in shares:
        print(f"| {name} | {share:.1f}% |")
    print("\nHottest functions by own time:\n")
    print("\n".join(hottest(walk)))


if __name__ == "__main__":
    main()
