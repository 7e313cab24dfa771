# <project_id>/<provider_id>, or <provider_id> alone in the provider's project_id
terraform import ory_saml_provider.acme 3fa85f64-5717-4562-b3fc-2c963f66afa6/acme
