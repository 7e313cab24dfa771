variable "project_id" {
  type = string
}

# By a domain it holds (or by id).
data "ory_organization" "acme" {
  project_id = var.project_id
  domain     = "acme.example.com"
}

output "acme_organization_id" {
  value = data.ory_organization.acme.id
}
