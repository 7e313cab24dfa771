# Organizations need a prod or stage project and a plan with B2B features.
resource "ory_project" "app" {
  name        = "customer-identity"
  environment = "prod"
}

# Users with an @acme.example.com address sign in through Acme's own SSO.
resource "ory_organization" "acme" {
  project_id       = ory_project.app.id
  label            = "Acme Inc."
  domains          = ["acme.example.com"]
  session_lifespan = "12h"
}
