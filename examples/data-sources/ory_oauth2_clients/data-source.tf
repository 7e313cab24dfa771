variable "project_id" {
  type = string
}

# Every OAuth2 client of the project, every page of them.
data "ory_oauth2_clients" "all" {
  project_id = var.project_id
}

output "client_names" {
  value = [for c in data.ory_oauth2_clients.all.clients : c.client_name]
}
