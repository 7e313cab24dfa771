variable "project_id" {
  type = string
}

# Every identity of the project, every page of them.
data "ory_identities" "all" {
  project_id = var.project_id
}

output "inactive_identities" {
  value = [for i in data.ory_identities.all.identities : i.id if i.state == "inactive"]
}
