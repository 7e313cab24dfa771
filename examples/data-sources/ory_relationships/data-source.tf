# Who has which relation to the README.
data "ory_relationships" "readme" {
  namespace = "Document"
  object    = "readme"
}

output "readme_relationships" {
  value = [for r in data.ory_relationships.readme.relationships : r.id]
}
