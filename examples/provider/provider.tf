terraform {
  required_providers {
    ory = {
      source = "terraform.local/ory/ory"
    }
  }
}

# Every argument may instead come from its environment variable:
# ORY_WORKSPACE_API_KEY, ORY_CONSOLE_API_URL, ORY_WORKSPACE_ID.
provider "ory" {
  workspace_api_key = var.ory_workspace_api_key
  workspace_id      = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
}

variable "ory_workspace_api_key" {
  type      = string
  sensitive = true
}
