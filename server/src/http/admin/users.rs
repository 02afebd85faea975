//! Admin: users. `GET/POST /api/v1/admin/users`, `PATCH /api/v1/admin/users/{id}`.

use std::collections::BTreeMap;

use app::api::{NewUser, Role, UserChange, UserView};
use axum::{
    extract::{Path, State},
    http::StatusCode,
    Extension, Json,
};

use serde_json::json;

use super::{
    auth_session::CONTROL_CHARACTERS, extract::Json as JsonBody, routes::Access, ApiError,
    ApiRoutes, AppState,
};
use crate::{
    audit::{clean::is_unsafe, AuditNote},
    auth::principal::PrincipalKind,
    auth::{email::Email, password::Password, principal::Principal},
    storage::User,
};

const ADMIN: Access = Access::AtLeast(Role::Admin);

/// Adds the routes (admin only).
pub fn routes(routes: ApiRoutes) -> ApiRoutes {
    routes
        .get("/admin/users", ADMIN, list)
        .post("/admin/users", ADMIN, create)
        .patch("/admin/users/{id}", ADMIN, change)
}

/// RFC 3339 text of a timestamp.
pub fn rfc3339(at: time::OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn view(user: User) -> UserView {
    UserView {
        id: user.id,
        email: user.email,
        display_name: user.display_name,
        role: user.role,
        disabled: user.disabled,
        created_at: rfc3339(user.created_at),
        updated_at: rfc3339(user.updated_at),
    }
}

async fn list(
    State(state): State<AppState>,
    note: AuditNote,
) -> Result<Json<Vec<UserView>>, ApiError> {
    note.read("user.list", json!({}));
    let users = state.db.list_users().await?;
    Ok(Json(users.into_iter().map(view).collect()))
}

#[tracing::instrument(skip_all, fields(admin = ?admin.name))]
async fn create(
    State(state): State<AppState>,
    Extension(admin): Extension<Principal>,
    note: AuditNote,
    JsonBody(body): JsonBody<NewUser>,
) -> Result<(StatusCode, Json<UserView>), ApiError> {
    note.security(
        "user.created",
        json!({"email": body.email.trim(), "role": body.role}),
    );
    let mut fields = BTreeMap::new();
    let email = Email::parse(&body.email)
        .map_err(|e| fields.insert("email".into(), e))
        .ok();
    let name = body.display_name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        fields.insert("display_name".into(), "must be 1 to 100 characters".into());
    } else if name.chars().any(is_unsafe) {
        fields.insert("display_name".into(), CONTROL_CHARACTERS.into());
    }
    let password = Password::parse(body.password)
        .map_err(|e| fields.insert("password".into(), e))
        .ok();
    let (Some(email), Some(password)) = (email, password) else {
        return Err(ApiError::Validation(fields));
    };
    if !fields.is_empty() {
        return Err(ApiError::Validation(fields));
    }
    // The sign-ins' hashing slots: an admin creating users during a flood
    // of sign-ins adds no hash beyond them.
    let hash = state.limits.hashers().hash(password).await?;
    let user = state
        .db
        .create_user(&email, &name, body.role, &hash)
        .await?;
    note.context(json!({"user_id": user.id, "email": user.email, "role": user.role}));
    tracing::info!(user = ?user.email, role = %user.role, "user created");
    Ok((StatusCode::CREATED, Json(view(user))))
}

#[tracing::instrument(skip_all, fields(admin = ?admin.name, user_id = id))]
async fn change(
    State(state): State<AppState>,
    Extension(admin): Extension<Principal>,
    Path(id): Path<i64>,
    note: AuditNote,
    JsonBody(body): JsonBody<UserChange>,
) -> Result<Json<UserView>, ApiError> {
    let action = match (body.role, body.disabled) {
        (Some(_), None) => "user.role_changed",
        (None, Some(true)) => "user.disabled",
        (None, Some(false)) => "user.enabled",
        _ => "user.changed",
    };
    note.security(
        action,
        json!({"user_id": id, "role": body.role, "disabled": body.disabled}),
    );
    if body.role.is_none() && body.disabled.is_none() {
        return Err(ApiError::BadRequest(
            "nothing to change: send role and/or disabled".into(),
        ));
    }
    let user = state.db.change_user(id, body.role, body.disabled).await?;
    note.context(json!({
        "user_id": id,
        "email": user.email,
        "role": body.role,
        "disabled": body.disabled,
    }));
    state.principals.forget(PrincipalKind::User, id).await;
    tracing::info!(user = ?user.email, role = %user.role, disabled = user.disabled, "user changed");
    Ok(Json(view(user)))
}
