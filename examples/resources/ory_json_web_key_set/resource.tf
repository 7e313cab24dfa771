resource "ory_project" "app" {
  name = "customer-identity"
}

# A key Ory generates for signing tokens your services issue: the private
# parts stay in Ory and in the state (sensitive), the public keys are for
# whoever verifies the tokens.
resource "ory_json_web_key_set" "signing" {
  project_id = ory_project.app.id
  set_id     = "token-signing"
  key_id     = "signing-2026"
  algorithm  = "ES256"
  use        = "sig"
}

output "token_verification_keys" {
  value = ory_json_web_key_set.signing.public_keys
}
