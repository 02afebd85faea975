//! Who the caller is and how they sign in: roles, credentials, tokens and
//! sessions (`/api/v1/auth/*`, `GET /api/v1/me`).

use serde::{Deserialize, Serialize};

/// What a principal may do. Each role includes everything the ones before it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads dashboards and orders.
    Viewer,
    /// Viewer, plus runs jobs, refreshes data and keeps saved views.
    Analyst,
    /// Analyst, plus manages users, service accounts, the audit log and the cache.
    Admin,
}

impl Role {
    /// Every role, least privileged first.
    pub const ALL: [Role; 3] = [Role::Viewer, Role::Analyst, Role::Admin];

    /// Parses `viewer`, `analyst` or `admin` (case-insensitive).
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "viewer" => Ok(Role::Viewer),
            "analyst" => Ok(Role::Analyst),
            "admin" => Ok(Role::Admin),
            other => Err(format!(
                "'{other}' is not a role (expected viewer, analyst or admin)"
            )),
        }
    }

    /// The lower-case name, as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Analyst => "analyst",
            Role::Admin => "admin",
        }
    }

    /// Whether this role may do what `required` may.
    pub fn includes(self, required: Role) -> bool {
        self >= required
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `POST /api/v1/auth/token` body (client credentials; HTTP Basic works too).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRequest {
    /// The service account's client id.
    pub client_id: String,
    /// Its secret.
    pub client_secret: String,
}

/// An access token for a service.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenResponse {
    /// Send as `Authorization: Bearer <access_token>`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the token expires.
    pub expires_in: u64,
}

/// `GET /api/v1/me`: who the caller is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    /// `user` or `service`.
    pub kind: String,
    /// Email (users) or name (service accounts).
    pub name: String,
    /// Current role.
    pub role: Role,
}

/// `POST /api/v1/auth/login` body.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    /// Email address.
    pub email: String,
    /// Password.
    pub password: String,
}

/// A successful sign-in or refresh: who, and when the access cookie expires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// The signed-in user.
    pub user: Me,
    /// Seconds until the access token expires; refresh before then.
    pub expires_in: u64,
}

#[cfg(test)]
mod tests {
    use super::Role;

    #[test]
    fn roles_parse_and_order() {
        assert_eq!(Role::parse(" Analyst "), Ok(Role::Analyst));
        assert!(Role::parse("root").is_err());
        assert!(Role::Admin.includes(Role::Viewer));
        assert!(Role::Analyst.includes(Role::Analyst));
        assert!(!Role::Viewer.includes(Role::Analyst));
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
    }
}
