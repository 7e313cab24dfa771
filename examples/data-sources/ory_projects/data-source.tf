# The projects of the provider's workspace (or set workspace_id).
data "ory_projects" "all" {}

output "production_projects" {
  value = [for p in data.ory_projects.all.projects : p.name if p.environment == "prod"]
}
