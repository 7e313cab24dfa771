# <project_id>/<template_type>/<variant>, or <template_type>_<variant> alone in the
# provider's project_id (as Ory's provider imports it: recovery_code_valid)
terraform import ory_email_template.recovery_code 3fa85f64-5717-4562-b3fc-2c963f66afa6/recovery_code/valid
