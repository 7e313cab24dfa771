#!/usr/bin/env bash
# scripts/go-module-copy.sh MODULE@VERSION DEST: downloads a Go module through
# the Go module proxy into .tools/go and copies it to DEST, writable, so that
# it can be built as the main module (its own `replace` directives apply,
# which `go install` and `go get -tool` refuse or ignore). Exits 1, saying
# why, when there is no go or the proxy does not serve it.
set -euo pipefail
cd "$(dirname "$0")/.."
module="$1" dest="$2"

if ! command -v go >/dev/null 2>&1; then
  echo "No go to build $module with" >&2
  exit 1
fi
export GOPATH="$PWD/.tools/go" GOMODCACHE="$PWD/.tools/go/pkg/mod" GOFLAGS=-modcacherw
dir=$(go mod download -json "$module" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
if [ -z "$dir" ]; then
  echo "The Go module proxy did not serve $module" >&2
  exit 1
fi
rm -rf "$dest"
cp -r "$dir" "$dest"
chmod -R u+w "$dest"
