data "ory_event_streams" "app" {
  project_id = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
}

output "paused_streams" {
  value = [for s in data.ory_event_streams.app.event_streams : s.id if s.status == "paused"]
}
