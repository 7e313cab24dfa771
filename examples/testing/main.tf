# A small module of the kind a platform team writes: a project with an API
# key for its backend and an event stream to its audit endpoint.
# ory.tftest.hcl tests it with `terraform test` against the local emulator
# (docs/emulator.md shows how to run that in CI).

terraform {
  required_providers {
    ory = {
      source = "terraform.local/ory/ory"
    }
  }
}

variable "name" {
  type        = string
  description = "The project's name."

  validation {
    condition     = length(var.name) <= 60
    error_message = "A project name has at most 60 characters."
  }
}

variable "environment" {
  type    = string
  default = "dev"
}

variable "audit_endpoint" {
  type        = string
  description = "Where the project's events go (HTTPS)."
  sensitive   = true
}

variable "audit_paused" {
  type    = bool
  default = false
}

resource "ory_project" "this" {
  name                = var.name
  environment         = var.environment
  deletion_protection = false
}

resource "ory_project_api_key" "backend" {
  project_id = ory_project.this.id
  name       = "${var.name}-backend"
}

resource "ory_event_stream" "audit" {
  project_id     = ory_project.this.id
  type           = "https"
  https_endpoint = var.audit_endpoint
  status         = var.audit_paused ? "paused" : "active"
}

output "project_id" {
  value = ory_project.this.id
}

output "environment" {
  value = ory_project.this.environment
}

output "backend_key_name" {
  value = ory_project_api_key.backend.name
}

output "backend_key" {
  value     = ory_project_api_key.backend.value
  sensitive = true
}

output "audit_status" {
  value = ory_event_stream.audit.status
}
