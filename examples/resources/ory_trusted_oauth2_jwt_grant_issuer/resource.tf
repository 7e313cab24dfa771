resource "ory_project" "app" {
  name = "customer-identity"
}

# Lets the CI system's deploy bot exchange JWTs it signs for access tokens
# (RFC 7523). Ory cannot change a trust: any change replaces it.
resource "ory_trusted_oauth2_jwt_grant_issuer" "ci" {
  project_id = ory_project.app.id
  issuer     = "https://ci.example.com"
  subject    = "deploy-bot"
  scope      = ["deploy"]
  expires_at = "2027-12-31T23:59:59Z"

  # The issuer's public key: never a private part.
  jwk = jsonencode({
    kty = "EC"
    crv = "P-256"
    alg = "ES256"
    use = "sig"
    kid = "ci-2026"
    x   = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"
    y   = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"
  })
}
