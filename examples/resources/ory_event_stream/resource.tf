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
