# Metadata only, for the provider's workspace (or set workspace_id).
data "ory_workspace_api_keys" "all" {}

output "workspace_key_names" {
  value = data.ory_workspace_api_keys.all.keys[*].name
}
