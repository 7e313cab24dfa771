# Import as <project_id>/<key_id>, or <key_id> alone in the provider's project_id. The API shows a key's value only at
# creation, so an imported key's `value` is null.
terraform import ory_project_api_key.backend 3fa85f64-5717-4562-b3fc-2c963f66afa6/0b5e3b62-0000-4000-8000-000000000002
