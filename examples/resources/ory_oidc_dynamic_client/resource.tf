resource "ory_project" "app" {
  name = "customer-identity"
}

# Dynamic client registration is off until the project allows it.
resource "ory_project_config" "registration" {
  project_id    = ory_project.app.id
  oauth2_config = jsonencode({ oidc = { dynamic_client_registration = { enabled = true } } })
}

# Registered with no project key. Its registration access token (sensitive)
# reads, updates and deletes it, and each update replaces it.
resource "ory_oidc_dynamic_client" "partner" {
  project_id     = ory_project.app.id
  client_name    = "Partner application"
  grant_types    = ["authorization_code", "refresh_token"]
  response_types = ["code"]
  scope          = "openid offline_access"
  redirect_uris  = ["https://partner.example.com/callback"]

  depends_on = [ory_project_config.registration]
}

output "partner_client_id" {
  value = ory_oidc_dynamic_client.partner.client_id
}
