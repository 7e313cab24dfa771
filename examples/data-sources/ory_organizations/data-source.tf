variable "project_id" {
  type = string
}

# Every organization of the project, every page of them.
data "ory_organizations" "all" {
  project_id = var.project_id
}

output "organization_labels" {
  value = [for o in data.ory_organizations.all.organizations : o.label]
}
