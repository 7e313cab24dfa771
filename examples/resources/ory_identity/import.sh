# <project_id>/<identity_id>, or <identity_id> in the provider's project_id
terraform import ory_identity.admin 3fa85f64-5717-4562-b3fc-2c963f66afa6/9b2d4f6a-1c3e-4a5b-8d7f-0e2a4c6b8d1f
