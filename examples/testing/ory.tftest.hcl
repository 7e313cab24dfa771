# `terraform test` (Terraform 1.6 or later) against the local emulator:
# start it, then export ORY_CONSOLE_API_URL and ORY_WORKSPACE_API_KEY from
# its startup line (docs/emulator.md). Each run applies for real against
# the emulator, and terraform test destroys everything at the end.

variables {
  name           = "checkout"
  audit_endpoint = "https://audit.example.com/ory"
}

run "makes_a_dev_project_with_a_key_and_an_active_stream" {
  assert {
    condition     = output.environment == "dev"
    error_message = "the project is not in the dev environment"
  }

  assert {
    condition     = output.backend_key_name == "checkout-backend"
    error_message = "the backend key is not named after the project"
  }

  assert {
    condition     = startswith(nonsensitive(output.backend_key), "ory_pat_")
    error_message = "the backend key's value is not a project API key"
  }

  assert {
    condition     = output.audit_status == "active"
    error_message = "the audit stream is not active"
  }
}

run "pauses_the_stream_in_place" {
  variables {
    audit_paused = true
    # The first run's project, through a variable: OpenTofu 1.11 takes a
    # run's outputs here but not inside an assertion; Terraform takes both.
    first_project_id = run.makes_a_dev_project_with_a_key_and_an_active_stream.project_id
  }

  assert {
    condition     = output.audit_status == "paused"
    error_message = "the audit stream is not paused"
  }

  assert {
    condition     = output.project_id == var.first_project_id
    error_message = "pausing the stream replaced the project"
  }
}

run "refuses_a_name_too_long" {
  command = plan

  variables {
    name = "a-project-name-that-is-far-too-long-for-this-module-to-accept-it"
  }

  expect_failures = [var.name]
}
