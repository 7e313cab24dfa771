# Metadata only: a key's value is never listed.
data "ory_project_api_keys" "app" {
  project_id = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
}

output "keys_expiring" {
  value = [for k in data.ory_project_api_keys.app.keys : k.name if k.expires_at != null]
}
