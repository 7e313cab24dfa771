resource "ory_project" "app" {
  name = "customer-identity"
}

# The email with a recovery code. Written as text; Ory gets it as
# base64:// URLs. Destroy gives the project Ory's built-in template back.
resource "ory_email_template" "recovery_code" {
  project_id     = ory_project.app.id
  template_type  = "recovery_code"
  variant        = "valid"
  subject        = "Your Acme recovery code"
  body_html      = <<-HTML
    <p>Hello,</p>
    <p>Your recovery code is <b>{{ .RecoveryCode }}</b>.</p>
  HTML
  body_plaintext = "Your recovery code is {{ .RecoveryCode }}."
}
