//! Imports as the API shows them, and who may see which.

use std::time::Duration;

use api_types::{ImportMode, ImportStatus, ImportView, Role};

use crate::{
    auth::principal::Principal,
    jobs::{now_ms, owner_key, view::rfc3339_ms},
    storage::{imports::ImportRow, Db},
};

/// The API's view of a stored import.
pub fn import_view(row: ImportRow) -> ImportView {
    ImportView {
        id: row.id,
        file_name: row.file_name,
        size_bytes: row.size_bytes,
        mode: ImportMode::from_code(&row.mode).unwrap_or(ImportMode::Insert),
        status: ImportStatus::from_code(&row.status).unwrap_or(ImportStatus::Failed),
        rows: row.rows_read,
        inserted: row.inserted,
        updated: row.updated,
        problems: row
            .problems
            .as_deref()
            .and_then(|json| serde_json::from_str(json).ok())
            .unwrap_or_default(),
        more_problems: row.more_problems,
        message: row.message,
        job_id: row.job_id,
        created_by: row.owner_name,
        created_at: rfc3339_ms(row.created_at),
        finished_at: row.finished_at.map(rfc3339_ms),
        dataset_version: row.dataset_version,
    }
}

/// Import `id` if `principal` may see it: its uploader, or an admin.
/// `timeout` is `TESSERA_IMPORT_TIMEOUT` (see [`settled`]).
pub async fn visible(
    db: &Db,
    principal: &Principal,
    id: i64,
    timeout: Duration,
) -> Result<Option<ImportView>, sqlx::Error> {
    Ok(db
        .import(id)
        .await?
        .filter(|row| row.owner == owner_key(principal) || principal.role == Role::Admin)
        .map(|row| import_view(settled(row, timeout))))
}

/// The newest imports `principal` may see (admins: everyone's).
pub async fn list(
    db: &Db,
    principal: &Principal,
    timeout: Duration,
) -> Result<Vec<ImportView>, sqlx::Error> {
    let owner = (principal.role != Role::Admin).then(|| owner_key(principal));
    Ok(db
        .list_imports(owner.as_deref(), 100)
        .await?
        .into_iter()
        .map(|row| import_view(settled(row, timeout)))
        .collect())
}

/// An import still marked running past its time limit was cut off by a
/// stopped server: its one transaction rolled back, so it failed and
/// loaded nothing.
fn settled(mut row: ImportRow, timeout: Duration) -> ImportRow {
    let limit = i64::try_from(timeout.as_millis()).unwrap_or(i64::MAX);
    if row.status == "running" && now_ms().saturating_sub(row.created_at) > limit + 60_000 {
        row.status = "failed".into();
        row.message = Some("the server stopped during the import; nothing was loaded".into());
    }
    row
}
