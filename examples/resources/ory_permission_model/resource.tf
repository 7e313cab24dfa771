resource "ory_project" "app" {
  name = "customer-identity"
}

# The project's permission model in the Ory Permission Language. Ory checks
# it at plan time: a mistake fails the plan with its line and column. Keep
# it in a file of its own with opl = file("${path.module}/permissions.ts").
resource "ory_permission_model" "app" {
  project_id = ory_project.app.id
  opl        = <<-OPL
    import { Namespace, SubjectSet, Context } from "@ory/keto-namespace-types"

    class User implements Namespace {}

    class Group implements Namespace {
      related: {
        members: User[]
      }
    }

    class Document implements Namespace {
      related: {
        owners: User[]
        viewers: (User | SubjectSet<Group, "members">)[]
      }

      permits = {
        view: (ctx: Context): boolean =>
          this.related.viewers.includes(ctx.subject) || this.related.owners.includes(ctx.subject),
      }
    }
  OPL
}
