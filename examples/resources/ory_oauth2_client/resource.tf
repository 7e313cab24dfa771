resource "ory_project" "app" {
  name = "customer-identity"
}

# A web application that signs users in: it gets a secret, which Ory shows
# once and the state keeps (sensitive).
resource "ory_oauth2_client" "web" {
  project_id                = ory_project.app.id
  client_name               = "Customer portal"
  grant_types               = ["authorization_code", "refresh_token"]
  response_types            = ["code"]
  redirect_uris             = ["https://portal.example.com/callback"]
  post_logout_redirect_uris = ["https://portal.example.com/"]
  scope                     = "openid offline_access email"
  metadata                  = jsonencode({ team = "portal" })
}

# A backend service calling APIs on its own behalf.
resource "ory_oauth2_client" "billing" {
  project_id                 = ory_project.app.id
  client_name                = "Billing service"
  grant_types                = ["client_credentials"]
  token_endpoint_auth_method = "client_secret_post"
  audience                   = ["https://api.example.com"]

  # Rotates the secret in place when changed: the client keeps its ID.
  client_secret_version = "2026-12"
}

output "portal_client_id" {
  value = ory_oauth2_client.web.client_id
}

output "portal_client_secret" {
  value     = ory_oauth2_client.web.client_secret
  sensitive = true
}
