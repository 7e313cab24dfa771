# <project_id>/<trust_id>, or <trust_id> in the provider's project_id
terraform import ory_trusted_oauth2_jwt_grant_issuer.ci 3fa85f64-5717-4562-b3fc-2c963f66afa6/9edc811f-4e28-453c-9b46-4de65f00217f
