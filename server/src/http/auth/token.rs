//! `POST /api/v1/auth/token`: services exchange client credentials (JSON body
//! or HTTP Basic) for a short-lived bearer access token.

use api_types::{TokenRequest, TokenResponse};
use std::net::SocketAddr;

use axum::{
    extract::{ConnectInfo, State},
    http::HeaderMap,
    Json,
};
use base64::{engine::general_purpose::STANDARD, Engine};

use serde_json::json;

use crate::auth::{
    jwt::{now, TokenKind, TokenSubject},
    limits::Credential,
    principal::{subject, PrincipalKind},
    secret::verify_service_secret,
    ACCESS_TOKEN_TTL_SECS,
};
use crate::http::{routes::Access, ApiError, ApiRoutes, AppState};
use crate::{http::middleware::audit::AuditNote, validation::refuse_unsafe};

/// Adds the token route.
pub fn routes(routes: ApiRoutes) -> ApiRoutes {
    routes.post("/auth/token", Access::Public, token)
}

const INVALID: &str = "invalid client credentials";

#[tracing::instrument(skip_all)]
async fn token(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    note: AuditNote,
    body: axum::body::Bytes,
) -> Result<Json<TokenResponse>, ApiError> {
    note.security("auth.token", json!({}));
    let credentials = match basic_credentials(&headers) {
        Some(credentials) => credentials,
        None => {
            let request: TokenRequest = serde_json::from_slice(&body).map_err(|e| {
                ApiError::BadRequest(format!(
                    "send client_id and client_secret as a JSON body or with HTTP Basic ({e})"
                ))
            })?;
            request
        }
    };
    note.context(json!({"client_id": credentials.client_id}));
    note.principal(&credentials.client_id, None);
    if let Err(why) = refuse_unsafe(&credentials.client_id) {
        return Err(ApiError::Validation([("client_id".to_owned(), why)].into()));
    }
    state.limit_attempt(
        peer,
        &headers,
        &credentials.client_id,
        Credential::ServiceSecret,
    )?;
    let found = state
        .db
        .service_account_with_secret(&credentials.client_id)
        .await?;
    let account = match found {
        Some((account, hash))
            if !account.disabled
                && verify_service_secret(credentials.client_secret.as_bytes(), &hash) =>
        {
            account
        }
        _ => {
            tracing::info!(client_id = ?credentials.client_id, "token refused");
            return Err(ApiError::Unauthorized(INVALID.into()));
        }
    };
    note.principal(&account.name, Some(account.role));
    state.db.touch_service_account(account.id).await?;
    let subject = TokenSubject {
        sub: subject(PrincipalKind::Service, account.id),
        role: account.role,
        ver: account.auth_version,
        sid: None,
    };
    let (access_token, _) =
        state
            .keys
            .issue(TokenKind::Access, &subject, now(), ACCESS_TOKEN_TTL_SECS);
    tracing::info!(service = ?account.name, "token issued");
    Ok(Json(TokenResponse {
        access_token,
        token_type: "Bearer".into(),
        expires_in: ACCESS_TOKEN_TTL_SECS,
    }))
}

/// `Authorization: Basic base64(client_id:client_secret)`.
fn basic_credentials(headers: &HeaderMap) -> Option<TokenRequest> {
    let value = headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (client_id, client_secret) = decoded.split_once(':')?;
    Some(TokenRequest {
        client_id: client_id.to_owned(),
        client_secret: client_secret.to_owned(),
    })
}
