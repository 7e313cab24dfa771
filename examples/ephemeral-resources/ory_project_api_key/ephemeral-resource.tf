# Terraform 1.10 and later. A project key that lives for this run only, to
# configure a provider of the project's data plane (identities, OAuth2
# clients) without a long-lived key stored anywhere.
ephemeral "ory_project_api_key" "run" {
  project_id = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
  ttl        = "30m" # deleted when Terraform is done; expires on its own even if it is not
}

# For example, with a provider for the project's admin APIs:
#
# provider "ory_data_plane" {
#   project_api_key = ephemeral.ory_project_api_key.run.value
# }
