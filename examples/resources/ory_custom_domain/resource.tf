resource "ory_project" "app" {
  name = "customer-identity"
}

# auth.example.com serves the project once its CNAME record points at Ory;
# verification_status says when. Cookies are set for example.com, so that
# app.example.com sees the session.
resource "ory_custom_domain" "auth" {
  project_id           = ory_project.app.id
  hostname             = "auth.example.com"
  cookie_domain        = "example.com"
  cors_enabled         = true
  cors_allowed_origins = ["https://app.example.com"]
}

output "auth_domain_status" {
  value = ory_custom_domain.auth.verification_status
}
