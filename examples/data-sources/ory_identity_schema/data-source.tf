data "ory_identity_schema" "email" {
  project_id = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
  id         = "preset://email"
}

output "email_traits" {
  value = jsondecode(data.ory_identity_schema.email.schema).properties.traits
}
