#!/usr/bin/env python3
"""`make sdk-check`: Ory's own generated SDK (`ory-client` on PyPI, a newer
API than the spec file) drives the emulator's project API: OAuth2 clients,
identities, JSON Web Key sets, trusted JWT issuers, relationships and
dynamically registered clients, made, listed, read, changed, refused and
deleted, each answer decoded by the SDK's models. Run by `make sdk-check`, which installs
the SDK into .tools/sdk; not part of `make test`, which needs no download."""

import json
import os
import subprocess
import sys
import types
import urllib.request

import ory_client
import sdk_console
from ory_client.api import identity_api, jwk_api, o_auth2_api, oidc_api, permission_api, relationship_api
from ory_client.exceptions import ApiException
from ory_client.models import (
    BatchCheckPermissionBody,
    Relationship,
    CreateIdentityBody,
    CreateJsonWebKeySet,
    CreateRelationshipBody,
    IdentityWithCredentials,
    IdentityWithCredentialsPassword,
    IdentityWithCredentialsPasswordConfig,
    OAuth2Client,
    SubjectSet,
    TrustOAuth2JwtGrantIssuer,
    UpdateIdentityBody,
)

# Fields the emulator answers beyond the SDK's models, each explained in
# docs/emulator.md ("Beyond Ory's SDK"): a project's `scim_clients` and an
# organization's `updated_at`.
DOCUMENTED_EXTRAS = {"scim_clients", "updated_at"}

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EMULATOR = os.environ.get("EMULATOR") or os.path.join(ROOT, "target/debug/ory-console-emulator")


def refused(call, status):
    """The error body of a call that must fail with `status`."""
    try:
        call()
    except ApiException as e:
        assert e.status == status, f"{e.status}, expected {status}: {e.body}"
        return json.loads(e.body)
    raise AssertionError(f"expected {status}, the call succeeded")


def main():
    emulator = subprocess.Popen([EMULATOR, "--listen", "127.0.0.1:0"], stdout=subprocess.PIPE, text=True)
    try:
        start = json.loads(emulator.stdout.readline())
        check(start)
        extra = sdk_console.check(start)
    finally:
        emulator.kill()
    print(f"ory-client {ory_client.__version__}: every project API call the emulator serves decodes")
    print("every console answer decodes; fields the SDK's models do not declare:")
    for call, fields in extra.items():
        print(f"  {call}: {', '.join(fields)}")
    unlisted = [f for fields in extra.values() for f in fields if f.rsplit(".", 1)[1] not in DOCUMENTED_EXTRAS]
    if unlisted:
        print("NOT in docs/emulator.md: " + ", ".join(unlisted))
        return 1
    return 0


