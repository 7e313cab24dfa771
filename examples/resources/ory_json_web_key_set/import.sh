# <project_id>/<set_id>/<key_id>, or <project_id>/<set_id> for a set of one key;
# without <project_id>/, in the provider's own project (project_api_key)
terraform import ory_json_web_key_set.signing 3fa85f64-5717-4562-b3fc-2c963f66afa6/token-signing/signing-1
