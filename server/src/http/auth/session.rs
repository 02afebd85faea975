//! Browser sign-in: `POST /api/v1/auth/login`, `/auth/refresh`, `/auth/logout`.
//! A server-side session (in the database, shared by every instance) backs
//! a short-lived access token in an HttpOnly cookie.

use api_types::{LoginRequest, Me, Role, SessionInfo};
use std::net::SocketAddr;

use axum::{
    extract::{ConnectInfo, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use tower_sessions::Session;

use serde_json::json;

use crate::auth::{
    email::Email,
    jwt::{now, TokenKind, TokenSubject},
    limits::Credential,
    password::{self, Password},
    principal::{subject, Principal, PrincipalKind},
    secret::random_token,
    session::SessionAuth,
    ACCESS_TOKEN_TTL_SECS,
};
use crate::http::{
    cookies,
    extract::Json as JsonBody,
    routes::Access,
    session::{self, session_error},
    ApiError, ApiRoutes, AppState,
};
use crate::{http::middleware::audit::AuditNote, validation::refuse_unsafe};

/// Adds the routes. They are public: login takes credentials, refresh and
/// logout act on the caller's own session cookie.
pub fn routes(routes: ApiRoutes) -> ApiRoutes {
    routes
        .post("/auth/login", Access::Public, login)
        .post("/auth/refresh", Access::Public, refresh)
        .post("/auth/logout", Access::Public, logout)
}

const INVALID: &str = "invalid email or password";

#[tracing::instrument(skip_all)]
async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    session: Session,
    note: AuditNote,
    JsonBody(body): JsonBody<LoginRequest>,
) -> Result<Response, ApiError> {
    // The attempted email stands as the principal; never the password.
    note.security("auth.login", json!({}));
    note.principal(body.email.trim(), None);
    let mut fields = std::collections::BTreeMap::new();
    if body.email.trim().is_empty() {
        fields.insert("email".to_owned(), "is required".to_owned());
    } else if let Err(why) = refuse_unsafe(&body.email) {
        fields.insert("email".to_owned(), why);
    }
    if body.password.is_empty() {
        fields.insert("password".to_owned(), "is required".to_owned());
    }
    if !fields.is_empty() {
        return Err(ApiError::Validation(fields));
    }
    state.limit_attempt(peer, &headers, &body.email, Credential::Password)?;
    // A hashing slot first: a sign-in turned away costs no database read.
    let slot = state.limits.hashers().slot().await?;
    // Unknown, malformed and disabled accounts cost one hash verification
    // and get the same answer as a wrong password.
    let found = match Email::parse(&body.email) {
        Ok(email) => password::user_with_password(&state.db, &email).await?,
        Err(_) => None,
    };
    let (user, hash) = found.map_or((None, None), |(user, hash)| (Some(user), Some(hash)));
    let verified = slot.verify(Password::submitted(body.password), hash).await;
    let user = match user {
        Some(user) if verified && !user.disabled => user,
        _ => {
            tracing::info!("sign-in refused");
            return Err(ApiError::Unauthorized(INVALID.into()));
        }
    };

    // A new session id at every sign-in (no session fixation).
    if let Some(previous) = session.id() {
        state.principals.forget_session(previous).await;
    }
    session.cycle_id().await.map_err(session_error)?;
    let signed_in_at = now();
    let auth = SessionAuth {
        user_id: user.id,
        sid: random_token(16),
        auth_version: user.auth_version,
        signed_in_at,
    };
    auth.store(&session).await?;
    session.set_expiry(Some(
        auth.expiry(state.config.session_max_age, signed_in_at),
    ));
    // Saving now gives the session its new id, which the audit row names.
    session.save().await.map_err(session_error)?;
    note.principal(&user.email, Some(user.role));
    tracing::info!(user = ?user.email, "signed in");
    Ok(issue(&state, &auth, user.email, user.role))
}

#[tracing::instrument(skip_all)]
async fn refresh(
    State(state): State<AppState>,
    session: Session,
    note: AuditNote,
) -> Result<Response, ApiError> {
    note.security("auth.refresh", json!({}));
    match renew(&state, &session).await? {
        Some((me, cookie)) => {
            note.principal(&me.name, Some(me.role));
            Ok((
                [(header::SET_COOKIE, cookie)],
                Json(SessionInfo {
                    user: me,
                    expires_in: ACCESS_TOKEN_TTL_SECS,
                }),
            )
                .into_response())
        }
        None => Err(ApiError::Unauthorized(
            "the session has ended; sign in again".into(),
        )),
    }
}

/// A new access cookie for a live session (within its absolute lifetime)
/// whose user is still active with unchanged access; the session's idle
/// timeout starts over. Otherwise the session is ended and `None` returned.
pub async fn renew(
    state: &AppState,
    session: &Session,
) -> Result<Option<(Me, HeaderValue)>, ApiError> {
    let Some(auth) = SessionAuth::load(session).await? else {
        return Ok(None);
    };
    let (max_age, now) = (state.config.session_max_age, now());
    let current = if auth.outlived(max_age, now) {
        tracing::info!("session past its maximum age ended");
        None
    } else {
        state
            .db
            .principal_state(PrincipalKind::User, auth.user_id)
            .await?
    };
    match current {
        Some(current) if !current.disabled && current.auth_version == auth.auth_version => {
            session.set_expiry(Some(auth.expiry(max_age, now)));
            let cookie = access_cookie(state, &auth, current.role);
            Ok(Some((
                signed_in(&auth, current.name, current.role).me(),
                cookie,
            )))
        }
        _ => {
            session::end(session, &state.principals).await?;
            Ok(None)
        }
    }
}

#[tracing::instrument(skip_all)]
async fn logout(
    State(state): State<AppState>,
    session: Session,
    note: AuditNote,
) -> Result<Response, ApiError> {
    note.security("auth.logout", json!({}));
    if let Some(auth) = SessionAuth::load(&session).await? {
        let user = state
            .db
            .principal_state(PrincipalKind::User, auth.user_id)
            .await?;
        if let Some(user) = user {
            note.principal(&user.name, Some(user.role));
        }
        tracing::info!("signed out");
    }
    // Deleting the session revokes every access token bound to it (here
    // at once, on other instances within the recheck interval).
    session::end(&session, &state.principals).await?;
    let clear = cookies::clear_access(state.config.secure_cookies());
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, clear)]).into_response())
}

