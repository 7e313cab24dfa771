#!/usr/bin/env python3
"""`make release`: builds the provider and the emulator and writes dist/ in
the layout the Terraform Registry and a provider mirror expect:

    terraform-provider-ory_<version>_<os>_<arch>.zip   holding terraform-provider-ory_v<version>
    terraform-provider-ory_<version>_manifest.json     protocol versions: 6.0
    terraform-provider-ory_<version>_SHA256SUMS        the zips and the manifest

A run adds its platform to what dist/ holds of the same version, so that
builds for several targets (RELEASE_TARGET) end in one SHA256SUMS.
    ory-console-emulator_<version>_<os>_<arch>.tar.gz  holding ory-console-emulator
    ory-console-emulator_<version>_SHA256SUMS

The version is Cargo.toml's, and nothing else's. The archives are
reproducible: fixed timestamps and modes, so the same binaries give the
same hashes.

RELEASE_TARGET: a Rust target triple to build for instead of this machine's
(see docs/releasing.md). RELEASE_PROFILE: the cargo profile (`release`).
RELEASE_PREBUILT: a folder holding both binaries already built, to package
them without building; the test uses it, since a `cargo build` inside
`cargo test` would swap target/debug's binaries under the other tests.
RELEASE_DIST: where to write instead of dist/."""

import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIST = os.environ.get("RELEASE_DIST") or os.path.join(ROOT, "dist")
# 1980-01-01, the earliest time a zip can hold: no build time leaks into a hash.
EPOCH = (1980, 1, 1, 0, 0, 0)
OS_NAMES = {"linux": "linux", "apple-darwin": "darwin", "windows": "windows", "freebsd": "freebsd"}
ARCH_NAMES = {"x86_64": "amd64", "aarch64": "arm64", "i686": "386", "armv7": "arm"}


def cargo(*args, capture=False):
    done = subprocess.run(["cargo", *args], cwd=ROOT, check=True, text=True,
                          stdout=subprocess.PIPE if capture else None)
    return done.stdout


def version():
    metadata = json.loads(cargo("metadata", "--no-deps", "--format-version", "1", capture=True))
    return next(p["version"] for p in metadata["packages"] if p["name"] == "terraform-provider-ory")


def host_target():
    verbose = subprocess.run(["rustc", "-vV"], check=True, capture_output=True, text=True).stdout
    return next(line.split(":", 1)[1].strip() for line in verbose.splitlines() if line.startswith("host:"))


def platform(target):
    """Terraform's name for a Rust target: x86_64-unknown-linux-gnu -> linux_amd64."""
    arch = ARCH_NAMES.get(target.split("-")[0])
    os_name = next((name for key, name in OS_NAMES.items() if key in target), None)
    if not arch or not os_name:
        sys.exit(f"make release does not know Terraform's name for the target {target}")
    return f"{os_name}_{arch}"


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def write_zip(path, name, binary):
    info = zipfile.ZipInfo(name, date_time=EPOCH)
    info.external_attr = (0o100755 << 16)
    info.create_system = 3  # Unix, so that the mode above is honoured on unpacking
    info.compress_type = zipfile.ZIP_DEFLATED
    with open(binary, "rb") as f, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(info, f.read())


def write_tar_gz(path, files):
    """A .tar.gz of (name, file, mode) with no owner, time or host in it."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, source, mode in files:
            info = tar.gettarinfo(source, arcname=name)
            info.mode, info.mtime, info.uid, info.gid, info.uname, info.gname = mode, 0, 0, 0, "", ""
            with open(source, "rb") as f:
                tar.addfile(info, f)
    with open(path, "wb") as out, gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0) as gz:
        gz.write(buffer.getvalue())


def write_sums(path, files):
    with open(path, "w") as f:
        for name in sorted(files):
            f.write(f"{sha256(os.path.join(DIST, name))}  {name}\n")


def main():
    profile = os.environ.get("RELEASE_PROFILE", "release")
    target = os.environ.get("RELEASE_TARGET") or host_target()
    v = version()
    out_dir = os.environ.get("RELEASE_PREBUILT")
    if out_dir:
        profile = f"none (prebuilt binaries from {out_dir})"
    else:
        build = ["build", "--profile", profile, "--bin", "terraform-provider-ory", "--bin", "ory-console-emulator"]
        if os.environ.get("RELEASE_TARGET"):
            build += ["--target", target]
        cargo(*build)
        out_dir = os.path.join(ROOT, "target", *([target] if os.environ.get("RELEASE_TARGET") else []),
                               "debug" if profile == "dev" else profile)
    exe = ".exe" if "windows" in target else ""
    plat = platform(target)

    # Other platforms of this version stay, so that one dist/ and one
    # SHA256SUMS can collect every target's build; other versions go.
    os.makedirs(DIST, exist_ok=True)
    for name in os.listdir(DIST):
        if not name.startswith((f"terraform-provider-ory_{v}_", f"ory-console-emulator_{v}_")):
            os.remove(os.path.join(DIST, name))
    provider_zip = f"terraform-provider-ory_{v}_{plat}.zip"
    write_zip(os.path.join(DIST, provider_zip), f"terraform-provider-ory_v{v}{exe}",
              os.path.join(out_dir, f"terraform-provider-ory{exe}"))
    manifest = f"terraform-provider-ory_{v}_manifest.json"
    with open(os.path.join(DIST, manifest), "w") as f:
        json.dump({"version": 1, "metadata": {"protocol_versions": ["6.0"]}}, f, indent=2)
        f.write("\n")
    zips = [n for n in os.listdir(DIST) if n.startswith(f"terraform-provider-ory_{v}_") and n.endswith(".zip")]
    write_sums(os.path.join(DIST, f"terraform-provider-ory_{v}_SHA256SUMS"), zips + [manifest])

    emulator_archive = f"ory-console-emulator_{v}_{plat}.tar.gz"
    write_tar_gz(os.path.join(DIST, emulator_archive), [
        (f"ory-console-emulator{exe}", os.path.join(out_dir, f"ory-console-emulator{exe}"), 0o755),
        ("emulator.md", os.path.join(ROOT, "docs", "emulator.md"), 0o644),
    ])
    archives = [n for n in os.listdir(DIST) if n.startswith(f"ory-console-emulator_{v}_") and n.endswith(".tar.gz")]
    write_sums(os.path.join(DIST, f"ory-console-emulator_{v}_SHA256SUMS"), archives)

    print(f"{DIST} for version {v}, {plat}, cargo profile {profile}:")
    for name in sorted(os.listdir(DIST)):
        print(f"  {name}  ({os.path.getsize(os.path.join(DIST, name)) / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
