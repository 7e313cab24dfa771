# SCIM clients need a prod or stage project and a plan with B2B features.
resource "ory_project" "app" {
  name        = "customer-identity"
  environment = "prod"
}

resource "ory_organization" "acme" {
  project_id = ory_project.app.id
  label      = "Acme Inc."
  domains    = ["acme.example.com"]
}

variable "okta_scim_token" {
  type      = string
  sensitive = true
}

# Acme's Okta provisions its users through
# https://<project-slug>.projects.oryapis.com/scim/okta-acme/v2, sending
# "Authorization: Bearer <token>". On Terraform 1.11+, the write-only form
# of the secret keeps the token out of the state.
resource "ory_scim_client" "okta" {
  project_id                  = ory_project.app.id
  organization_id             = ory_organization.acme.id
  client_id                   = "okta-acme"
  label                       = "Okta"
  authorization_header_secret = var.okta_scim_token
  mapper_url                  = <<-EOT
    local user = std.extVar('claims');
    { identity: { traits: { email: user.emails[0].value } } }
  EOT
}
