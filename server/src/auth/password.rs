//! Password hashing with argon2id (OWASP parameters: 19 MiB, 2 passes, 1 lane).
//! Hashing is CPU-bound, so it runs on the blocking pool. Verifying an unknown
//! account still costs one verification, against a dummy hash, so response
//! times do not reveal which emails exist.

use std::sync::LazyLock;

use argon2::{
    password_hash::{
        rand_core::OsRng, PasswordHash as Phc, PasswordHasher, PasswordVerifier, SaltString,
    },
    Algorithm, Argon2, Params, Version,
};
use secrecy::{ExposeSecret, SecretString};

/// Shortest accepted password.
pub const MIN_LEN: usize = 12;
/// Longest accepted password (hashing cost is bounded by input size).
pub const MAX_LEN: usize = 1024;

fn hasher() -> Argon2<'static> {
    // 19 MiB, t=2, p=1: valid constants, so `new` cannot fail.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

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
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password([redacted])")
    }
}

/// A stored argon2id hash in PHC format.
#[derive(Clone)]
pub struct PasswordHash(SecretString);

impl PasswordHash {
    /// Wraps a hash read from the database.
    pub fn from_stored(phc: String) -> Self {
        Self(SecretString::from(phc))
    }

    /// The PHC string, for storing.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash([redacted])")
    }
}

/// Hashes `password` with a fresh salt, off the async threads.
pub async fn hash(password: Password) -> anyhow::Result<PasswordHash> {
    tokio::task::spawn_blocking(move || hash_blocking(&password)).await?
}

fn hash_blocking(password: &Password) -> anyhow::Result<PasswordHash> {
    let salt = SaltString::generate(&mut OsRng);
    let phc = hasher()
        .hash_password(password.0.expose_secret().as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))?;
    Ok(PasswordHash(SecretString::from(phc.to_string())))
}

/// A hash of a random password with the same parameters, verified against
/// when the account does not exist so that both paths cost the same.
static DUMMY_HASH: LazyLock<PasswordHash> = LazyLock::new(|| {
    let random = Password(SecretString::from(super::secret::random_token(24)));
    hash_blocking(&random).unwrap_or_else(|_| PasswordHash::from_stored(String::new()))
});

/// Whether `password` matches `stored`. With `None` (unknown account) it
/// verifies against a dummy hash and returns false.
pub async fn verify(password: Password, stored: Option<PasswordHash>) -> bool {
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let phc = stored.unwrap_or_else(|| DUMMY_HASH.clone());
        let matches = Phc::new(phc.expose()).is_ok_and(|parsed| {
            hasher()
                .verify_password(password.0.expose_secret().as_bytes(), &parsed)
                .is_ok()
        });
        known && matches
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pw(raw: &str) -> Password {
        Password::parse(raw.to_owned()).expect("valid password")
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let stored = hash(pw("correct horse battery")).await.expect("hash");
        assert!(stored
            .expose()
            .starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify(pw("correct horse battery"), Some(stored.clone())).await);
        assert!(!verify(pw("wrong horse battery"), Some(stored)).await);
    }

    #[tokio::test]
    async fn unknown_accounts_never_verify() {
        assert!(!verify(pw("correct horse battery"), None).await);
    }

    #[test]
    fn length_limits_apply() {
        assert!(Password::parse("short".into()).is_err());
        assert!(Password::parse("x".repeat(MAX_LEN + 1)).is_err());
    }

    #[test]
    fn debug_is_redacted() {
        assert_eq!(
            format!("{:?}", pw("correct horse battery")),
            "Password([redacted])"
        );
        let stored = PasswordHash::from_stored("$argon2id$secret".into());
        assert_eq!(format!("{stored:?}"), "PasswordHash([redacted])");
    }
}
