#!/usr/bin/env bash
# The quickstart, end to end and offline: start the emulator, install the
# provider into a local mirror, init + apply examples/quickstart, show the
# login hook it added, show that a second plan is empty, destroy, stop the
# emulator.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
terraform=${TERRAFORM:-$(scripts/terraform.sh)}

work=$(mktemp -d)
emulator_pid=
cleanup() {
  [ -n "$emulator_pid" ] && kill "$emulator_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

mirror="$work/mirror/terraform.local/ory/ory/0.1.0/linux_amd64"
mkdir -p "$mirror"
ln -s "$root/target/debug/terraform-provider-ory" "$mirror/terraform-provider-ory_v0.1.0"
cat > "$work/terraform.rc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$work/mirror"
    include = ["terraform.local/*/*"]
  }
  direct {
    exclude = ["terraform.local/*/*"]
  }
}
RC
export TF_CLI_CONFIG_FILE="$work/terraform.rc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1

echo "==> Starting the console API emulator"
coproc EMULATOR { exec "$root/target/debug/ory-console-emulator" --listen 127.0.0.1:0; }
emulator_pid=$EMULATOR_PID
read -r startup <&"${EMULATOR[0]}"
echo "    $startup" | sed 's/"workspace_api_key":"[^"]*"/"workspace_api_key":"(hidden)"/'
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$startup" "$1"; }
export ORY_CONSOLE_API_URL=$(field url) ORY_WORKSPACE_API_KEY=$(field workspace_api_key)

cp -r "$root/examples/quickstart" "$work/quickstart"
cd "$work/quickstart"
echo "==> terraform init ($("$terraform" version | head -n1))"
"$terraform" init -input=false -no-color >/dev/null
echo "==> terraform apply"
"$terraform" apply -auto-approve -input=false -no-color
echo "==> Outputs"
"$terraform" output -no-color
echo "==> The login after-hooks, as the guide checks them (.project.services.identity.config.selfservice.flows.login.after.hooks)"
project_id=$("$terraform" output -raw project_id)
python3 - "$ORY_CONSOLE_API_URL/projects/$project_id" "$ORY_WORKSPACE_API_KEY" <<'PY'
import json, sys, urllib.request
request = urllib.request.Request(sys.argv[1], headers={"Authorization": "Bearer " + sys.argv[2]})
project = json.load(urllib.request.urlopen(request))
print(json.dumps(project["services"]["identity"]["config"]["selfservice"]["flows"]["login"]["after"]["hooks"], indent=2))
PY
echo "==> A second plan"
"$terraform" plan -input=false -no-color -detailed-exitcode | tail -n 3
echo "==> terraform destroy"
"$terraform" destroy -auto-approve -input=false -no-color | tail -n 1
echo "==> Done: the emulator is stopped and the work directory removed."
