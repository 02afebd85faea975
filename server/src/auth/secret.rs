//! Secrets: key material and random credentials. Never `Serialize`, never
//! printed: `Debug` shows only that a value is there.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use secrecy::{ExposeSecret, SecretSlice};

pub use crate::config::secrets::{JwtSecret, MIN_JWT_SECRET_LEN};

/// A fresh random JWT signing secret (48 random bytes, base64url).
pub fn generate_jwt_secret() -> JwtSecret {
    JwtSecret::from_generated(random_token(48))
}

/// `bytes` random bytes from the OS, base64url without padding.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    OsRng.fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_secrets_are_refused() {
        assert!(JwtSecret::parse("too-short").is_err());
        assert!(JwtSecret::parse(&"x".repeat(32)).is_ok());
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let secret = JwtSecret::parse(&"s3cr3t".repeat(8)).expect("valid");
        assert!(!format!("{secret:?}").contains("s3cr3t"));
    }

    #[test]
    fn generated_secrets_are_long_and_distinct() {
        let (a, b) = (generate_jwt_secret(), generate_jwt_secret());
        assert!(a.expose().len() >= MIN_JWT_SECRET_LEN);
        assert_ne!(a.expose(), b.expose());
        assert_eq!(random_token(32).len(), 43);
    }
}

/// Freshly minted service-account credentials. The secret is shown once and
/// only its hash is stored.
pub struct ServiceCredentials {
    /// Public identifier, `svc_…`.
    pub client_id: String,
    /// The secret (256 random bits, base64url).
    pub secret: SecretSlice<u8>,
}

impl ServiceCredentials {
    /// New random credentials.
    pub fn generate() -> Self {
        Self {
            client_id: format!("svc_{}", random_token(12)),
            secret: SecretSlice::from(random_token(32).into_bytes()),
        }
    }

    /// The secret as text, to show once.
    pub fn secret_text(&self) -> &str {
        std::str::from_utf8(self.secret.expose_secret()).unwrap_or_default()
    }
}

impl std::fmt::Debug for ServiceCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceCredentials")
            .field("client_id", &self.client_id)
            .field("secret", &"[redacted]")
            .finish()
    }
}

/// SHA-256 (hex) of a service secret. A fast hash is right here: the secret
/// is 256 random bits, not a human-chosen password.
pub fn hash_service_secret(secret: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(secret)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether `secret` hashes to `stored`, compared in constant time.
pub fn verify_service_secret(secret: &[u8], stored: &str) -> bool {
    use subtle::ConstantTimeEq;
    hash_service_secret(secret)
        .as_bytes()
        .ct_eq(stored.as_bytes())
        .into()
}

#[cfg(test)]
mod service_tests {
    use super::*;

    #[test]
    fn service_secrets_verify_against_their_hash_only() {
        let creds = ServiceCredentials::generate();
        assert!(creds.client_id.starts_with("svc_"));
        let stored = hash_service_secret(creds.secret_text().as_bytes());
        assert_eq!(stored.len(), 64);
        assert!(verify_service_secret(
            creds.secret_text().as_bytes(),
            &stored
        ));
        assert!(!verify_service_secret(b"guess", &stored));
        assert!(!format!("{creds:?}").contains(creds.secret_text()));
    }
}
