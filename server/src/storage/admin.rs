//! Account changes made by admins: role changes, disabling, revocation.
//! Every change bumps `auth_version`, which refuses the principal's live
//! tokens on the next request.

use api_types::Role;
use time::OffsetDateTime;

use super::{
    accounts::SERVICE_COLUMNS, accounts::USER_COLUMNS, with_pool, Db, ServiceAccount, User,
};

/// Why a user change was refused.
#[derive(Debug, thiserror::Error)]
pub enum UserChangeError {
    /// No such user.
    #[error("no such user")]
    NotFound,
    /// The change would leave no active admin.
    #[error("the last active admin cannot be demoted or disabled")]
    LastAdmin,
    /// Database failure.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl Db {
    /// Sets `role` and/or `disabled` on user `id`, refusing to leave the
    /// installation without an active admin. Concurrent changes cannot race
    /// past that check: the active admins' rows are locked first.
    pub async fn change_user(
        &self,
        id: i64,
        role: Option<Role>,
        disabled: Option<bool>,
    ) -> Result<User, UserChangeError> {
        let now = OffsetDateTime::now_utc();
        let update = format!(
            "UPDATE users SET role = COALESCE($1, role), disabled = COALESCE($2, disabled), \
             auth_version = auth_version + 1, updated_at = $3 WHERE id = $4 RETURNING {USER_COLUMNS}"
        );
        let lock =
            "UPDATE users SET updated_at = updated_at WHERE role = 'admin' AND disabled = FALSE";
        let count = "SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = FALSE";
        let result: Result<Option<(super::accounts::UserRow, i64)>, sqlx::Error> = with_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            sqlx::query(lock).execute(&mut *tx).await?;
            let row: Option<super::accounts::UserRow> = sqlx::query_as(&update)
                .bind(role.map(Role::as_str))
                .bind(disabled)
                .bind(now)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(row) = row else { return Ok(None) };
            let admins: i64 = sqlx::query_scalar(count).fetch_one(&mut *tx).await?;
            if admins == 0 {
                tx.rollback().await?;
            } else {
                tx.commit().await?;
            }
            Ok(Some((row, admins)))
        }.await);
        match result? {
            None => Err(UserChangeError::NotFound),
            Some((_, 0)) => Err(UserChangeError::LastAdmin),
            Some((row, _)) => Ok(row.try_into()?),
        }
    }

    /// Every service account, oldest first.
    pub async fn list_service_accounts(&self) -> Result<Vec<ServiceAccount>, sqlx::Error> {
        let sql = format!("SELECT {SERVICE_COLUMNS} FROM service_accounts ORDER BY id");
        let rows: Vec<super::accounts::ServiceAccountRow> =
            with_pool!(self, pool => sqlx::query_as(&sql).fetch_all(pool).await)?;
        rows.into_iter().map(ServiceAccount::try_from).collect()
    }

    /// Revokes service account `id`; `None` if there is no such account.
    pub async fn revoke_service_account(
        &self,
        id: i64,
    ) -> Result<Option<ServiceAccount>, sqlx::Error> {
        let now = OffsetDateTime::now_utc();
        let sql = format!(
            "UPDATE service_accounts SET disabled = TRUE, auth_version = auth_version + 1, \
             updated_at = $1 WHERE id = $2 RETURNING {SERVICE_COLUMNS}"
        );
        let row: Option<super::accounts::ServiceAccountRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(now).bind(id).fetch_optional(pool).await
        })?;
        row.map(ServiceAccount::try_from).transpose()
    }
}
