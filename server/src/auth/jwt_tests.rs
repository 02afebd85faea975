//! Every way a token can be wrong is refused.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use serde_json::{json, Value};

use super::*;

fn secret(fill: char) -> JwtSecret {
    JwtSecret::parse(&fill.to_string().repeat(40)).expect("valid secret")
}

fn subject() -> TokenSubject {
    TokenSubject {
        sub: "user:1".into(),
        role: Role::Viewer,
        ver: 3,
        sid: None,
    }
}

/// Signs arbitrary claims with `alg` and `kid`, bypassing `JwtKeys::issue`.
fn forge(claims: &Value, alg: Algorithm, key: &JwtSecret, kid: Option<String>) -> String {
    let mut header = Header::new(alg);
    header.kid = kid;
    encode(&header, claims, &EncodingKey::from_secret(key.expose())).expect("encode")
}

fn good_claims() -> Value {
    let now = now();
    json!({
        "iss": ISSUER, "aud": AUDIENCE, "sub": "user:1", "exp": now + 600, "iat": now,
        "nbf": now, "jti": "j-1", "typ": "access", "role": "viewer", "ver": 3
    })
}

#[test]
fn a_fresh_access_token_verifies() {
    let keys = JwtKeys::new(&secret('a'), &[]);
    let (token, issued) = keys.issue(TokenKind::Access, &subject(), now(), 900);
    let claims = keys.verify(&token, TokenKind::Access).expect("valid");
    assert_eq!(claims, issued);
    assert_eq!(claims.role, Role::Viewer);
    // The forging helper produces tokens the ring accepts, so the negative
    // tests below fail for the reason they name.
    let forged = forge(
        &good_claims(),
        Algorithm::HS256,
        &secret('a'),
        Some(key_id(&secret('a'))),
    );
    assert!(keys.verify(&forged, TokenKind::Access).is_ok());
}

#[test]
fn alg_none_is_refused() {
    let keys = JwtKeys::new(&secret('a'), &[]);
    let header = URL_SAFE_NO_PAD
        .encode(json!({"alg": "none", "typ": "JWT", "kid": key_id(&secret('a'))}).to_string());
    let payload = URL_SAFE_NO_PAD.encode(good_claims().to_string());
    for token in [
        format!("{header}.{payload}."),
        format!("{header}.{payload}"),
    ] {
        assert_eq!(
            keys.verify(&token, TokenKind::Access),
            Err(TokenError::Invalid)
        );
    }
}

#[test]
fn another_algorithm_is_refused() {
    let keys = JwtKeys::new(&secret('a'), &[]);
    let token = forge(
        &good_claims(),
        Algorithm::HS512,
        &secret('a'),
        Some(key_id(&secret('a'))),
    );
    assert_eq!(
        keys.verify(&token, TokenKind::Access),
        Err(TokenError::Invalid)
    );
}

#[test]
fn a_token_signed_with_another_key_is_refused() {
    let keys = JwtKeys::new(&secret('a'), &[]);
    // Claims our key id, signed with a different secret.
    let lying = forge(
        &good_claims(),
        Algorithm::HS256,
        &secret('b'),
        Some(key_id(&secret('a'))),
    );
    assert_eq!(
        keys.verify(&lying, TokenKind::Access),
        Err(TokenError::Invalid)
    );
    // Honest about its (unknown) key id.
    let other = JwtKeys::new(&secret('b'), &[])
        .issue(TokenKind::Access, &subject(), now(), 900)
        .0;
    assert_eq!(
        keys.verify(&other, TokenKind::Access),
        Err(TokenError::Invalid)
    );
    // No key id at all.
    let bare = forge(&good_claims(), Algorithm::HS256, &secret('a'), None);
    assert_eq!(
        keys.verify(&bare, TokenKind::Access),
        Err(TokenError::Invalid)
    );
}

#[test]
fn expiry_is_enforced_beyond_the_leeway_only() {
    let keys = JwtKeys::new(&secret('a'), &[]);
    let long_ago = keys
        .issue(TokenKind::Access, &subject(), now() - 3600, 900)
        .0;
    assert_eq!(
        keys.verify(&long_ago, TokenKind::Access),
        Err(TokenError::Expired)
    );
    // Expired two seconds ago: inside the five-second leeway.
    let just = keys
        .issue(TokenKind::Access, &subject(), now() - 902, 900)
        .0;
    assert!(keys.verify(&just, TokenKind::Access).is_ok());
}

