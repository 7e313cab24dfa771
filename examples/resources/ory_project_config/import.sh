# Import by project ID: nothing is managed until the configuration names
# keys; the first plan after the import shows them being taken over, and
# the apply sends only the keys whose value differs.
terraform import ory_project_config.app 3fa85f64-5717-4562-b3fc-2c963f66afa6

# Or name the keys to manage, as JSON pointers into the project document:
# the import reads their live values, so that configuration generated from
# it (terraform plan -generate-config-out) plans no change. This is what
# `terraform-provider-ory adopt` writes.
terraform import ory_project_config.app '3fa85f64-5717-4562-b3fc-2c963f66afa6:/services/identity/config/session/lifespan,/cors_public/origins'
