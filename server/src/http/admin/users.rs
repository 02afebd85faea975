//! Admin: users. `GET/POST /api/v1/admin/users`, `PATCH /api/v1/admin/users/{id}`.

use api_types::{NewUser, Role, UserChange, UserView};
use axum::{
    extract::{Path, State},
    http::StatusCode,
    Extension, Json,
};
use serde_json::json;

use crate::http::{
    extract::Json as JsonBody, middleware::audit::AuditNote, routes::Access, ApiError, ApiRoutes,
    AppState,
};
use crate::{accounts::users, auth::principal::Principal, storage::User};

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
    let attempt = users::create_attempt(&body.email, body.role);
    note.security(attempt.action, attempt.context);
    let user = users::NewUser::parse(
        &body.email,
        Some(body.display_name.as_str()),
        body.role.as_str(),
        body.password,
    )?;
    // The sign-ins' hashing slots: an admin creating users during a flood
    // of sign-ins adds no hash beyond them.
    let created = users::create(&state.db, state.limits.hashers(), user).await?;
    note.context(created.audit.context);
    Ok((StatusCode::CREATED, Json(view(created.value))))
}

#[tracing::instrument(skip_all, fields(admin = ?admin.name, user_id = id))]
async fn change(
    State(state): State<AppState>,
    Extension(admin): Extension<Principal>,
    Path(id): Path<i64>,
    note: AuditNote,
    JsonBody(body): JsonBody<UserChange>,
) -> Result<Json<UserView>, ApiError> {
    let attempt = users::change_attempt(id, body.role, body.disabled);
    note.security(attempt.action, attempt.context);
    let change = users::UserChange::parse(body.role, body.disabled)?;
    let changed = users::change(&state.db, &state.principals, id, change).await?;
    note.context(changed.audit.context);
    Ok(Json(view(changed.value)))
}
