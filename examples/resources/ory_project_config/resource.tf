resource "ory_project" "app" {
  name = "customer-identity"
}

# Ephemeral: neither a saved plan nor the state keeps it.
variable "smtp_connection_uri" {
  type      = string
  ephemeral = true
}

# Only the keys written here are managed; every other key of the project's
# configuration stays as it is. The hook list is the guide's: a web hook
# after login that sends the identity to Segment.
resource "ory_project_config" "app" {
  project_id = ory_project.app.id

  identity_config = jsonencode({
    session = { lifespan = "24h" }
    selfservice = {
      flows = {
        login = {
          after = {
            hooks = [{
              hook = "web_hook"
              config = {
                url    = "https://api.segment.io/v1/identify"
                method = "POST"
                # function(ctx) { userId: ctx.identity.id, traits: { email: ctx.identity.traits.email } }
                body = "base64://ZnVuY3Rpb24oY3R4KSB7IHVzZXJJZDogY3R4LmlkZW50aXR5LmlkLCB0cmFpdHM6IHsgZW1haWw6IGN0eC5pZGVudGl0eS50cmFpdHMuZW1haWwgfSB9"
              }
            }]
          }
        }
      }
    }
  })

  cors_public {
    enabled = true
    origins = ["https://app.example.com", "https://*.example.com"]
  }

  # Secrets stay out of the configuration attributes, so that plans never
  # show them. secrets_wo (Terraform 1.11+) keeps them out of the state too.
  secrets_wo = {
    "/services/identity/config/courier/smtp/connection_uri" = var.smtp_connection_uri
  }
  secrets_wo_version = "1"
}
