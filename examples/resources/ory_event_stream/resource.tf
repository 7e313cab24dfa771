resource "ory_project" "app" {
  name = "customer-identity"
}

# Events to AWS SNS. Ory assumes the role to publish; its trust policy must
# allow Ory's AWS principal with the project ID as external ID.
resource "ory_event_stream" "audit" {
  project_id = ory_project.app.id
  type       = "sns"
  topic_arn  = "arn:aws:sns:us-east-1:123456789012:ory-events"
  role_arn   = "arn:aws:iam::123456789012:role/ory-event-streamer"
}

variable "webhook_url" {
  type      = string
  sensitive = true # may carry basic-auth credentials
}

# Events POSTed to an HTTPS endpoint, paused for now.
resource "ory_event_stream" "webhook" {
  project_id     = ory_project.app.id
  type           = "https"
  https_endpoint = var.webhook_url
  status         = "paused"
}

variable "events_token" {
  type      = string
  sensitive = true
}

# Events POSTed with `Authorization: Bearer <token>`. For an API key in a
# header of your own, use https_auth_type = "api_key" with
# https_auth_header_name. On Terraform 1.11+, the write-only form of the
# secret keeps the token out of the state.
resource "ory_event_stream" "authenticated" {
  project_id        = ory_project.app.id
  type              = "https"
  https_endpoint    = "https://events.example.com/ory"
  https_auth_type   = "bearer"
  https_auth_secret = var.events_token
}
