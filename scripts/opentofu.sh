#!/usr/bin/env bash
# Prints the path of an OpenTofu 1.11 to use: $TOFU, else `tofu` on PATH, else
# .tools/tofu, else one built into .tools/ from OpenTofu's Go module, fetched
# through the Go module proxy (git ignores .tools/). Its go.mod has a replace
# directive, so `go install ...@version` refuses it: the module is downloaded
# and built in a writable copy. Exits 1, saying why, when none can be had.
# With --installed-only it builds nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

# The newest 1.11 the proxy served (1.11.8 to 1.11.10 were refused, 403).
VERSION="${OPENTOFU_VERSION:-v1.11.7}"

usable() {
  local first
  first=$("$1" version 2>/dev/null | sed -n 1p)
  [[ "$first" =~ ^OpenTofu\ v1\.1[1-9]\. ]]
}

if [ -n "${TOFU:-}" ] && usable "$TOFU"; then echo "$TOFU"; exit 0; fi
if command -v tofu >/dev/null 2>&1 && usable "$(command -v tofu)"; then command -v tofu; exit 0; fi
local_tofu="$PWD/.tools/tofu"
if [ -x "$local_tofu" ] && usable "$local_tofu"; then echo "$local_tofu"; exit 0; fi
if [ "${1:-}" = --installed-only ]; then
  echo "No OpenTofu 1.11 installed (make opentofu builds one into .tools/)" >&2
  exit 1
fi

echo "Building OpenTofu $VERSION from its Go module into .tools/ (several minutes the first time)" >&2
work="$PWD/.tools/opentofu-src"
scripts/go-module-copy.sh "github.com/opentofu/opentofu@$VERSION" "$work"
export GOPATH="$PWD/.tools/go" GOMODCACHE="$PWD/.tools/go/pkg/mod" GOFLAGS=-modcacherw
# dev=no: a release build, whose `tofu version` reads v1.11.x, not v1.11.x-dev.
(cd "$work" && go build -ldflags "-X github.com/opentofu/opentofu/version.dev=no" -o "$local_tofu" ./cmd/tofu) >&2
rm -rf "$work"
usable "$local_tofu" || { echo "the built tofu does not run" >&2; exit 1; }
echo "$local_tofu"
