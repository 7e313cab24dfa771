# <project_id>/<client_id>, or <client_id> in the provider's project_id
terraform import ory_oauth2_client.web 3fa85f64-5717-4562-b3fc-2c963f66afa6/6c1a2b0e-8f3d-4c5a-9b7e-2d4f6a8c0e1f
