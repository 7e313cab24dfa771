# Import by workspace ID.
terraform import ory_workspace.platform 5c1c4a0e-0000-4000-8000-000000000001
