//! The sign-in kept in the browser's server-side session (tower-sessions):
//! reading, storing and ending it. What it holds is `auth::session`'s.

use std::time::Duration;

use tower_sessions::{cookie::time::OffsetDateTime, Expiry, Session};

use super::ApiError;
use crate::auth::{principal_cache::PrincipalCache, session::SessionAuth};

const KEY: &str = "auth";

impl SessionAuth {
    /// The sign-in recorded in `session`, if any.
    pub async fn load(session: &Session) -> Result<Option<Self>, ApiError> {
        session.get(KEY).await.map_err(session_error)
    }

    /// Records this sign-in in `session`.
    pub async fn store(&self, session: &Session) -> Result<(), ApiError> {
        session.insert(KEY, self).await.map_err(session_error)
    }

    /// When the stored session expires if it is renewed at `now` (see
    /// [`SessionAuth::ends_at`]). Expired rows are refused by the store and
    /// deleted by a periodic task.
    pub fn expiry(&self, max_age: Duration, now: u64) -> Expiry {
        let end = self.ends_at(max_age, now);
        let end = OffsetDateTime::from_unix_timestamp(i64::try_from(end).unwrap_or(i64::MAX))
            .unwrap_or(OffsetDateTime::UNIX_EPOCH);
        Expiry::AtDateTime(end)
    }
}

/// Ends `session`: this instance forgets what it kept about it, and the
/// store deletes it (with it, every access token bound to it is refused).
pub async fn end(session: &Session, principals: &PrincipalCache) -> Result<(), ApiError> {
    if let Some(id) = session.id() {
        principals.forget_session(id).await;
    }
    session.flush().await.map_err(session_error)
}

/// A session-store failure, reported as an internal error.
pub fn session_error(error: tower_sessions::session::Error) -> ApiError {
    ApiError::Internal(anyhow::anyhow!("session store: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_expiry_is_the_end_of_the_sign_in() {
        let auth = SessionAuth {
            user_id: 1,
            sid: "s".into(),
            auth_version: 1,
            signed_in_at: 1_000_000,
        };
        match auth.expiry(Duration::from_secs(3600), 1_000_100) {
            Expiry::AtDateTime(at) => assert_eq!(at.unix_timestamp(), 1_003_600),
            other => panic!("{other:?}"),
        }
    }
}
