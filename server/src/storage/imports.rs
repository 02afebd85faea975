//! The `imports` table: one row per CSV import, with its outcome.

use super::{with_pool, Db};

/// A stored import (times in Unix ms; `problems` is JSON).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ImportRow {
    /// Id.
    pub id: i64,
    /// The client's file name (never used on disk).
    pub file_name: String,
    /// Bytes received.
    pub size_bytes: i64,
    /// `insert` or `upsert`.
    pub mode: String,
    /// `queued`, `running`, `succeeded`, `rejected` or `failed`.
    pub status: String,
    /// Data rows read.
    pub rows_read: i64,
    /// Orders added.
    pub inserted: i64,
    /// Orders replaced.
    pub updated: i64,
    /// The first problems, as JSON.
    pub problems: Option<String>,
    /// Problems beyond those.
    pub more_problems: i64,
    /// One-line outcome.
    pub message: Option<String>,
    /// The job loading it, if any.
    pub job_id: Option<String>,
    /// Principal key of the uploader.
    pub owner: String,
    /// The uploader's name.
    pub owner_name: String,
    /// Upload time.
    pub created_at: i64,
    /// End time.
    pub finished_at: Option<i64>,
    /// Dataset version after the load.
    pub dataset_version: Option<i64>,
}

/// How an import ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportEnd {
    /// `succeeded`, `rejected` or `failed`.
    pub status: &'static str,
    /// Data rows read.
    pub rows_read: i64,
    /// Orders added.
    pub inserted: i64,
    /// Orders replaced.
    pub updated: i64,
    /// The first problems (JSON).
    pub problems: Option<String>,
    /// Problems beyond those.
    pub more_problems: i64,
    /// One-line outcome.
    pub message: String,
    /// Dataset version after the load.
    pub dataset_version: Option<i64>,
    /// End time (Unix ms).
    pub finished_at: i64,
}

const COLUMNS: &str = "id, file_name, size_bytes, mode, status, rows_read, inserted, updated, \
    problems, more_problems, message, job_id, owner, owner_name, created_at, finished_at, \
    dataset_version";

impl Db {
    /// Records a new import as running; its id.
    pub async fn create_import(
        &self,
        (file_name, size_bytes, mode): (&str, i64, &str),
        (owner, owner_name): (&str, &str),
        now_ms: i64,
    ) -> Result<i64, sqlx::Error> {
        with_pool!(self, pool => {
            sqlx::query_scalar(
                "INSERT INTO imports (file_name, size_bytes, mode, status, owner, owner_name, \
                 created_at) VALUES ($1, $2, $3, 'running', $4, $5, $6) RETURNING id",
            )
            .bind(file_name)
            .bind(size_bytes)
            .bind(mode)
            .bind(owner)
            .bind(owner_name)
            .bind(now_ms)
            .fetch_one(pool)
            .await
        })
    }

    /// Records how far a running import got.
    pub async fn import_progress(&self, id: i64, rows_read: i64) -> Result<(), sqlx::Error> {
        with_pool!(self, pool => {
            sqlx::query("UPDATE imports SET rows_read = $1 WHERE id = $2 AND status = 'running'")
                .bind(rows_read)
                .bind(id)
                .execute(pool)
                .await
                .map(drop)
        })
    }

    /// Records how an import ended.
    pub async fn finish_import(&self, id: i64, end: &ImportEnd) -> Result<(), sqlx::Error> {
        with_pool!(self, pool => {
            sqlx::query(
                "UPDATE imports SET status = $1, rows_read = $2, inserted = $3, updated = $4, \
                 problems = $5, more_problems = $6, message = $7, dataset_version = $8, \
                 finished_at = $9 WHERE id = $10",
            )
            .bind(end.status)
            .bind(end.rows_read)
            .bind(end.inserted)
            .bind(end.updated)
            .bind(end.problems.as_deref())
            .bind(end.more_problems)
            .bind(end.message.as_str())
            .bind(end.dataset_version)
            .bind(end.finished_at)
            .bind(id)
            .execute(pool)
            .await
            .map(drop)
        })
    }

    /// One import.
    pub async fn import(&self, id: i64) -> Result<Option<ImportRow>, sqlx::Error> {
        with_pool!(self, pool => {
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM imports WHERE id = $1"))
                .bind(id)
                .fetch_optional(pool)
                .await
        })
    }

    /// The newest `limit` imports, of `owner` only when given.
    pub async fn list_imports(
        &self,
        owner: Option<&str>,
        limit: i64,
    ) -> Result<Vec<ImportRow>, sqlx::Error> {
        with_pool!(self, pool => {
            sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM imports WHERE (CAST($1 AS TEXT) IS NULL OR owner = $1) \
                 ORDER BY id DESC LIMIT $2"
            ))
            .bind(owner)
            .bind(limit)
            .fetch_all(pool)
            .await
        })
    }
}
