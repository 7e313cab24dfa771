# A key for another pipeline, in the provider's workspace (workspace_id
# defaults to the provider's).
resource "ory_workspace_api_key" "ci" {
  name = "ci-pipeline"
}

output "ci_workspace_api_key" {
  value     = ory_workspace_api_key.ci.value
  sensitive = true
}
