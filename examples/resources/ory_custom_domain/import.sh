# Import as <project_id>/<custom_domain_id>, or <custom_domain_id> alone in the provider's project_id.
terraform import ory_custom_domain.auth 3fa85f64-5717-4562-b3fc-2c963f66afa6/0b5e3b62-0000-4000-8000-000000000004
