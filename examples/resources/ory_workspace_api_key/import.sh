# Import as <workspace_id>/<key_id>. The imported key's `value` is null.
terraform import ory_workspace_api_key.ci 5c1c4a0e-0000-4000-8000-000000000001/0b5e3b62-0000-4000-8000-000000000002
