# <project_id>/<set_id>, or <set_id> alone for the provider's own project (project_api_key)
terraform import ory_json_web_key_set.signing 3fa85f64-5717-4562-b3fc-2c963f66afa6/token-signing
