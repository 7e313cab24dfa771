# <project_id>/<namespace>:<object>#<relation>@<subject>, or the tuple alone
# in the provider's project_id; a subject set is <namespace>:<object>#<relation>
terraform import ory_relationship.alice_owns_readme '3fa85f64-5717-4562-b3fc-2c963f66afa6/Document:readme#owners@alice'
terraform import ory_relationship.engineers_view_readme '3fa85f64-5717-4562-b3fc-2c963f66afa6/Document:readme#viewers@Group:engineering#members'
