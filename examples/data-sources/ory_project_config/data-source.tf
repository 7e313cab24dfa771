variable "project_id" {
  type = string
}

# The live configuration, for reading values into other resources.
data "ory_project_config" "app" {
  project_id = var.project_id
}

output "session_lifespan" {
  value = jsondecode(data.ory_project_config.app.identity_config).session.lifespan
}

output "public_cors_origins" {
  value = data.ory_project_config.app.cors_public.origins
}
