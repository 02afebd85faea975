//! Liveness and readiness probes (public: no authentication).

use std::time::Duration;

use api_types::{Health, Readiness};
use axum::{extract::State, Json};

use super::{routes::Access, ApiError, ApiRoutes, AppState};

/// How long `/ready` waits for the database before answering 503.
const READY_TIMEOUT: Duration = Duration::from_secs(2);

/// `/health` and `/ready`: public, for load balancers and orchestrators.
pub fn routes(routes: ApiRoutes) -> ApiRoutes {
    routes
        .get("/health", Access::Public, health)
        .get("/ready", Access::Public, ready)
}

/// Liveness: the process answers HTTP. Never touches the database, so a
/// database outage does not get healthy instances restarted.
async fn health() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
    })
}

/// Readiness: 200 only while the database answers, so a load balancer sends
/// traffic elsewhere during an outage and back when it ends.
#[tracing::instrument(skip(state))]
async fn ready(State(state): State<AppState>) -> Result<Json<Readiness>, ApiError> {
    if let Err(error) = state.db.ping(READY_TIMEOUT).await {
        tracing::warn!(%error, "readiness check: database not answering");
        return Err(ApiError::Unavailable(
            "the database is not answering; this instance is not ready".into(),
        ));
    }
    Ok(Json(Readiness {
        status: "ready".into(),
        database: state.db.backend().as_str().into(),
        version: env!("CARGO_PKG_VERSION").into(),
    }))
}
