//! `GET /api/v1/admin/cache`: the query cache's statistics per class;
//! `DELETE /api/v1/admin/cache`: empties it and the customer sketches held
//! in memory (reloaded in the background). Admin only.

use api_types::{CacheStats, Role, SketchStoreStats};
use axum::{extract::State, http::StatusCode, Json};

use crate::analytics::purge;
use crate::http::{middleware::audit::AuditNote, routes::Access, ApiRoutes, AppState};

/// Adds the routes.
pub fn routes(routes: ApiRoutes) -> ApiRoutes {
    let admin = Access::AtLeast(Role::Admin);
    routes
        .get("/admin/cache", admin, stats)
        .delete("/admin/cache", admin, clear)
}

async fn stats(State(app): State<AppState>, note: AuditNote) -> Json<CacheStats> {
    note.read("cache.stats", serde_json::json!({}));
    let cache = &app.analytics.cache;
    let sketches = &app.analytics.sketches;
    let (entries, bytes) = sketches.usage();
    Json(CacheStats {
        dataset_version: app.analytics.dataset.current().version,
        classes: cache.stats().await,
        weighted_bytes: cache.weighted_bytes(),
        max_bytes: cache.max_bytes(),
        sketches: SketchStoreStats {
            entries,
            bytes,
            max_bytes: sketches.budget(),
            warmed_version: sketches.warmed_version(),
        },
    })
}

async fn clear(State(app): State<AppState>, note: AuditNote) -> StatusCode {
    let attempt = purge::attempt();
    note.security(attempt.action, attempt.context);
    let cleared = purge::clear(&app.analytics).await;
    note.context(cleared.audit.context);
    StatusCode::NO_CONTENT
}
