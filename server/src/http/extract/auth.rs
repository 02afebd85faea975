//! The authentication guard every non-public API route sits behind: it
//! authenticates the caller, refuses revoked credentials, checks the route's
//! minimum role, and hands the [`Principal`] to the handler as an extension.

use api_types::Role;
use axum::{
    extract::{Request, State},
    http::{header, HeaderMap},
    middleware::Next,
    response::Response,
};

use tower_sessions::Session;

use crate::{
    auth::{
        jwt::{now, TokenError, TokenKind},
        principal::{parse_subject, Principal, PrincipalState},
        session::SessionAuth,
    },
    http::middleware::audit::AuditNote,
    http::{
        cookies::{cookie_names, read},
        session, ApiError, AppState,
    },
};

/// Middleware body: 401 without valid credentials, 403 below `minimum`.
pub async fn require(
    State(state): State<AppState>,
    minimum: Role,
    mut request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let session = request.extensions().get::<Session>().cloned();
    let principal = authenticate(&state, request.headers(), session.as_ref()).await?;
    if let Some(note) = request.extensions().get::<AuditNote>() {
        note.caller(&principal);
    }
    if !principal.role.includes(minimum) {
        tracing::info!(principal = ?principal.name, role = %principal.role, %minimum, "forbidden");
        return Err(ApiError::Forbidden(format!(
            "this needs the {minimum} role or higher; you are {}",
            principal.role
        )));
    }
    request.extensions_mut().insert(principal);
    Ok(next.run(request).await)
}

/// The caller behind the request's access token (`Authorization: Bearer`
/// or the access cookie). A browser token is bound to its session: once the
/// session ends (logout, on any instance, or `TESSERA_SESSION_MAX_AGE` after
/// the sign-in), the token is refused.
pub async fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
    session: Option<&Session>,
) -> Result<Principal, ApiError> {
    let token = bearer_token(headers)
        .or_else(|| read(headers, cookie_names(state.config.secure_cookies()).access))
        .ok_or_else(|| ApiError::Unauthorized("authentication required".into()))?;
    let claims = state
        .keys
        .verify(token, TokenKind::Access)
        .map_err(|e| match e {
            TokenError::Expired => ApiError::Unauthorized("the access token has expired".into()),
            TokenError::Invalid => ApiError::Unauthorized("the access token is invalid".into()),
        })?;
    let (kind, id) = parse_subject(&claims.sub)
        .ok_or_else(|| ApiError::Unauthorized("the access token is invalid".into()))?;
    if let Some(sid) = &claims.sid {
        let (max_age, now) = (state.config.session_max_age, now());
        let holds = |s: &SessionAuth| &s.sid == sid && s.user_id == id && !s.outlived(max_age, now);
        // As with principals: a kept sign-in may accept, only the store refuses.
        let kept = match session.and_then(Session::id) {
            Some(session_id) => state.principals.recent_session(session_id).await,
            None => None,
        };
        let live = match (kept, session) {
            (Some(kept), _) if holds(&kept) => true,
            (_, Some(session)) => match SessionAuth::load(session).await? {
                Some(auth) if auth.outlived(max_age, now) => {
                    session::end(session, &state.principals).await?;
                    false
                }
                Some(auth) if holds(&auth) => {
                    if let Some(session_id) = session.id() {
                        state.principals.keep_session(session_id, auth).await;
                    }
                    true
                }
                _ => false,
            },
            (_, None) => false,
        };
        if !live {
            return Err(ApiError::Unauthorized(
                "the session has ended; sign in again".into(),
            ));
        }
    }
    // Kept state may accept; only the stored state may refuse.
    let accepts = |s: &PrincipalState| !s.disabled && s.auth_version == claims.ver;
    let current = match state.principals.recent(kind, id).await {
        Some(recent) if accepts(&recent) => Some(recent),
        _ => state.principals.read(&state.db, kind, id).await?,
    };
    match current {
        Some(current) if accepts(&current) => Ok(Principal {
            kind,
            id,
            name: current.name,
            role: current.role,
        }),
        _ => Err(ApiError::Unauthorized(
            "these credentials are no longer valid; sign in again".into(),
        )),
    }
}

/// The token of an `Authorization: Bearer …` header.
pub(crate) fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn reads_bearer_tokens_only() {
        let mut headers = HeaderMap::new();
        assert_eq!(bearer_token(&headers), None);
        for (value, expected) in [
            ("Bearer abc", Some("abc")),
            ("bearer  abc ", Some("abc")),
            ("Basic abc", None),
            ("Bearer ", None),
            ("Bearer", None),
        ] {
            headers.insert(header::AUTHORIZATION, HeaderValue::from_static(value));
            assert_eq!(bearer_token(&headers), expected, "{value:?}");
        }
    }
}
