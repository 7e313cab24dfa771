# Import by project ID. Arguments left out of the configuration keep the
# project's own values, so the plan after import is empty.
terraform import ory_project.production 3fa85f64-5717-4562-b3fc-2c963f66afa6
