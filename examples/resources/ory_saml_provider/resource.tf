resource "ory_project" "app" {
  name = "customer-identity"
}

resource "ory_organization" "acme" {
  project_id = ory_project.app.id
  label      = "Acme"
  domains    = ["acme.example.com"]
}

# Acme's staff sign in through Acme's own identity provider. The metadata
# is the XML the identity provider exports; it is sent as a base64:// URL.
resource "ory_saml_provider" "acme" {
  project_id           = ory_project.app.id
  provider_id          = "acme"
  label                = "Acme SSO"
  organization_id      = ory_organization.acme.id
  raw_idp_metadata_xml = file("${path.module}/acme-idp-metadata.xml")
}
