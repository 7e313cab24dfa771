resource "ory_project" "production" {
  name        = "customer-identity"
  environment = "prod"
  home_region = "eu-central"

  # deletion_protection defaults to true: destroying or replacing this
  # project fails until it is set to false and applied.
}

output "ory_sdk_url" {
  value = "https://${ory_project.production.slug}.projects.oryapis.com"
}
