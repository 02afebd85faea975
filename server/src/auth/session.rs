//! What a browser session remembers about its sign-in.

use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use crate::api::ApiError;

const KEY: &str = "auth";

/// Stored in the server-side session at login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionAuth {
    /// The signed-in user.
    pub user_id: i64,
    /// Random id tying access tokens to this session (not the session id).
    pub sid: String,
    /// The user's credentials version at login.
    pub auth_version: i64,
}

impl SessionAuth {
    /// The sign-in recorded in `session`, if any.
    pub async fn load(session: &Session) -> Result<Option<Self>, ApiError> {
        session.get(KEY).await.map_err(session_error)
    }

    /// Records this sign-in in `session`.
    pub async fn store(&self, session: &Session) -> Result<(), ApiError> {
        session.insert(KEY, self).await.map_err(session_error)
    }
}

/// A session-store failure, reported as an internal error.
pub fn session_error(error: tower_sessions::session::Error) -> ApiError {
    ApiError::Internal(anyhow::anyhow!("session store: {error}"))
}
