//! Accounts as the admin API shows them: users and service accounts
//! (`/api/v1/admin/users`, `/api/v1/admin/service-accounts`).

use serde::{Deserialize, Serialize};

use crate::Role;

/// A user as admins see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    /// Id.
    pub id: i64,
    /// Email (sign-in name).
    pub email: String,
    /// Name shown in the UI.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Disabled users cannot sign in.
    pub disabled: bool,
    /// Creation time (RFC 3339).
    pub created_at: String,
    /// Last change (RFC 3339).
    pub updated_at: String,
}

/// `POST /api/v1/admin/users`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUser {
    /// Email.
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Initial password (at least 12 characters).
    pub password: String,
}

/// `PATCH /api/v1/admin/users/{id}`: what to change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserChange {
    /// New role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// Disable (true) or re-enable (false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
}

/// A service account as admins see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceAccountView {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Client id.
    pub client_id: String,
    /// Role.
    pub role: Role,
    /// Revoked accounts cannot get tokens.
    pub revoked: bool,
    /// Last token issued (RFC 3339).
    pub last_used_at: Option<String>,
    /// Creation time (RFC 3339).
    pub created_at: String,
}

/// `POST /api/v1/admin/service-accounts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewServiceAccount {
    /// Unique name.
    pub name: String,
    /// Role.
    pub role: Role,
}

/// A new service account with its secret, shown this once.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedServiceAccount {
    /// The account.
    pub account: ServiceAccountView,
    /// The client secret; it cannot be retrieved again.
    pub client_secret: String,
}
