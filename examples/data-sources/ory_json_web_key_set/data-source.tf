variable "project_id" {
  type = string
}

# The public keys of a key set, never its private parts: what a service
# needs to verify tokens signed with it.
data "ory_json_web_key_set" "signing" {
  project_id = var.project_id
  set_id     = "token-signing"
}

output "verification_keys" {
  value = data.ory_json_web_key_set.signing.public_keys
}
