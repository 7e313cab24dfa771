variable "project_id" {
  type = string
}

# A member leaves the project when this resource is destroyed. It is never
# created: import the member first (import.sh, or an import block on
# Terraform 1.5+), then destroy it.
resource "ory_project_member" "former_contractor" {
  project_id = var.project_id
}
