#!/usr/bin/env bash
# Prints the path of an Ory Hydra v2.3.0 to use: $HYDRA, else .tools/hydra,
# else one built into .tools/ from its Go module through the Go module proxy,
# with SQLite for its in-memory database. Its go.mod replaces gobuffalo/pop
# with Ory's fork, which `go get -tool` from another module ignores (the build
# then fails on pop's API), so the module is built in a writable copy of itself.
# Exits 1, saying why, when none can be had.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=v2.3.0

usable() {
  local first
  first=$("$1" version 2>/dev/null | sed -n '/^Version:/p')
  [[ "$first" =~ ${VERSION#v} ]]
}

if [ -n "${HYDRA:-}" ] && usable "$HYDRA"; then echo "$HYDRA"; exit 0; fi
local_hydra="$PWD/.tools/hydra"
if [ -x "$local_hydra" ] && usable "$local_hydra"; then echo "$local_hydra"; exit 0; fi

echo "Building Ory Hydra $VERSION from its Go module into .tools/ (several minutes the first time)" >&2
work="$PWD/.tools/hydra-src"
scripts/go-module-copy.sh "github.com/ory/hydra/v2@$VERSION" "$work"
export GOPATH="$PWD/.tools/go" GOMODCACHE="$PWD/.tools/go/pkg/mod" GOFLAGS=-modcacherw
# The module's go.mod points its API client at ./internal/httpclient, a module
# of its own that the module's archive leaves out: the published one instead.
(cd "$work" && go mod edit -dropreplace=github.com/ory/hydra-client-go/v2 && go mod download github.com/ory/hydra-client-go/v2) >&2
(cd "$work" && go build -tags sqlite -ldflags "-X github.com/ory/hydra/v2/driver/config.Version=$VERSION" -o "$local_hydra" .) >&2
rm -rf "$work"
usable "$local_hydra" || { echo "the built hydra does not run" >&2; exit 1; }
echo "$local_hydra"
