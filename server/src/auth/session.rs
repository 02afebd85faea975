//! What a browser session remembers about its sign-in, and how long it lasts.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// How long a session lives without a sign-in or a renewal of its access
/// token (the UI renews every ten minutes while a page is open).
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(7 * 24 * 3600);

/// Stored in the server-side session at login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionAuth {
    /// The signed-in user.
    pub user_id: i64,
    /// Random id tying access tokens to this session (not the session id).
    pub sid: String,
    /// The user's credentials version at login.
    pub auth_version: i64,
    /// When the user signed in (Unix seconds). Sessions stored before this
    /// was recorded read as 0, that is long over.
    #[serde(default)]
    pub signed_in_at: u64,
}

impl SessionAuth {
    /// Whether at `now` (Unix seconds) this sign-in has outlived `max_age`,
    /// the absolute lifetime of a session.
    pub fn outlived(&self, max_age: Duration, now: u64) -> bool {
        now.saturating_sub(self.signed_in_at) >= max_age.as_secs()
    }

    /// When the stored session ends if it is renewed at `now` (Unix
    /// seconds): after [`IDLE_TIMEOUT`] without renewal, never past
    /// `max_age` after the sign-in.
    pub fn ends_at(&self, max_age: Duration, now: u64) -> u64 {
        (now + IDLE_TIMEOUT.as_secs()).min(self.signed_in_at + max_age.as_secs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed_in_at(at: u64) -> SessionAuth {
        SessionAuth {
            user_id: 1,
            sid: "s".into(),
            auth_version: 1,
            signed_in_at: at,
        }
    }

    #[test]
    fn a_sign_in_ends_at_its_max_age() {
        let hour = Duration::from_secs(3600);
        let auth = signed_in_at(1_000_000);
        assert!(!auth.outlived(hour, 1_000_000 + 3599));
        assert!(auth.outlived(hour, 1_000_000 + 3600));
        let legacy = serde_json::json!({"user_id": 1, "sid": "s", "auth_version": 1});
        let legacy: SessionAuth = serde_json::from_value(legacy).expect("old sessions load");
        // Any time since 1970 is past the longest lifetime.
        assert!(legacy.outlived(Duration::from_secs(30 * 24 * 3600), 1_800_000_000));
    }

    #[test]
    fn the_stored_session_expires_at_the_earlier_limit() {
        let auth = signed_in_at(1_000_000);
        // The absolute lifetime comes first.
        assert_eq!(
            auth.ends_at(Duration::from_secs(3600), 1_000_100),
            1_003_600
        );
        // The idle timeout comes first.
        let month = Duration::from_secs(30 * 24 * 3600);
        assert_eq!(auth.ends_at(month, 1_000_100), 1_000_100 + 7 * 24 * 3600);
    }
}
