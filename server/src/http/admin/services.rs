//! Admin: service accounts. `GET/POST /api/v1/admin/service-accounts`,
//! `POST /api/v1/admin/service-accounts/{id}/revoke`.

use app::api::{CreatedServiceAccount, NewServiceAccount, Role, ServiceAccountView};
use axum::{
    extract::{Path, State},
    http::StatusCode,
    Extension, Json,
};

use serde_json::json;

use super::{
    admin_users::rfc3339, auth_session::CONTROL_CHARACTERS, extract::Json as JsonBody,
    routes::Access, ApiError, ApiRoutes, AppState,
};
use crate::{
    audit::{clean::is_unsafe, AuditNote},
    auth::principal::PrincipalKind,
    auth::{
        principal::Principal,
        secret::{hash_service_secret, ServiceCredentials},
    },
    storage::ServiceAccount,
};

const ADMIN: Access = Access::AtLeast(Role::Admin);

/// Adds the routes (admin only).
pub fn routes(routes: ApiRoutes) -> ApiRoutes {
    routes
        .get("/admin/service-accounts", ADMIN, list)
        .post("/admin/service-accounts", ADMIN, create)
        .post("/admin/service-accounts/{id}/revoke", ADMIN, revoke)
}

fn view(account: ServiceAccount) -> ServiceAccountView {
    ServiceAccountView {
        id: account.id,
        name: account.name,
        client_id: account.client_id,
        role: account.role,
        revoked: account.disabled,
        last_used_at: account.last_used_at.map(rfc3339),
        created_at: rfc3339(account.created_at),
    }
}

async fn list(
    State(state): State<AppState>,
    note: AuditNote,
) -> Result<Json<Vec<ServiceAccountView>>, ApiError> {
    note.read("service_account.list", json!({}));
    let accounts = state.db.list_service_accounts().await?;
    Ok(Json(accounts.into_iter().map(view).collect()))
}

#[tracing::instrument(skip_all, fields(admin = ?admin.name))]
async fn create(
    State(state): State<AppState>,
    Extension(admin): Extension<Principal>,
    note: AuditNote,
    JsonBody(body): JsonBody<NewServiceAccount>,
) -> Result<(StatusCode, Json<CreatedServiceAccount>), ApiError> {
    note.security(
        "service_account.created",
        json!({"name": body.name.trim(), "role": body.role}),
    );
    let name = body.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        let fields = [("name".to_owned(), "must be 1 to 100 characters".to_owned())].into();
        return Err(ApiError::Validation(fields));
    }
    if name.chars().any(is_unsafe) {
        let fields = [("name".to_owned(), CONTROL_CHARACTERS.to_owned())].into();
        return Err(ApiError::Validation(fields));
    }
    let credentials = ServiceCredentials::generate();
    let hash = hash_service_secret(credentials.secret_text().as_bytes());
    let account = state
        .db
        .create_service_account(name, &credentials.client_id, &hash, body.role)
        .await?;
    note.context(json!({
        "service_account_id": account.id,
        "name": account.name,
        "client_id": account.client_id,
        "role": account.role,
    }));
    tracing::info!(service = ?account.name, role = %account.role, "service account created");
    Ok((
        StatusCode::CREATED,
        Json(CreatedServiceAccount {
            account: view(account),
            client_secret: credentials.secret_text().to_owned(),
        }),
    ))
}

#[tracing::instrument(skip_all, fields(admin = ?admin.name, service_id = id))]
async fn revoke(
    State(state): State<AppState>,
    Extension(admin): Extension<Principal>,
    Path(id): Path<i64>,
    note: AuditNote,
) -> Result<Json<ServiceAccountView>, ApiError> {
    note.security("service_account.revoked", json!({"service_account_id": id}));
    let account = state
        .db
        .revoke_service_account(id)
        .await?
        .ok_or_else(|| ApiError::NotFound("no such service account".into()))?;
    state.principals.forget(PrincipalKind::Service, id).await;
    note.context(json!({"service_account_id": id, "name": account.name}));
    tracing::info!(service = ?account.name, "service account revoked");
    Ok(Json(view(account)))
}
