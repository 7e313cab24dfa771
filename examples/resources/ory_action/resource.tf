resource "ory_project" "app" {
  name = "customer-identity"
}

# The guide's web hook: after every login, send the identity to Segment.
# It joins the login flow's after-hooks and leaves the others where they are.
resource "ory_action" "segment_identify" {
  project_id = ory_project.app.id
  flow       = "login"
  timing     = "after"
  url        = "https://api.segment.io/v1/identify"
  method     = "POST"
  body       = <<-JSONNET
    function(ctx) {
      userId: ctx.identity.id,
      traits: { email: ctx.identity.traits.email },
    }
  JSONNET

  response_ignore = true
}

# Ephemeral: neither a saved plan nor the state keeps it.
variable "welcome_api_key" {
  type      = string
  ephemeral = true
}

# After a password registration, with an API key that never reaches the
# state (write-only, Terraform 1.11+). Bump the version to send a new key.
resource "ory_action" "welcome" {
  project_id  = ory_project.app.id
  flow        = "registration"
  timing      = "after"
  auth_method = "password"
  url         = "https://api.example.com/hooks/welcome"

  webhook_auth_type                     = "api_key"
  webhook_auth_api_key_name             = "X-Api-Key"
  webhook_auth_api_key_in               = "header"
  webhook_auth_api_key_value_wo         = var.welcome_api_key
  webhook_auth_api_key_value_wo_version = "1"
}
