resource "ory_project" "app" {
  name = "customer-identity"
}

# The first administrator, made with the project. Its traits follow the
# project's default schema (Ory's email preset).
resource "ory_identity" "admin" {
  project_id      = ory_project.app.id
  schema_id       = "preset://email"
  traits          = jsonencode({ email = "admin@example.com" })
  metadata_public = jsonencode({ role = "admin" })

  # Write-only (Terraform 1.11+): the password never reaches the plan or
  # the state. Change the version to send a new one.
  password_wo         = var.admin_password
  password_wo_version = "1"
}

variable "admin_password" {
  type      = string
  ephemeral = true
}
