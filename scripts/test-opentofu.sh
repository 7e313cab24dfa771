#!/usr/bin/env bash
# The end-to-end tests again, under OpenTofu, where one is installed
# (scripts/opentofu.sh); else a plain SKIPPED line. The tests take the binary
# from $TERRAFORM.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! tofu=$(scripts/opentofu.sh --installed-only 2>/dev/null); then
  echo "SKIPPED: the end-to-end tests under OpenTofu: no OpenTofu 1.11 here (make opentofu builds one into .tools/)"
  exit 0
fi
echo "The end-to-end tests under $("$tofu" version 2>/dev/null | sed -n 1p)"
TERRAFORM="$tofu" cargo test --no-fail-fast --test tests
