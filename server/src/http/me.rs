//! `GET /api/v1/me`: the caller's identity and role.

use api_types::{Me, Role};
use axum::{Extension, Json};

use super::{routes::Access, ApiRoutes};
use crate::{auth::principal::Principal, http::middleware::audit::AuditNote};

/// Adds the route.
pub fn routes(routes: ApiRoutes) -> ApiRoutes {
    routes.get("/me", Access::AtLeast(Role::Viewer), me)
}

async fn me(Extension(principal): Extension<Principal>, note: AuditNote) -> Json<Me> {
    note.read("auth.me", serde_json::json!({}));
    Json(principal.me())
}
