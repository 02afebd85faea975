//! Admin: service accounts. `GET/POST /api/v1/admin/service-accounts`,
//! `POST /api/v1/admin/service-accounts/{id}/revoke`.

use api_types::{CreatedServiceAccount, NewServiceAccount, Role, ServiceAccountView};
use axum::{
    extract::{Path, State},
    http::StatusCode,
    Extension, Json,
};
use serde_json::json;

use crate::http::{
    admin::users::rfc3339, extract::Json as JsonBody, middleware::audit::AuditNote, routes::Access,
    ApiError, ApiRoutes, AppState,
};
use crate::{accounts::service_accounts, auth::principal::Principal, storage::ServiceAccount};

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
    let attempt = service_accounts::create_attempt(&body.name, body.role);
    note.security(attempt.action, attempt.context);
    let account = service_accounts::NewServiceAccount::parse(&body.name, body.role.as_str())?;
    let created = service_accounts::create(&state.db, account).await?;
    note.context(created.audit.context);
    let service_accounts::Created {
        account,
        credentials,
    } = created.value;
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
    let attempt = service_accounts::revoke_attempt(id);
    note.security(attempt.action, attempt.context);
    let revoked = service_accounts::revoke(&state.db, &state.principals, id).await?;
    note.context(revoked.audit.context);
    Ok(Json(view(revoked.value)))
}