/// The user signed in to `auth`'s session.
fn signed_in(auth: &SessionAuth, email: String, role: Role) -> Principal {
    Principal {
        kind: PrincipalKind::User,
        id: auth.user_id,
        name: email,
        role,
    }
}

/// The access cookie and the body of a successful sign-in.
fn issue(state: &AppState, auth: &SessionAuth, email: String, role: Role) -> Response {
    let cookie = access_cookie(state, auth, role);
    let body = SessionInfo {
        user: signed_in(auth, email, role).me(),
        expires_in: ACCESS_TOKEN_TTL_SECS,
    };
    ([(header::SET_COOKIE, cookie)], Json(body)).into_response()
}

/// A `Set-Cookie` with a fresh access token bound to the session.
fn access_cookie(state: &AppState, auth: &SessionAuth, role: Role) -> HeaderValue {
    let token_subject = TokenSubject {
        sub: subject(PrincipalKind::User, auth.user_id),
        role,
        ver: auth.auth_version,
        sid: Some(auth.sid.clone()),
    };
    let (token, _) = state.keys.issue(
        TokenKind::Access,
        &token_subject,
        now(),
        ACCESS_TOKEN_TTL_SECS,
    );
    cookies::set_access(&token, ACCESS_TOKEN_TTL_SECS, state.config.secure_cookies())
}
