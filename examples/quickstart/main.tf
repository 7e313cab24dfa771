# The quickstart: one Ory Network project, managed with Terraform.
# `make demo` runs it against the local emulator; against Ory Network, set
# ORY_WORKSPACE_API_KEY (and leave ORY_CONSOLE_API_URL unset).

terraform {
  required_providers {
    ory = {
      source = "terraform.local/ory/ory"
    }
  }
}

# Reads ORY_WORKSPACE_API_KEY, ORY_CONSOLE_API_URL and ORY_WORKSPACE_ID.
provider "ory" {}

resource "ory_project" "quickstart" {
  name        = "quickstart"
  environment = "dev"

  # A demo project may be destroyed; keep the default (true) for real ones.
  deletion_protection = false
}

output "project_id" {
  value = ory_project.quickstart.id
}

output "project_slug" {
  value = ory_project.quickstart.slug
}

output "project_state" {
  value = ory_project.quickstart.state
}
