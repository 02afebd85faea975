//! Emptying the caches on request (`DELETE /api/v1/admin/cache`): the
//! query cache and the customer sketches held in memory, which are
//! reloaded in the background. They live in this process only, so the
//! command line has no counterpart.

use serde_json::json;

use super::Analytics;
use crate::audit::{AuditDescription, Audited};

/// The caches were emptied.
pub const CLEARED: &str = "cache.cleared";

/// What the `cache.cleared` row says before the caches are emptied.
pub fn attempt() -> AuditDescription {
    AuditDescription::new(CLEARED, json!({}))
}

/// Empties the query cache and the customer sketches.
pub async fn clear(analytics: &Analytics) -> Audited<()> {
    analytics.cache.clear().await;
    analytics.sketches.clear();
    tracing::info!("query cache and customer sketches cleared");
    Audited {
        value: (),
        audit: attempt(),
    }
}
