# Import as <project_id>/<member_id>, then `terraform destroy -target=ory_project_member.former_contractor`
# (or remove the block together with a `removed` block) to take the member out of the project.
terraform import ory_project_member.former_contractor 3fa85f64-5717-4562-b3fc-2c963f66afa6/0b5e3b62-0000-4000-8000-000000000002
