//! Users and service accounts.

use api_types::Role;
use time::OffsetDateTime;

use super::{with_pool, Db};

/// A user as the rest of the server sees it (no password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Database id.
    pub id: i64,
    /// Normalised email, unique.
    pub email: String,
    /// Name shown in the UI.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// A disabled user cannot sign in and their tokens are refused.
    pub disabled: bool,
    /// Bumped when access changes; tokens from older versions are refused.
    pub auth_version: i64,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
}

/// A service account as the rest of the server sees it (no secret hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceAccount {
    /// Database id.
    pub id: i64,
    /// Unique name.
    pub name: String,
    /// Public client id used with the secret.
    pub client_id: String,
    /// Role.
    pub role: Role,
    /// A revoked account cannot get tokens and its tokens are refused.
    pub disabled: bool,
    /// Bumped when access changes.
    pub auth_version: i64,
    /// When it last obtained a token.
    pub last_used_at: Option<OffsetDateTime>,
    /// Creation time.
    pub created_at: OffsetDateTime,
}

/// The two kinds of callers, each stored in its own table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrincipalKind {
    /// A person signed in with email and password (`users`).
    User,
    /// Another program using client credentials (`service_accounts`).
    Service,
}

/// A principal's current standing, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalState {
    /// Email or name.
    pub name: String,
    /// Current role.
    pub role: Role,
    /// Disabled or revoked.
    pub disabled: bool,
    /// Current credentials version.
    pub auth_version: i64,
}

