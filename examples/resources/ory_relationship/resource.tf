resource "ory_project" "app" {
  name = "customer-identity"
}

resource "ory_permission_model" "app" {
  project_id = ory_project.app.id
  opl        = file("${path.module}/permissions.ts")
}

# Alice owns the README. The model declares the namespace, so it comes first.
resource "ory_relationship" "alice_owns_readme" {
  project_id = ory_project.app.id
  namespace  = "Document"
  object     = "readme"
  relation   = "owners"
  subject_id = "alice"

  depends_on = [ory_permission_model.app]
}

# Every member of the engineering group may view it: a subject set.
resource "ory_relationship" "engineers_view_readme" {
  project_id            = ory_project.app.id
  namespace             = "Document"
  object                = "readme"
  relation              = "viewers"
  subject_set_namespace = "Group"
  subject_set_object    = "engineering"
  subject_set_relation  = "members"

  depends_on = [ory_permission_model.app]
}
