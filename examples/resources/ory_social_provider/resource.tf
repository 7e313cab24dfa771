resource "ory_project" "app" {
  name = "customer-identity"
}

variable "google_client_secret" {
  type      = string
  sensitive = true
}

# Sign in with Google. Settings left out (a label, PKCE, ...) keep the
# values set in the Ory Console.
resource "ory_social_provider" "google" {
  project_id    = ory_project.app.id
  provider_id   = "google"
  provider_type = "google"
  client_id     = "1234567890-abc.apps.googleusercontent.com"
  client_secret = var.google_client_secret
  scope         = ["email", "profile"]

  # The claims mapper as Jsonnet source; it is sent as a base64:// URL.
  mapper_url = <<-JSONNET
    local claims = std.extVar('claims');
    {
      identity: {
        traits: { email: claims.email },
      },
    }
  JSONNET
}

variable "sso_client_secret" {
  type      = string
  sensitive = true
}

# Any OIDC issuer, for one B2B organization's single sign-on.
resource "ory_social_provider" "acme_sso" {
  project_id    = ory_project.app.id
  provider_id   = "acme-sso"
  provider_type = "generic"
  issuer_url    = "https://sso.acme.example.com"
  client_id     = "ory"
  client_secret = var.sso_client_secret
  scope         = ["openid", "email"]
}
