//! The RPCs that act on a managed resource: validate, upgrade, read, plan,
//! apply, import and move, each decoding against the type's schema and
//! holding the protocol's rules (null plans for destroys, state kept on a
//! failed read, write-only values never returned).

use super::*;

impl<P: Provider> Inner<P> {
    pub(super) async fn validate_resource_config(
        &self,
        req: pb::validate_resource_config::Request,
    ) -> pb::validate_resource_config::Response {
        let inner = self;
        let r = try_diag!(inner.resource(&req.type_name));
        let config = try_diag!(decode(req.config.as_ref(), r.ty(), r.schema()));
        let allowed = req.client_capabilities.is_some_and(|c| c.write_only_attributes_allowed);
        let mut diags = write_only_refused(r.schema(), &config, allowed);
        diags.0.extend(r.imp.validate(&config).0);
        failed(diags)
    }

    pub(super) async fn upgrade_resource_state(
        &self,
        req: pb::upgrade_resource_state::Request,
    ) -> pb::upgrade_resource_state::Response {
        let inner = self;
        let r = try_diag!(inner.resource(&req.type_name));
        let raw = req.raw_state.unwrap_or_default();
        if raw.json.is_empty() {
            return failed(Diagnostic::error(
                "Unsupported state format",
                "This state was written by Terraform before 0.12 (flatmap); upgrade it with an older provider first.",
            ));
        }
        let json: serde_json::Value = try_diag!(serde_json::from_slice(&raw.json)
            .map_err(|e| Diagnostic::error("Unreadable state", format!("Stored state is not valid JSON: {e}"))));
        let mut diags = Diagnostics::new();
        let upgraded = r.imp.upgrade_state(req.version, &json, &mut diags);
        pb::upgrade_resource_state::Response {
            upgraded_state: encode(&forget_write_only(r.schema(), upgraded), r.ty(), r.schema()),
            diagnostics: diags.to_proto(),
        }
    }

    pub(super) async fn read_resource(&self, req: pb::read_resource::Request) -> pb::read_resource::Response {
        let inner = self;
        let (r, client) = try_diag!(inner.resource_with_client(&req.type_name));
        let current = try_diag!(decode(req.current_state.as_ref(), r.ty(), r.schema()));
        let mut diags = Diagnostics::new();
        let mut new_state = r.imp.read(&client, &current, &mut diags).await;
        // A failed read must never make Terraform forget the object.
        if diags.has_errors() {
            new_state = current;
        }
        pb::read_resource::Response {
            new_state: encode(&forget_write_only(r.schema(), new_state), r.ty(), r.schema()),
            diagnostics: diags.to_proto(),
            private: req.private,
            ..Default::default()
        }
    }

    pub(super) async fn plan_resource_change(
        &self,
        req: pb::plan_resource_change::Request,
    ) -> pb::plan_resource_change::Response {
        let inner = self;
        let (r, client) = try_diag!(inner.resource_with_client(&req.type_name));
        let prior = try_diag!(decode(req.prior_state.as_ref(), r.ty(), r.schema()));
        let config = try_diag!(decode(req.config.as_ref(), r.ty(), r.schema()));
        let proposed = try_diag!(decode(req.proposed_new_state.as_ref(), r.ty(), r.schema()));
        if prior.is_null() && config.is_null() {
            return pb::plan_resource_change::Response {
                planned_state: encode(&Value::Null, r.ty(), r.schema()),
                ..Default::default()
            };
        }
        let mut diags = Diagnostics::new();
        let planned = r
            .imp
            .plan(
                &client,
                PlanRequest { prior: &prior, config: &config, proposed: &proposed, prior_private: &req.prior_private },
                &mut diags,
            )
            .await;
        // A destroy plans null, whatever the resource answered.
        let state = if config.is_null() { Value::Null } else { forget_write_only(r.schema(), planned.state) };
        pb::plan_resource_change::Response {
            planned_state: encode(&state, r.ty(), r.schema()),
            requires_replace: if prior.is_null() {
                Vec::new()
            } else {
                planned.requires_replace.iter().map(|p| p.to_proto()).collect()
            },
            planned_private: planned.private.unwrap_or(req.prior_private),
            diagnostics: diags.to_proto(),
            ..Default::default()
        }
    }

    pub(super) async fn apply_resource_change(
        &self,
        req: pb::apply_resource_change::Request,
    ) -> pb::apply_resource_change::Response {
        let inner = self;
        let (r, client) = try_diag!(inner.resource_with_client(&req.type_name));
        let prior = try_diag!(decode(req.prior_state.as_ref(), r.ty(), r.schema()));
        let planned = try_diag!(decode(req.planned_state.as_ref(), r.ty(), r.schema()));
        let config = try_diag!(decode(req.config.as_ref(), r.ty(), r.schema()));
        let mut diags = Diagnostics::new();
        let new_state = if planned.is_null() {
            r.imp.delete(&client, &prior, &mut diags).await;
            // A failed delete leaves the object, so it stays in state.
            if diags.has_errors() {
                prior
            } else {
                Value::Null
            }
        } else if prior.is_null() {
            r.imp.create(&client, &planned, &config, &mut diags).await
        } else {
            r.imp.update(&client, &prior, &planned, &config, &mut diags).await
        };
        pb::apply_resource_change::Response {
            new_state: encode(&forget_write_only(r.schema(), new_state), r.ty(), r.schema()),
            private: req.planned_private,
            diagnostics: diags.to_proto(),
            ..Default::default()
        }
    }

    pub(super) async fn import_resource_state(
        &self,
        req: pb::import_resource_state::Request,
    ) -> pb::import_resource_state::Response {
        let inner = self;
        let (r, client) = try_diag!(inner.resource_with_client(&req.type_name));
        let mut diags = Diagnostics::new();
        let state = r.imp.import(&client, &req.id, &mut diags).await;
        let imported_resources = if diags.has_errors() {
            Vec::new()
        } else {
            vec![pb::import_resource_state::ImportedResource {
                type_name: req.type_name.clone(),
                state: encode(&forget_write_only(r.schema(), state), r.ty(), r.schema()),
                ..Default::default()
            }]
        };
        pb::import_resource_state::Response { imported_resources, diagnostics: diags.to_proto(), ..Default::default() }
    }

    pub(super) async fn move_resource_state(
        &self,
        req: pb::move_resource_state::Request,
    ) -> pb::move_resource_state::Response {
        let inner = self;
        let r = try_diag!(inner.resource(&req.target_type_name));
        let raw = req.source_state.unwrap_or_default();
        let json: serde_json::Value = try_diag!(serde_json::from_slice(&raw.json)
            .map_err(|e| Diagnostic::error("Unreadable state", format!("The moved state is not valid JSON: {e}"))));
        let mut diags = Diagnostics::new();
        let state = r.imp.move_state(
            MoveRequest {
                source_provider_address: &req.source_provider_address,
                source_type_name: &req.source_type_name,
                source_schema_version: req.source_schema_version,
                source_state: &json,
            },
            &mut diags,
        );
        pb::move_resource_state::Response {
            target_state: encode(&state, r.ty(), r.schema()),
            target_private: req.source_private,
            diagnostics: diags.to_proto(),
            ..Default::default()
        }
    }
}
