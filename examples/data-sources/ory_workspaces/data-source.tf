# Every workspace the key can see, across all pages.
data "ory_workspaces" "all" {}

output "workspace_names" {
  value = data.ory_workspaces.all.workspaces[*].name
}
