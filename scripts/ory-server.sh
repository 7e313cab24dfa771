#!/usr/bin/env bash
# scripts/ory-server.sh kratos|hydra: prints the path of that Ory server to
# use (Ory Kratos v1.3.1, Ory Hydra v2.3.0): $KRATOS or $HYDRA, else
# .tools/<name>, else one built into .tools/ from its Go module through the
# Go module proxy, with SQLite for its in-memory database (DSN=memory).
# Built in a writable copy of the module, so that its own `replace`
# directives apply: Hydra's replaces gobuffalo/pop with Ory's fork, which
# `go get -tool` from another module ignores (the build then fails on pop's
# API). Exits 1, saying why, when none can be had.
set -euo pipefail
cd "$(dirname "$0")/.."
name="$1"

# Each module's go.mod points Ory's API client at a folder of its own
# (`replace ... => ./internal/...`) that the module's archive leaves out: the
# published client of the version it names is used instead.
case "$name" in
  kratos) module=github.com/ory/kratos VERSION=v1.3.1 client=github.com/ory/client-go
    version_var=github.com/ory/kratos/driver/config.Version override="${KRATOS:-}" ;;
  hydra) module=github.com/ory/hydra/v2 VERSION=v2.3.0 client=github.com/ory/hydra-client-go/v2
    version_var=github.com/ory/hydra/v2/driver/config.Version override="${HYDRA:-}" ;;
  *) echo "usage: scripts/ory-server.sh kratos|hydra" >&2; exit 2 ;;
esac

usable() {
  local first
  first=$("$1" version 2>/dev/null | sed -n '/^Version:/p')
  [[ "$first" =~ ${VERSION#v} ]]
}

if [ -n "$override" ] && usable "$override"; then echo "$override"; exit 0; fi
local_bin="$PWD/.tools/$name"
if [ -x "$local_bin" ] && usable "$local_bin"; then echo "$local_bin"; exit 0; fi

echo "Building Ory $name $VERSION from its Go module into .tools/ (several minutes the first time)" >&2
work="$PWD/.tools/$name-src"
scripts/go-module-copy.sh "$module@$VERSION" "$work"
export GOPATH="$PWD/.tools/go" GOMODCACHE="$PWD/.tools/go/pkg/mod" GOFLAGS=-modcacherw
(cd "$work" && go mod edit -dropreplace="$client" && go mod download "$client") >&2
(cd "$work" && go build -tags sqlite -ldflags "-X $version_var=$VERSION" -o "$local_bin" .) >&2
rm -rf "$work"
usable "$local_bin" || { echo "the built $name does not run" >&2; exit 1; }
echo "$local_bin"
