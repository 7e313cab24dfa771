//! AutoMTLS as go-plugin does it: a fresh self-signed server certificate per
//! process, and a client that must present exactly the certificate Terraform
//! put in `PLUGIN_CLIENT_CERT`.
//!
//! Terraform's client certificate is ECDSA P-521 with CA:TRUE. webpki refuses
//! a CA certificate as a client leaf, and *ring* cannot verify P-521, so the
//! client is pinned by its DER bytes and signatures are checked with aws-lc-rs.

use std::sync::Arc;

use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{CertificateError, DigitallySignedStruct, DistinguishedName, SignatureScheme};

/// A server certificate and its key, made for one process.
pub struct ServerIdentity {
    /// The certificate, DER-encoded, as the handshake line sends it to Terraform.
    pub cert_der: Vec<u8>,
    key_der: Vec<u8>,
}

impl ServerIdentity {
    /// A P-256 certificate for `localhost`, following go-plugin's template.
    pub fn generate() -> anyhow::Result<ServerIdentity> {
        use rcgen::{
            BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose,
        };
        let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)?;
        let mut params = CertificateParams::new(vec!["localhost".to_string()])?;
        params.distinguished_name.push(DnType::CommonName, "localhost");
        params.distinguished_name.push(DnType::OrganizationName, "Terraform plugin");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyEncipherment,
            KeyUsagePurpose::KeyAgreement,
            KeyUsagePurpose::KeyCertSign,
        ];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth, ExtendedKeyUsagePurpose::ClientAuth];
        let now = std::time::SystemTime::now();
        params.not_before = (now - std::time::Duration::from_secs(30)).into();
        params.not_after = (now + std::time::Duration::from_secs(262_980 * 3600)).into();
        let cert = params.self_signed(&key)?;
        Ok(ServerIdentity { cert_der: cert.der().to_vec(), key_der: key.serialize_der() })
    }

    /// The certificate as go-plugin's handshake wants it: unpadded standard base64.
    pub fn handshake_field(&self) -> String {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD_NO_PAD.encode(&self.cert_der)
    }
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

/// Accepts only the client certificate Terraform announced.
#[derive(Debug)]
struct PinnedClient {
    expected: Vec<u8>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ClientCertVerifier for PinnedClient {
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.expected.as_slice() {
            Ok(ClientCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(CertificateError::ApplicationVerificationFailure))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// The first certificate in a PEM text, as DER.
pub fn pem_to_der(pem: &str) -> anyhow::Result<Vec<u8>> {
    let mut reader = pem.as_bytes();
    let first = rustls_pemfile::certs(&mut reader).next();
    match first {
        Some(Ok(cert)) => Ok(cert.to_vec()),
        Some(Err(e)) => Err(anyhow::anyhow!("PLUGIN_CLIENT_CERT is not valid PEM: {e}")),
        None => Err(anyhow::anyhow!("PLUGIN_CLIENT_CERT holds no certificate")),
    }
}

/// A TLS server configuration that requires the client to present `client_pem`.
pub fn server_config(identity: &ServerIdentity, client_pem: &str) -> anyhow::Result<rustls::ServerConfig> {
    let provider = provider();
    let verifier =
        PinnedClient { expected: pem_to_der(client_pem)?, algorithms: provider.signature_verification_algorithms };
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(identity.key_der.clone()));
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])?
        .with_client_cert_verifier(Arc::new(verifier))
        .with_single_cert(vec![CertificateDer::from(identity.cert_der.clone())], key)?;
    // grpc-go (Terraform 1.12 and later) refuses peers that do not negotiate ALPN h2.
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(config)
}
