//! Principals' current state (role, disabled, credentials version) for
//! every authenticated request.
//!
//! Reading the principal's row on every request made it the largest cost of
//! a cached dashboard answer (one database round trip per request, ~140 µs
//! of CPU on the benchmark machine). So each instance keeps the state it
//! read for the recheck interval (`TESSERA_AUTH_RECHECK`, default
//! 5 s, at most 30 s) and rules as follows:
//!
//! - credentials the kept state accepts are accepted without a read;
//! - credentials it would refuse are checked against the database first,
//!   so a token issued after a change (a refresh after a role change) is
//!   never refused because this instance had not seen the change yet;
//! - a change made through this instance (disable, role change, revoke)
//!   drops the kept state at once ([`PrincipalCache::forget`]);
//! - a change made elsewhere (another instance, SQL) applies here within
//!   the recheck interval, inside the 30 s the revocation promise allows.
//!
//! Browser sessions follow the same rules: a session read from the store
//! that holds the token's sign-in is kept for the recheck interval, signing
//! out or in through this instance drops it at once, and a session ended on
//! another instance stops being accepted here within the interval.
//!
//! While the database is unreachable, the last state seen (at most
//! [`LAST_GOOD_FOR`] old) stands in, so that cached dashboards keep being
//! served during an outage instead of every request failing at the door.

use std::time::Duration;

use moka::future::Cache;
use tower_sessions::session::Id;

use super::{
    principal::{PrincipalKind, PrincipalState},
    session::SessionAuth,
};
use crate::storage::Db;

/// How long the last state seen may stand in while the database is down.
pub const LAST_GOOD_FOR: Duration = Duration::from_secs(15 * 60);

/// Most principals whose state one instance keeps.
const CAPACITY: u64 = 100_000;

type Key = (PrincipalKind, i64);

/// Principal states by kind and id.
pub struct PrincipalCache {
    /// States read within the recheck interval (`None`: recheck is zero).
    recent: Option<Cache<Key, PrincipalState>>,
    /// Sign-ins of sessions read within the recheck interval.
    sessions: Option<Cache<Id, SessionAuth>>,
    last_good: Cache<Key, PrincipalState>,
}

impl PrincipalCache {
    /// Keeps what it reads for `recheck` (zero: reads on every request).
    pub fn new(recheck: Duration) -> Self {
        fn kept_for<K, V>(recheck: Duration) -> Option<Cache<K, V>>
        where
            K: std::hash::Hash + Eq + Send + Sync + 'static,
            V: Clone + Send + Sync + 'static,
        {
            (!recheck.is_zero()).then(|| {
                Cache::builder()
                    .max_capacity(CAPACITY)
                    .time_to_live(recheck)
                    .build()
            })
        }
        Self {
            recent: kept_for(recheck),
            sessions: kept_for(recheck),
            last_good: Cache::builder()
                .max_capacity(CAPACITY)
                .time_to_live(LAST_GOOD_FOR)
                .build(),
        }
    }

    /// The state read within the recheck interval, if any. Use it only to
    /// accept: refuse after [`PrincipalCache::read`] agrees.
    pub async fn recent(&self, kind: PrincipalKind, id: i64) -> Option<PrincipalState> {
        self.recent.as_ref()?.get(&(kind, id)).await
    }

    /// The principal's state as stored now (`None`: no such principal).
    pub async fn read(
        &self,
        db: &Db,
        kind: PrincipalKind,
        id: i64,
    ) -> Result<Option<PrincipalState>, sqlx::Error> {
        let key = (kind, id);
        match db.principal_state(kind, id).await {
            Ok(Some(state)) => {
                if let Some(recent) = &self.recent {
                    recent.insert(key, state.clone()).await;
                }
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

    /// Drops what is kept about a principal (after changing it).
    pub async fn forget(&self, kind: PrincipalKind, id: i64) {
        if let Some(recent) = &self.recent {
            recent.invalidate(&(kind, id)).await;
        }
        self.last_good.invalidate(&(kind, id)).await;
    }

    /// The sign-in of session `id` as read within the recheck interval.
    /// Use it only to accept.
    pub async fn recent_session(&self, id: Id) -> Option<SessionAuth> {
        self.sessions.as_ref()?.get(&id).await
    }

    /// Keeps the sign-in just read from session `id`.
    pub async fn keep_session(&self, id: Id, auth: SessionAuth) {
        if let Some(sessions) = &self.sessions {
            sessions.insert(id, auth).await;
        }
    }

    /// Drops what is kept about session `id` (signing out or in again).
    pub async fn forget_session(&self, id: Id) {
        if let Some(sessions) = &self.sessions {
            sessions.invalidate(&id).await;
        }
    }
}
