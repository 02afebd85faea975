//! Principals' current state (role, disabled, credentials version) for
//! every authenticated request.
//!
//! Each request reads it from the database (one primary-key lookup), so a
//! revocation or role change takes effect at once on every instance. While
//! the database is unreachable, the last state seen (at most
//! [`LAST_GOOD_FOR`] old) stands in, so that cached dashboards keep being
//! served during an outage instead of every request failing at the door.

use std::time::Duration;

use moka::future::Cache;

use super::principal::{PrincipalKind, PrincipalState};
use crate::storage::Db;

/// How long the last state seen may stand in while the database is down.
pub const LAST_GOOD_FOR: Duration = Duration::from_secs(15 * 60);

type Key = (PrincipalKind, i64);

/// Principal states by kind and id.
pub struct PrincipalCache {
    last_good: Cache<Key, PrincipalState>,
}

impl Default for PrincipalCache {
    fn default() -> Self {
        Self {
            last_good: Cache::builder()
                .max_capacity(100_000)
                .time_to_live(LAST_GOOD_FOR)
                .build(),
        }
    }
}

impl PrincipalCache {
    /// The principal's current state (`None`: no such principal).
    pub async fn state(
        &self,
        db: &Db,
        kind: PrincipalKind,
        id: i64,
    ) -> Result<Option<PrincipalState>, sqlx::Error> {
        let key = (kind, id);
        match db.principal_state(kind, id).await {
            Ok(Some(state)) => {
                self.last_good.insert(key, state.clone()).await;
                Ok(Some(state))
            }
            Ok(None) => {
                self.forget(kind, id).await;
                Ok(None)
            }
            Err(error) => match self.last_good.get(&key).await {
                Some(state) => {
                    tracing::warn!(%error, "database unreachable: using the last known principal state");
                    Ok(Some(state))
                }
                None => Err(error),
            },
        }
    }

    /// Drops what is cached about a principal (after changing it).
    pub async fn forget(&self, kind: PrincipalKind, id: i64) {
        self.last_good.invalidate(&(kind, id)).await;
    }
}
