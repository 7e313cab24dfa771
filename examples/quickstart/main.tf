# The quickstart: one Ory Network project, its configuration and a login
# web hook, managed with Terraform.
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

# Configuration as code: only the keys written here are managed; every
# other key of the project's configuration stays as it is.
resource "ory_project_config" "quickstart" {
  project_id      = ory_project.quickstart.id
  identity_config = jsonencode({ session = { lifespan = "24h" } })
  cors_public {
    enabled = true
    origins = ["http://localhost:3000"]
  }
}

# An Ory Action, the guide's: after every login, send the identity to
# Segment. It joins the login flow's after-hooks and leaves others alone.
resource "ory_action" "segment_identify" {
  project_id = ory_project.quickstart.id
  flow       = "login"
  timing     = "after"
  url        = "https://api.segment.io/v1/identify"
  method     = "POST"
  body       = <<-JSONNET
    function(ctx) {
      userId: ctx.identity.id,
      traits: { email: ctx.identity.traits.email },
    }
  JSONNET
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
