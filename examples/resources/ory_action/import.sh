# <project_id>:<flow>:before:<method>:<url>, or
# <project_id>:<flow>:after:<auth_method>:<method>:<url>, with an empty
# (or _, as Ory's provider writes it) <auth_method> for the flow's own after-hooks.
# The URL may contain colons.
terraform import ory_action.segment_identify '3fa85f64-5717-4562-b3fc-2c963f66afa6:login:after::POST:https://api.segment.io/v1/identify'
