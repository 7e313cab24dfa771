# <project_id>/<client_id>, or <client_id> in the provider's project_id.
# Ory never shows the secret or the registration token again: an imported
# client is reached with a project key.
terraform import ory_oidc_dynamic_client.partner 3fa85f64-5717-4562-b3fc-2c963f66afa6/9edc811f-4e28-453c-9b46-4de65f00217f
