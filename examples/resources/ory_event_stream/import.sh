# Import as <project_id>/<event_stream_id>. The API redacts an endpoint's
# password, so the configured endpoint is kept as long as only the password differs.
terraform import ory_event_stream.audit 3fa85f64-5717-4562-b3fc-2c963f66afa6/0b5e3b62-0000-4000-8000-000000000002
