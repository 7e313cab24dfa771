variable "project_id" {
  type = string
}

variable "identity_id" {
  type = string
}

# One identity's schema, traits and state, never its credentials.
data "ory_identity" "admin" {
  project_id = var.project_id
  id         = var.identity_id
}

output "admin_email" {
  value = jsondecode(data.ory_identity.admin.traits).email
}
