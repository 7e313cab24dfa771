# Import as <project_id>/<organization_id>/<link_id>.
terraform import ory_organization_onboarding_portal_link.acme 3fa85f64-5717-4562-b3fc-2c963f66afa6/0b5e3b62-0000-4000-8000-000000000002/7c9e6679-7425-40de-944b-e07fc1f90ae7
