variable "project_id" {
  type = string
}

variable "client_id" {
  type = string
}

# One OAuth2 client's settings, never its secret.
data "ory_oauth2_client" "portal" {
  project_id = var.project_id
  id         = var.client_id
}

output "portal_redirect_uris" {
  value = data.ory_oauth2_client.portal.redirect_uris
}
