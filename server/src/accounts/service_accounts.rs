//! Service accounts: creating one (`POST /api/v1/admin/service-accounts`,
//! `tessera create-service-account`) and revoking one
//! (`POST /api/v1/admin/service-accounts/{id}/revoke`).

use api_types::Role;
use serde_json::json;

use super::{check, parse_name, AccountError};
use crate::{
    audit::{AuditDescription, Audited},
    auth::{
        principal::PrincipalKind,
        principal_cache::PrincipalCache,
        secret::{hash_service_secret, ServiceCredentials},
    },
    storage::{Db, ServiceAccount},
    validation::FieldErrors,
};

/// A service account was created.
pub const CREATED: &str = "service_account.created";
/// A service account was revoked.
pub const REVOKED: &str = "service_account.revoked";

/// A service account to create, every field valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewServiceAccount {
    name: String,
    role: Role,
}

impl NewServiceAccount {
    /// Checks both fields and reports every problem at once, under the keys
    /// `name` (1 to 100 characters, no control or bidirectional-text
    /// characters) and `role` (a role by name).
    pub fn parse(name: &str, role: &str) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = check(&mut errors, "name", parse_name(name));
        let role = check(&mut errors, "role", Role::parse(role));
        match (name, role) {
            (Some(name), Some(role)) => Ok(Self { name, role }),
            _ => Err(errors),
        }
    }

    /// The trimmed name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The role.
    pub fn role(&self) -> Role {
        self.role
    }
}

/// A service account just created, with the credentials to show once.
#[derive(Debug)]
pub struct Created {
    /// The stored account.
    pub account: ServiceAccount,
    /// Its client id and secret (only the secret's hash is stored).
    pub credentials: ServiceCredentials,
}

/// What the `service_account.created` row says of an attempt before its
/// input is checked (kept when the attempt is refused).
pub fn create_attempt(name: &str, role: Role) -> AuditDescription {
    AuditDescription::new(CREATED, json!({"name": name.trim(), "role": role}))
}

/// Creates `account` with fresh credentials. The row says
/// `service_account_id`, `name`, `client_id` and `role` (never the secret).
pub async fn create(db: &Db, account: NewServiceAccount) -> Result<Audited<Created>, AccountError> {
    let credentials = ServiceCredentials::generate();
    let hash = hash_service_secret(credentials.secret_text().as_bytes());
    let account = db
        .create_service_account(&account.name, &credentials.client_id, &hash, account.role)
        .await?;
    let audit = AuditDescription::new(
        CREATED,
        json!({
            "service_account_id": account.id,
            "name": account.name,
            "client_id": account.client_id,
            "role": account.role,
        }),
    );
    tracing::info!(service = ?account.name, role = %account.role, "service account created");
    Ok(Audited {
        value: Created {
            account,
            credentials,
        },
        audit,
    })
}

/// What the row of an attempt to revoke service account `id` says before it
/// is known to exist.
pub fn revoke_attempt(id: i64) -> AuditDescription {
    AuditDescription::new(REVOKED, json!({"service_account_id": id}))
}

/// Revokes service account `id`: it gets no more tokens, and its live ones
/// are refused from the next request (`principals` forgets its cached
/// state). The row says `service_account_id` and `name`.
pub async fn revoke(
    db: &Db,
    principals: &PrincipalCache,
    id: i64,
) -> Result<Audited<ServiceAccount>, AccountError> {
    let account = db
        .revoke_service_account(id)
        .await?
        .ok_or(AccountError::NotFound("service account"))?;
    principals.forget(PrincipalKind::Service, id).await;
    let audit = AuditDescription::new(
        REVOKED,
        json!({"service_account_id": id, "name": account.name}),
    );
    tracing::info!(service = ?account.name, "service account revoked");
    Ok(Audited {
        value: account,
        audit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::{CONTROL_CHARACTERS, NAME_LENGTH};

    fn why<'a>(errors: &'a FieldErrors, field: &str) -> Option<&'a str> {
        errors.0.get(field).map(String::as_str)
    }

    #[test]
    fn a_valid_account_is_trimmed() {
        let account = NewServiceAccount::parse("  billing ", "Viewer").expect("valid");
        assert_eq!((account.name(), account.role()), ("billing", Role::Viewer));
    }

    #[test]
    fn names_are_counted_in_characters_not_bytes() {
        assert!(NewServiceAccount::parse(&"é".repeat(100), "viewer").is_ok());
        let refused = NewServiceAccount::parse(&"é".repeat(101), "viewer").expect_err("long");
        assert_eq!(why(&refused, "name"), Some(NAME_LENGTH));
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let refused = NewServiceAccount::parse("etl\u{7}", "root").expect_err("invalid");
        assert_eq!(why(&refused, "name"), Some(CONTROL_CHARACTERS));
        assert!(why(&refused, "role").is_some_and(|m| m.contains("not a role")));
        let refused = NewServiceAccount::parse("   ", "admin").expect_err("empty");
        assert_eq!(refused.0.len(), 1);
        assert_eq!(why(&refused, "name"), Some(NAME_LENGTH));
    }

    #[test]
    fn attempts_name_what_was_asked_for() {
        assert_eq!(
            create_attempt(" etl ", Role::Analyst),
            AuditDescription::new(CREATED, json!({"name": "etl", "role": "analyst"}))
        );
        assert_eq!(
            revoke_attempt(3),
            AuditDescription::new(REVOKED, json!({"service_account_id": 3}))
        );
    }
}
