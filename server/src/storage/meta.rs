//! `instance_meta`: small key/value facts about the installation.

use super::{with_pool, Db};

impl Db {
    /// The value stored under `key`, if any.
    pub async fn meta(&self, key: &str) -> Result<Option<String>, sqlx::Error> {
        with_pool!(self, pool => {
            sqlx::query_scalar("SELECT value FROM instance_meta WHERE key = $1")
                .bind(key)
                .fetch_optional(pool)
                .await
        })
    }

    /// Stores `value` under `key` unless the key exists. Returns whether this
    /// call stored it, so that of several instances starting at once exactly
    /// one wins (e.g. the one that seeds demo data).
    pub async fn claim_meta(&self, key: &str, value: &str) -> Result<bool, sqlx::Error> {
        let result = with_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO instance_meta (key, value) VALUES ($1, $2) \
                 ON CONFLICT (key) DO NOTHING",
            )
            .bind(key)
            .bind(value)
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
        })?;
        Ok(result == 1)
    }
}
