# Import as <project_id>/<client_id>, or <client_id> alone in the provider's project_id.
# The secret is never read back: the next apply sends the configured one.
terraform import ory_scim_client.okta 3fa85f64-5717-4562-b3fc-2c963f66afa6/okta-acme
