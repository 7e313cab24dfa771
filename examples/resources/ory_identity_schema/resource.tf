resource "ory_project" "app" {
  name = "customer-identity"
}

# The schema new customers get. Identities refer to a schema by its ID, so
# new content gets a new ID (customer_v2, ...); create_before_destroy makes
# the new one the default before the old one leaves, since the default
# schema cannot be removed.
resource "ory_identity_schema" "customer" {
  project_id  = ory_project.app.id
  schema_id   = "customer_v1"
  set_default = true
  schema = jsonencode({
    "$schema" = "http://json-schema.org/draft-07/schema#"
    title     = "Customer"
    type      = "object"
    properties = {
      traits = {
        type = "object"
        properties = {
          email = {
            type   = "string"
            format = "email"
            title  = "Email"
            "ory.sh/kratos" = {
              credentials  = { password = { identifier = true } }
              verification = { via = "email" }
              recovery     = { via = "email" }
            }
          }
        }
        required = ["email"]
      }
    }
  })

  lifecycle {
    create_before_destroy = true
  }
}
