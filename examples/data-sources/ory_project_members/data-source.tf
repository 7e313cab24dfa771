data "ory_project_members" "app" {
  project_id = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
}

output "project_owners" {
  value = [for m in data.ory_project_members.app.members : m.email if m.role == "owner"]
}