def check(start):
    # The console's operations name their own host in the SDK, so the
    # project and its key are made directly.
    def console(path, body):
        request = urllib.request.Request(
            start["url"] + path,
            method="POST",
            data=json.dumps(body).encode(),
            headers={"Authorization": "Bearer " + start["workspace_api_key"], "Content-Type": "application/json"},
        )
        return types.SimpleNamespace(**json.load(urllib.request.urlopen(request)))

    project = console("/projects", {"name": "sdk", "environment": "dev"})
    key = console(f"/projects/{project.id}/tokens", {"name": "sdk"}).value
    host = start["project_api_url"].replace("{slug}", project.slug)

    with ory_client.ApiClient(ory_client.Configuration(host=host, access_token=key)) as api:
        oauth = o_auth2_api.OAuth2Api(api)
        web = oauth.create_o_auth2_client(
            OAuth2Client(client_name="web", grant_types=["authorization_code"], redirect_uris=["https://a.example/cb"])
        )
        assert web.client_secret, "the secret is shown at creation"
        for i in range(3):
            oauth.create_o_auth2_client(OAuth2Client(client_name=f"m{i}", grant_types=["client_credentials"]))
        page = oauth.list_o_auth2_clients_with_http_info(page_size=2)
        assert len(page.data) == 2 and 'rel="next"' in page.headers["link"], page.headers
        read = oauth.get_o_auth2_client(web.client_id)
        assert read.client_secret is None, "a read never shows the secret"
        read.client_name = "web 2"
        assert oauth.set_o_auth2_client(web.client_id, read).client_name == "web 2"
        bad = refused(lambda: oauth.create_o_auth2_client(OAuth2Client(redirect_uris=["/relative"])), 400)
        assert bad["error"] == "invalid_redirect_uri", bad
        oauth.delete_o_auth2_client(web.client_id)
        refused(lambda: oauth.delete_o_auth2_client(web.client_id), 404)

        people = identity_api.IdentityApi(api)
        password = IdentityWithCredentialsPassword(config=IdentityWithCredentialsPasswordConfig(password="a long secret"))
        person = people.create_identity(
            CreateIdentityBody(
                schema_id="preset://email",
                traits={"email": "a@example.com"},
                credentials=IdentityWithCredentials(password=password),
            )
        )
        pid = str(person.id)
        assert [a.value for a in person.verifiable_addresses] == ["a@example.com"]
        assert len(people.list_identities(page_size=10)) == 1
        assert people.get_identity(pid).traits == {"email": "a@example.com"}
        changed = people.update_identity(
            pid, UpdateIdentityBody(schema_id="preset://email", traits={"email": "b@example.com"}, state="inactive")
        )
        assert changed.state == "inactive"
        taken = CreateIdentityBody(schema_id="preset://email", traits={"email": "b@example.com"})
        refused(lambda: people.create_identity(taken), 409)
        wrong = CreateIdentityBody(schema_id="preset://email", traits={"mail": "x"})
        assert "identity schema" in refused(lambda: people.create_identity(wrong), 400)["error"]["reason"]
        people.delete_identity(pid)
        refused(lambda: people.get_identity(pid), 404)

        keys = jwk_api.JwkApi(api)
        made = keys.create_json_web_key_set("signing", CreateJsonWebKeySet(alg="ES256", kid="k1", use="sig"))
        assert [k.kid for k in made.keys] == ["k1"], made
        assert keys.get_json_web_key("signing", "k1").keys[0].crv == "P-256"
        refused(lambda: keys.create_json_web_key_set("signing", CreateJsonWebKeySet(alg="RS512", kid="k2", use="sig")), 400)
        public = made.keys[0].to_dict()
        public.pop("d", None)
        trust = oauth.trust_o_auth2_jwt_grant_issuer(
            TrustOAuth2JwtGrantIssuer(issuer="https://idp.example.com", subject="bot", scope=["openid"],
                                      jwk=public, expires_at="2099-01-01T00:00:00Z")
        )
        assert [t.id for t in oauth.list_trusted_o_auth2_jwt_grant_issuers()] == [trust.id]
        oauth.delete_trusted_o_auth2_jwt_grant_issuer(trust.id)
        keys.delete_json_web_key_set("signing")

        # The project's namespaces: a new project has the legacy "default".
        tuples = relationship_api.RelationshipApi(api)
        assert [n.name for n in tuples.list_relationship_namespaces().namespaces] == ["default"]
        for i in range(3):
            tuples.create_relationship(
                create_relationship_body=CreateRelationshipBody(namespace="default", object=f"doc-{i}", relation="viewers", subject_id="alice")
            )
        tuples.create_relationship(create_relationship_body=CreateRelationshipBody(
            namespace="default", object="doc-0", relation="editors",
            subject_set=SubjectSet(namespace="default", object="team", relation="members")))
        first = tuples.get_relationships(namespace="default", page_size=2)
        assert len(first.relation_tuples) == 2 and first.next_page_token, first
        rest = tuples.get_relationships(namespace="default", page_size=2, page_token=first.next_page_token)
        assert len(rest.relation_tuples) == 2 and not rest.next_page_token, rest
        bad = CreateRelationshipBody(namespace="nowhere", object="x", relation="r", subject_id="a")
        assert "nowhere" in refused(lambda: tuples.create_relationship(create_relationship_body=bad), 404)["error"]["reason"]
        tuples.delete_relationships(namespace="default", object="doc-0")
        assert len(tuples.get_relationships(namespace="default").relation_tuples) == 2

        # Keto's checks of what the tuples say.
        checks = permission_api.PermissionApi(api)
        yes = checks.check_permission(namespace="default", object="doc-1", relation="viewers", subject_id="alice")
        no = checks.check_permission(namespace="default", object="doc-0", relation="viewers", subject_id="alice")
        assert (yes.allowed, no.allowed) == (True, False), (yes, no)
        refused(lambda: checks.check_permission_or_error(namespace="default", object="doc-0", relation="viewers", subject_id="alice"), 403)
        batch = checks.batch_check_permission(batch_check_permission_body=BatchCheckPermissionBody(tuples=[
            Relationship(namespace="default", object="doc-1", relation="viewers", subject_id="alice"),
            Relationship(namespace="nowhere", object="doc-1", relation="viewers", subject_id="alice"),
        ]))
        assert [r.allowed for r in batch.results] == [True, False] and batch.results[1].error, batch
        refused(lambda: checks.expand_permissions(namespace="nowhere", object="doc-1", relation="viewers"), 404)

    # Dynamic client registration: no key, then the client's own token.
    enable = [{"op": "add", "path": "/services/oauth2/config/oidc", "value": {"dynamic_client_registration": {"enabled": True}}}]
    patch = urllib.request.Request(start["url"] + f"/projects/{project.id}", method="PATCH", data=json.dumps(enable).encode(),
                                   headers={"Authorization": "Bearer " + start["workspace_api_key"], "Content-Type": "application/json"})
    urllib.request.urlopen(patch)
    with ory_client.ApiClient(ory_client.Configuration(host=host)) as api:
        registered = oidc_api.OidcApi(api).create_oidc_dynamic_client(OAuth2Client(client_name="partner"))
        assert registered.client_secret and registered.registration_access_token, "shown at registration"
    with ory_client.ApiClient(ory_client.Configuration(host=host, access_token=registered.registration_access_token)) as api:
        dynamic = oidc_api.OidcApi(api)
        assert dynamic.get_oidc_dynamic_client(registered.client_id).client_name == "partner"
        changed = dynamic.set_oidc_dynamic_client(registered.client_id, OAuth2Client(client_name="partner 2"))
        assert changed.registration_access_token != registered.registration_access_token, "a new token"
        refused(lambda: dynamic.get_oidc_dynamic_client(registered.client_id), 401)
    with ory_client.ApiClient(ory_client.Configuration(host=host, access_token=changed.registration_access_token)) as api:
        oidc_api.OidcApi(api).delete_oidc_dynamic_client(registered.client_id)

    # A workspace key does not open a project's API.
    with ory_client.ApiClient(ory_client.Configuration(host=host, access_token=start["workspace_api_key"])) as api:
        refused(lambda: o_auth2_api.OAuth2Api(api).list_o_auth2_clients(), 401)


if __name__ == "__main__":
    sys.exit(main())
