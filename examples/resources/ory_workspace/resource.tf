resource "ory_workspace" "platform" {
  name = "platform-team"
}

# The API cannot delete workspaces: `terraform destroy` removes this one from
# state with a warning, and it stays in Ory Network.
