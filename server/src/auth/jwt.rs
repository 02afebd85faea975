//! JSON Web Tokens, done strictly: HS256 only, every registered claim
//! required and checked, a small explicit leeway, a token-kind claim so one
//! kind can never stand in for another, and a `kid` header so keys rotate
//! (one signing key, several verification keys).

use std::{collections::HashMap, sync::Arc, time::Duration};

use api_types::Role;
use jsonwebtoken::{
    decode, decode_header, encode, errors::ErrorKind, Algorithm, DecodingKey, EncodingKey, Header,
    Validation,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::secret::JwtSecret;

/// The only algorithm accepted.
const ALGORITHM: Algorithm = Algorithm::HS256;
/// Clock skew tolerated between instances, in seconds.
pub const LEEWAY_SECS: u64 = 5;
/// `iss` of every token Tessera issues.
pub const ISSUER: &str = "tessera";
/// `aud` of tokens for Tessera's own API.
pub const AUDIENCE: &str = "tessera-api";
/// Registered claims that must be present.
const REQUIRED_CLAIMS: [&str; 7] = ["exp", "iat", "nbf", "iss", "aud", "sub", "jti"];

/// What a token is for. A token is only accepted where its kind is expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// Authenticates API requests (cookie or `Authorization: Bearer`).
    Access,
    /// Authorises one file download (export results); never an access token.
    Download,
}

/// The claims of a Tessera token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// Issuer.
    pub iss: String,
    /// Audience.
    pub aud: String,
    /// Subject: `user:<id>` or `service:<id>`.
    pub sub: String,
    /// Expiry (Unix seconds).
    pub exp: u64,
    /// Issued at (Unix seconds).
    pub iat: u64,
    /// Not valid before (Unix seconds).
    pub nbf: u64,
    /// Unique token id.
    pub jti: String,
    /// Token kind.
    pub typ: TokenKind,
    /// The principal's role when the token was issued.
    pub role: Role,
    /// The principal's credentials version when issued; a token older than
    /// the current version (after disable, role change, revoke) is refused.
    pub ver: i64,
    /// For browser sessions: a hash of the session id, so logout revokes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
}

/// What a new token says about its holder.
#[derive(Debug, Clone)]
pub struct TokenSubject {
    /// `user:<id>` or `service:<id>`.
    pub sub: String,
    /// Role.
    pub role: Role,
    /// Credentials version.
    pub ver: i64,
    /// Session hash, for browser tokens.
    pub sid: Option<String>,
}

/// Why a token was refused. Deliberately coarse: clients learn only whether
/// refreshing could help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Past its expiry (beyond the leeway).
    #[error("token expired")]
    Expired,
    /// Anything else: bad signature, unknown key, wrong algorithm, claims
    /// missing or wrong, wrong kind, malformed.
    #[error("invalid token")]
    Invalid,
}

/// The key ring: signs with the current key, verifies with any known key.
pub struct JwtKeys {
    signing_kid: String,
    signing: EncodingKey,
    verifying: HashMap<String, DecodingKey>,
    /// The checks every token passes, built once (they allocate).
    validation: Validation,
    /// Tokens that passed every check, with their claims: a client sends
    /// the same token with every request, and checking it again (base64,
    /// HMAC, JSON) was about 6 % of a cached answer's CPU. Only expiry can
    /// change a verified token's verdict, so a hit checks that again;
    /// revocation is checked after verification, on every request.
    verified: moka::sync::Cache<Arc<str>, Arc<Claims>>,
}

/// Most verified tokens kept (a few hundred bytes each).
const VERIFIED_CAPACITY: u64 = 20_000;
/// How long a verified token is kept.
const VERIFIED_FOR: Duration = Duration::from_secs(60);

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtKeys")
            .field("signing_kid", &self.signing_kid)
            .field("verifying_kids", &self.verifying.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// A key id derived from the secret: stable across instances that share the
/// secret, and reveals nothing about it.
fn key_id(secret: &JwtSecret) -> String {
    let digest = Sha256::digest(secret.expose());
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

impl JwtKeys {
    /// Signs with `current`; also accepts tokens signed with `previous` keys
    /// (rotation: move the old secret to the previous list, then drop it
    /// once every token it signed has expired).
    pub fn new(current: &JwtSecret, previous: &[JwtSecret]) -> Self {
        let signing_kid = key_id(current);
        let mut verifying = HashMap::new();
        for secret in std::iter::once(current).chain(previous) {
            verifying.insert(key_id(secret), DecodingKey::from_secret(secret.expose()));
        }
        let mut validation = Validation::new(ALGORITHM);
        validation.leeway = LEEWAY_SECS;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.set_required_spec_claims(&REQUIRED_CLAIMS);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        Self {
            signing_kid,
            signing: EncodingKey::from_secret(current.expose()),
            verifying,
            validation,
            verified: moka::sync::Cache::builder()
                .max_capacity(VERIFIED_CAPACITY)
                .time_to_live(VERIFIED_FOR)
                .build(),
        }
    }

    /// Issues a token of `kind` for `subject`, valid for `ttl_secs` from `now`.
    pub fn issue(
        &self,
        kind: TokenKind,
        subject: &TokenSubject,
        now: u64,
        ttl_secs: u64,
    ) -> (String, Claims) {
        let claims = Claims {
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            sub: subject.sub.clone(),
            exp: now + ttl_secs,
            iat: now,
            nbf: now,
            jti: uuid::Uuid::new_v4().to_string(),
            typ: kind,
            role: subject.role,
            ver: subject.ver,
            sid: subject.sid.clone(),
        };
        let mut header = Header::new(ALGORITHM);
        header.kid = Some(self.signing_kid.clone());
        // HMAC signing of a serialisable struct cannot fail.
        let token = encode(&header, &claims, &self.signing).unwrap_or_default();
        (token, claims)
    }

    /// Verifies signature, algorithm, key id, every required claim and the
    /// kind, and refuses tokens issued in the future.
    pub fn verify(&self, token: &str, kind: TokenKind) -> Result<Claims, TokenError> {
        let claims = match self.verified.get(token) {
            Some(kept) if kept.exp + LEEWAY_SECS < now() => {
                self.verified.invalidate(token);
                return Err(TokenError::Expired);
            }
            Some(kept) => kept,
            None => {
                let checked = Arc::new(self.check(token)?);
                self.verified.insert(token.into(), Arc::clone(&checked));
                checked
            }
        };
        if claims.typ != kind {
            return Err(TokenError::Invalid);
        }
        Ok(Claims::clone(&claims))
    }

    /// Every check but the kind.
    fn check(&self, token: &str) -> Result<Claims, TokenError> {
        let header = decode_header(token).map_err(|_| TokenError::Invalid)?;
        if header.alg != ALGORITHM {
            return Err(TokenError::Invalid);
        }
        let key = header
            .kid
            .as_deref()
            .and_then(|kid| self.verifying.get(kid))
            .ok_or(TokenError::Invalid)?;
        let claims = decode::<Claims>(token, key, &self.validation)
            .map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => TokenError::Expired,
                _ => TokenError::Invalid,
            })?
            .claims;
        if claims.iat > now() + LEEWAY_SECS {
            return Err(TokenError::Invalid);
        }
        Ok(claims)
    }
}

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    jsonwebtoken::get_current_timestamp()
}

#[cfg(test)]
#[path = "jwt_tests.rs"]
mod tests;
