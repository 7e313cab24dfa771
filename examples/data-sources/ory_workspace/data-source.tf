# The provider's workspace (or set id).
data "ory_workspace" "current" {}

output "workspace_name" {
  value = data.ory_workspace.current.name
}
