//! The secret values configuration holds: the JWT signing key and the
//! demo accounts' password. Never `Serialize`, never printed: `Debug` shows
//! only that a value is there. Generating and using them is `auth`'s work.

use secrecy::{ExposeSecret, SecretSlice, SecretString};

/// Shortest accepted JWT signing secret, in bytes.
pub const MIN_JWT_SECRET_LEN: usize = 32;

/// The HMAC key that signs and verifies JWTs.
#[derive(Clone)]
pub struct JwtSecret(SecretSlice<u8>);

impl JwtSecret {
    /// Accepts a secret of at least [`MIN_JWT_SECRET_LEN`] bytes.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.len() < MIN_JWT_SECRET_LEN {
            return Err(format!(
                "must be at least {MIN_JWT_SECRET_LEN} bytes long (got {}); generate one with `openssl rand -base64 48`",
                raw.len()
            ));
        }
        Ok(Self(SecretSlice::from(raw.as_bytes().to_vec())))
    }

    /// Wraps a freshly generated random secret (see
    /// `auth::secret::generate_jwt_secret`), whatever its length.
    pub fn from_generated(random: String) -> Self {
        Self(SecretSlice::from(random.into_bytes()))
    }

    /// The key bytes, for the JWT library and for saving a generated secret.
    pub fn expose(&self) -> &[u8] {
        self.0.expose_secret()
    }
}

impl std::fmt::Debug for JwtSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JwtSecret([redacted])")
    }
}

/// Shortest accepted password.
pub const MIN_LEN: usize = 12;
/// Longest accepted password (hashing cost is bounded by input size).
pub const MAX_LEN: usize = 1024;

/// A password as typed. Never logged, never serialised.
pub struct Password(SecretString);

impl Password {
    /// Accepts passwords of [`MIN_LEN`] to [`MAX_LEN`] characters.
    pub fn parse(raw: String) -> Result<Self, String> {
        let len = raw.chars().count();
        if len < MIN_LEN {
            return Err(format!("must be at least {MIN_LEN} characters"));
        }
        if len > MAX_LEN {
            return Err(format!("must be at most {MAX_LEN} characters"));
        }
        Ok(Self(SecretString::from(raw)))
    }

    /// A password as submitted at login: any length up to [`MAX_LEN`] (a
    /// short one simply fails verification).
    pub fn submitted(raw: String) -> Self {
        let raw = if raw.len() > 4 * MAX_LEN {
            String::new()
        } else {
            raw
        };
        Self(SecretString::from(raw))
    }

    /// Wraps a generated random password (for the demo accounts).
    pub fn generated(random: String) -> Self {
        Self(SecretString::from(random))
    }

    /// The password's text, for the hasher only.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password([redacted])")
    }
}
