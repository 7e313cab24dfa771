# <project_id>/<schema_id>, or <schema_id> alone in the provider's project_id
terraform import ory_identity_schema.customer 3fa85f64-5717-4562-b3fc-2c963f66afa6/customer_v1
