# <project_id>/<provider_id>, or <provider_id> alone in the provider's project_id (as
# Ory's provider imports it). Ory never shows the client secret again, so
# the first apply after an import sends the configured one.
terraform import ory_social_provider.google 3fa85f64-5717-4562-b3fc-2c963f66afa6/google
