data "ory_identity_schemas" "all" {
  project_id = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
}

output "default_schema" {
  value = one([for s in data.ory_identity_schemas.all.schemas : s.id if s.is_default])
}
