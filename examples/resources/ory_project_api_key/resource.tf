resource "ory_project" "app" {
  name = "customer-identity"
}

resource "ory_project_api_key" "backend" {
  project_id = ory_project.app.id
  name       = "backend"
  expires_at = "2030-01-01T00:00:00Z"
}

# The value exists only in state, as a sensitive value.
output "backend_api_key" {
  value     = ory_project_api_key.backend.value
  sensitive = true
}