#[test]
fn a_token_not_yet_valid_is_refused() {
    let keys = JwtKeys::new(&secret('a'), &[]);
    let future = keys
        .issue(TokenKind::Access, &subject(), now() + 600, 900)
        .0;
    assert_eq!(
        keys.verify(&future, TokenKind::Access),
        Err(TokenError::Invalid)
    );
    let mut claims = good_claims();
    claims["nbf"] = json!(now() + 600);
    let token = forge(
        &claims,
        Algorithm::HS256,
        &secret('a'),
        Some(key_id(&secret('a'))),
    );
    assert_eq!(
        keys.verify(&token, TokenKind::Access),
        Err(TokenError::Invalid)
    );
}

#[test]
fn wrong_issuer_or_audience_is_refused() {
    let keys = JwtKeys::new(&secret('a'), &[]);
    for (claim, value) in [("iss", "someone-else"), ("aud", "another-api")] {
        let mut claims = good_claims();
        claims[claim] = json!(value);
        let token = forge(
            &claims,
            Algorithm::HS256,
            &secret('a'),
            Some(key_id(&secret('a'))),
        );
        assert_eq!(
            keys.verify(&token, TokenKind::Access),
            Err(TokenError::Invalid),
            "{claim}"
        );
    }
}

#[test]
fn every_required_claim_must_be_present() {
    let keys = JwtKeys::new(&secret('a'), &[]);
    for claim in [
        "exp", "iat", "nbf", "iss", "aud", "sub", "jti", "typ", "role", "ver",
    ] {
        let mut claims = good_claims();
        claims.as_object_mut().expect("object").remove(claim);
        let token = forge(
            &claims,
            Algorithm::HS256,
            &secret('a'),
            Some(key_id(&secret('a'))),
        );
        assert_eq!(
            keys.verify(&token, TokenKind::Access),
            Err(TokenError::Invalid),
            "{claim}"
        );
    }
}

#[test]
fn a_tampered_payload_is_refused() {
    let keys = JwtKeys::new(&secret('a'), &[]);
    let (token, _) = keys.issue(TokenKind::Access, &subject(), now(), 900);
    let parts: Vec<&str> = token.split('.').collect();
    let mut payload: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).expect("b64")).expect("json");
    payload["role"] = json!("admin");
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(payload.to_string()),
        parts[2]
    );
    assert_eq!(
        keys.verify(&tampered, TokenKind::Access),
        Err(TokenError::Invalid)
    );
}

#[test]
fn kinds_cannot_be_swapped() {
    let keys = JwtKeys::new(&secret('a'), &[]);
    let download = keys.issue(TokenKind::Download, &subject(), now(), 900).0;
    assert_eq!(
        keys.verify(&download, TokenKind::Access),
        Err(TokenError::Invalid)
    );
    let access = keys.issue(TokenKind::Access, &subject(), now(), 900).0;
    assert_eq!(
        keys.verify(&access, TokenKind::Download),
        Err(TokenError::Invalid)
    );
}

#[test]
fn keys_rotate_through_the_previous_list() {
    let old = JwtKeys::new(&secret('a'), &[]);
    let token = old.issue(TokenKind::Access, &subject(), now(), 900).0;
    let rotated = JwtKeys::new(&secret('b'), &[secret('a')]);
    assert!(
        rotated.verify(&token, TokenKind::Access).is_ok(),
        "old tokens still verify"
    );
    let fresh = rotated.issue(TokenKind::Access, &subject(), now(), 900).0;
    assert!(rotated.verify(&fresh, TokenKind::Access).is_ok());
    let retired = JwtKeys::new(&secret('b'), &[]);
    assert_eq!(
        retired.verify(&token, TokenKind::Access),
        Err(TokenError::Invalid)
    );
}

#[test]
fn garbage_is_refused() {
    let keys = JwtKeys::new(&secret('a'), &[]);
    for token in ["", "abc", "a.b.c", "....", "eyJhbGciOiJIUzI1NiJ9.e30."] {
        assert_eq!(
            keys.verify(token, TokenKind::Access),
            Err(TokenError::Invalid),
            "{token:?}"
        );
    }
}

#[test]
fn a_kept_verdict_still_checks_the_kind() {
    let keys = JwtKeys::new(&secret('a'), &[]);
    let (token, claims) = keys.issue(TokenKind::Access, &subject(), now(), 900);
    for _ in 0..2 {
        assert_eq!(keys.verify(&token, TokenKind::Access), Ok(claims.clone()));
        assert_eq!(
            keys.verify(&token, TokenKind::Download),
            Err(TokenError::Invalid)
        );
    }
    // A download token first seen as the wrong kind is kept, then accepted
    // where it belongs.
    let (download, _) = keys.issue(TokenKind::Download, &subject(), now(), 60);
    assert_eq!(
        keys.verify(&download, TokenKind::Access),
        Err(TokenError::Invalid)
    );
    assert!(keys.verify(&download, TokenKind::Download).is_ok());
}
