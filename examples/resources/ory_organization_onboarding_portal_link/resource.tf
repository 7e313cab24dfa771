resource "ory_project" "app" {
  name        = "customer-identity"
  environment = "prod"
}

resource "ory_organization" "acme" {
  project_id = ory_project.app.id
  label      = "Acme Inc."
  domains    = ["acme.example.com"]
}

# A link for Acme's administrators to set up their own SSO and SCIM.
resource "ory_organization_onboarding_portal_link" "acme" {
  project_id      = ory_project.app.id
  organization_id = ory_organization.acme.id
  enable_sso      = true
  enable_scim     = true
  expires_at      = "2030-01-01T00:00:00Z"
}

# Whoever holds the link can configure Acme's sign-in: hand it over privately.
output "acme_onboarding_link" {
  value     = ory_organization_onboarding_portal_link.acme.value
  sensitive = true
}
