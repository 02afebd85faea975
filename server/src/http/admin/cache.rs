//! `GET /api/v1/admin/cache`: the query cache's statistics per class;
//! `DELETE /api/v1/admin/cache`: empties it and the customer sketches held
//! in memory (reloaded in the background). Admin only.

use app::api::{CacheStats, Role, SketchStoreStats};
use axum::{extract::State, http::StatusCode, Json};

use super::{routes::Access, ApiRoutes, AppState};
use crate::audit::AuditNote;

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
    note.security("cache.cleared", serde_json::json!({}));
    app.analytics.cache.clear().await;
    app.analytics.sketches.clear();
    tracing::info!("query cache and customer sketches cleared");
    StatusCode::NO_CONTENT
}
