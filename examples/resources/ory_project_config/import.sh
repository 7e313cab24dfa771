# Import by project ID. Nothing is managed until the configuration names
# keys: the first plan after an import shows them being taken over, and the
# apply sends only the keys whose value differs.
terraform import ory_project_config.app 3fa85f64-5717-4562-b3fc-2c963f66afa6