/// A failure to write an account.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// The email or name is taken.
    #[error("{0} is already taken")]
    Taken(&'static str),
    /// Database failure.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

#[derive(sqlx::FromRow)]
pub(super) struct UserRow {
    id: i64,
    email: String,
    display_name: String,
    role: String,
    disabled: bool,
    auth_version: i64,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct UserWithHashRow {
    #[sqlx(flatten)]
    user: UserRow,
    password_hash: String,
}

#[derive(sqlx::FromRow)]
struct ServiceWithSecretRow {
    #[sqlx(flatten)]
    account: ServiceAccountRow,
    secret_hash: String,
}

#[derive(sqlx::FromRow)]
pub(super) struct ServiceAccountRow {
    id: i64,
    name: String,
    client_id: String,
    role: String,
    disabled: bool,
    auth_version: i64,
    last_used_at: Option<OffsetDateTime>,
    created_at: OffsetDateTime,
}

fn role(raw: &str) -> Result<Role, sqlx::Error> {
    Role::parse(raw).map_err(|e| sqlx::Error::Decode(e.into()))
}

impl TryFrom<UserRow> for User {
    type Error = sqlx::Error;
    fn try_from(row: UserRow) -> Result<Self, Self::Error> {
        Ok(User {
            role: role(&row.role)?,
            id: row.id,
            email: row.email,
            display_name: row.display_name,
            disabled: row.disabled,
            auth_version: row.auth_version,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

impl TryFrom<ServiceAccountRow> for ServiceAccount {
    type Error = sqlx::Error;
    fn try_from(row: ServiceAccountRow) -> Result<Self, Self::Error> {
        Ok(ServiceAccount {
            role: role(&row.role)?,
            id: row.id,
            name: row.name,
            client_id: row.client_id,
            disabled: row.disabled,
            auth_version: row.auth_version,
            last_used_at: row.last_used_at,
            created_at: row.created_at,
        })
    }
}

pub(super) const USER_COLUMNS: &str =
    "id, email, display_name, role, disabled, auth_version, created_at, updated_at";
pub(super) const SERVICE_COLUMNS: &str =
    "id, name, client_id, role, disabled, auth_version, last_used_at, created_at";

fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.is_unique_violation())
}

impl Db {
    /// Creates a user with a normalised `email` and the PHC string of their
    /// password hash; [`AccountError::Taken`] if the email exists.
    pub async fn create_user(
        &self,
        email: &str,
        display_name: &str,
        role: Role,
        password_hash: &str,
    ) -> Result<User, AccountError> {
        let now = OffsetDateTime::now_utc();
        let sql = format!(
            "INSERT INTO users (email, display_name, role, password_hash, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING {USER_COLUMNS}"
        );
        let row: Result<UserRow, sqlx::Error> = with_pool!(self, pool => {
            sqlx::query_as(&sql)
                .bind(email)
                .bind(display_name)
                .bind(role.as_str())
                .bind(password_hash)
                .bind(now)
                .fetch_one(pool)
                .await
        });
        match row {
            Ok(row) => Ok(row.try_into()?),
            Err(e) if is_unique_violation(&e) => Err(AccountError::Taken("email")),
            Err(e) => Err(e.into()),
        }
    }

    /// The user with the normalised `email` and the PHC string of their
    /// password hash, if any.
    pub async fn user_with_password(
        &self,
        email: &str,
    ) -> Result<Option<(User, String)>, sqlx::Error> {
        let sql = format!("SELECT {USER_COLUMNS}, password_hash FROM users WHERE email = $1");
        let found: Option<UserWithHashRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(email).fetch_optional(pool).await
        })?;
        found
            .map(|row| Ok((row.user.try_into()?, row.password_hash)))
            .transpose()
    }

    /// Every user, oldest first.
    pub async fn list_users(&self) -> Result<Vec<User>, sqlx::Error> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY id");
        let rows: Vec<UserRow> =
            with_pool!(self, pool => sqlx::query_as(&sql).fetch_all(pool).await)?;
        rows.into_iter().map(User::try_from).collect()
    }

    /// Creates a service account; [`AccountError::Taken`] if the name exists.
    pub async fn create_service_account(
        &self,
        name: &str,
        client_id: &str,
        secret_hash: &str,
        role: Role,
    ) -> Result<ServiceAccount, AccountError> {
        let now = OffsetDateTime::now_utc();
        let sql = format!(
            "INSERT INTO service_accounts (name, client_id, secret_hash, role, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING {SERVICE_COLUMNS}"
        );
        let row: Result<ServiceAccountRow, sqlx::Error> = with_pool!(self, pool => {
            sqlx::query_as(&sql)
                .bind(name)
                .bind(client_id)
                .bind(secret_hash)
                .bind(role.as_str())
                .bind(now)
                .fetch_one(pool)
                .await
        });
        match row {
            Ok(row) => Ok(row.try_into()?),
            Err(e) if is_unique_violation(&e) => Err(AccountError::Taken("name")),
            Err(e) => Err(e.into()),
        }
    }

    /// A principal's current name, role, disabled flag and credentials version.
    pub async fn principal_state(
        &self,
        kind: PrincipalKind,
        id: i64,
    ) -> Result<Option<PrincipalState>, sqlx::Error> {
        let sql = match kind {
            PrincipalKind::User => {
                "SELECT email, role, disabled, auth_version FROM users WHERE id = $1"
            }
            PrincipalKind::Service => {
                "SELECT name, role, disabled, auth_version FROM service_accounts WHERE id = $1"
            }
        };
        let row: Option<(String, String, bool, i64)> = with_pool!(self, pool => {
            sqlx::query_as(sql).bind(id).fetch_optional(pool).await
        })?;
        row.map(|(name, raw_role, disabled, auth_version)| {
            Ok(PrincipalState {
                name,
                role: role(&raw_role)?,
                disabled,
                auth_version,
            })
        })
        .transpose()
    }

    /// The service account with `client_id` and its secret hash, if any.
    pub async fn service_account_with_secret(
        &self,
        client_id: &str,
    ) -> Result<Option<(ServiceAccount, String)>, sqlx::Error> {
        let sql = format!(
            "SELECT {SERVICE_COLUMNS}, secret_hash FROM service_accounts WHERE client_id = $1"
        );
        let found: Option<ServiceWithSecretRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(client_id).fetch_optional(pool).await
        })?;
        found
            .map(|row| Ok((row.account.try_into()?, row.secret_hash)))
            .transpose()
    }

    /// Records that a service account just obtained a token.
    pub async fn touch_service_account(&self, id: i64) -> Result<(), sqlx::Error> {
        let now = OffsetDateTime::now_utc();
        with_pool!(self, pool => {
            sqlx::query("UPDATE service_accounts SET last_used_at = $1 WHERE id = $2")
                .bind(now)
                .bind(id)
                .execute(pool)
                .await
                .map(drop)
        })
    }
}
