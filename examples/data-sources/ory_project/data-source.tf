# By slug (or by id).
data "ory_project" "app" {
  slug = "vibrant-moore-abc123"
}

output "app_environment" {
  value = data.ory_project.app.environment
}
