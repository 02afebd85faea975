//! CSV imports of orders: `POST /api/v1/data/imports` and `tessera import`.
//!
//! A file is loaded all or nothing: its rows are checked as they are read
//! and staged in one transaction ([`crate::storage::staging`]); the first
//! problem stops the staging (the rest of the file is still checked, so
//! the report lists up to 100 problems and counts the others), and only a
//! clean file is merged and committed. The upload lives in a file the
//! server named, deleted when the import ends. Afterwards the rollups
//! catch up (the incremental refresh) and the dataset version moves on.

pub mod cells;
mod file;
pub mod read;
pub mod sniff;
mod view;

use std::path::PathBuf;

use api_types::{ImportMode, ImportView, RowProblem};
use serde_json::json;

use self::read::HeaderError;
pub use self::view::{import_view, list, visible};
use crate::{
    analytics::{refresh, Analytics},
    audit::AuditDescription,
    jobs::now_ms,
    storage::{
        imports::ImportEnd,
        staging::{MergeOptions, Refusal, StagedOrder},
        Db,
    },
};

/// The audit action of an import.
pub const IMPORT: &str = "data.import";
/// The end of an import that loaded in the background.
pub const FINISHED: &str = "data.import.finished";
/// Rows per staged batch.
const BATCH: usize = 5_000;

/// An upload, in a file the server named.
#[derive(Debug, Clone)]
pub struct Upload {
    /// Where it is (never a name the client chose).
    pub path: PathBuf,
    /// The name the client gave (shown and audited only).
    pub file_name: String,
    /// Bytes.
    pub size: i64,
}

/// Who is importing: principal key and name.
#[derive(Debug, Clone, Copy)]
pub struct Importer<'a> {
    /// e.g. `user:3`, or `cli`.
    pub key: &'a str,
    /// Shown in the list of imports.
    pub name: &'a str,
}

/// Why an import loaded nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The upload is not CSV text (415).
    #[error("{0}")]
    NotText(String),
    /// The header cannot be used (400).
    #[error("{0}")]
    Header(#[from] HeaderError),
    /// Rows have problems (422).
    #[error("{} problem{} in the file; nothing was loaded", .problems.len() as i64 + .more, if .problems.len() as i64 + .more == 1 { "" } else { "s" })]
    Rows {
        /// The first problems.
        problems: Vec<RowProblem>,
        /// How many more.
        more: i64,
    },
    /// Order ids already in the warehouse, without upsert (409).
    #[error("{count} order id{} already in the warehouse; nothing was loaded (import with mode=upsert to replace them)", if *.count == 1 { " is" } else { "s are" })]
    Present {
        /// The first of them, by line.
        problems: Vec<RowProblem>,
        /// How many in all.
        count: i64,
    },
    /// The load took longer than `TESSERA_IMPORT_TIMEOUT` (nothing loaded).
    #[error("the import took longer than TESSERA_IMPORT_TIMEOUT allows; nothing was loaded")]
    TimedOut,
    /// The database failed (500).
    #[error("storage failed during the import")]
    Storage(#[from] sqlx::Error),
    /// The file could not be read back (500).
    #[error("the upload could not be read: {0}")]
    Io(#[from] std::io::Error),
}

/// An import recorded and about to load: its id and its audit context so far.
#[derive(Debug, Clone)]
pub struct Started {
    /// The import's id.
    pub id: i64,
    /// File name, size, mode and id.
    pub audit: serde_json::Value,
}

/// Records an import of `upload` as running.
pub async fn start(
    db: &Db,
    upload: &Upload,
    mode: ImportMode,
    who: Importer<'_>,
) -> Result<Started, ImportError> {
    let id = db
        .create_import(
            (&upload.file_name, upload.size, mode.code()),
            (who.key, who.name),
            now_ms(),
        )
        .await?;
    let audit = json!({
        "import_id": id,
        "file_name": crate::audit::clean::text(&upload.file_name, 200),
        "size_bytes": upload.size,
        "mode": mode.code(),
    });
    Ok(Started { id, audit })
}

/// Loads a started import all or nothing, refreshes the rollups and
/// records the outcome; the audit row's description comes with either
/// result. Past `timeout` the load is abandoned (rolled back) and the
/// import fails.
pub async fn run(
    db: &Db,
    analytics: &Analytics,
    (upload, mode): (&Upload, ImportMode),
    started: Started,
    timeout: std::time::Duration,
) -> (Result<ImportView, ImportError>, AuditDescription) {
    let Started { id, mut audit } = started;
    let (result, rows) = tokio::time::timeout(timeout, load(db, analytics, upload, mode, id))
        .await
        .unwrap_or_else(|_| (Err(ImportError::TimedOut), 0));
    let end = ending(&result, rows, analytics.dataset.current().version);
    audit["rows"] = rows.into();
    audit["outcome"] = end.status.into();
    if let Ok((inserted, updated)) = &result {
        audit["inserted"] = (*inserted).into();
        audit["updated"] = (*updated).into();
    }
    if let Err(error) = db.finish_import(id, &end).await {
        tracing::error!(%error, import = id, "could not record how an import ended");
    }
    let description = AuditDescription::new(IMPORT, audit);
    let result = match result {
        Ok(_) => match db.import(id).await {
            Ok(Some(row)) => Ok(import_view(row)),
            Ok(None) => Err(sqlx::Error::RowNotFound.into()),
            Err(error) => Err(error.into()),
        },
        Err(error) => Err(error),
    };
    (result, description)
}

/// [`start`] then [`run`]: the command line's import.
pub async fn import(
    db: &Db,
    analytics: &Analytics,
    (upload, mode): (&Upload, ImportMode),
    who: Importer<'_>,
    timeout: std::time::Duration,
) -> (Result<ImportView, ImportError>, AuditDescription) {
    match start(db, upload, mode, who).await {
        Ok(started) => run(db, analytics, (upload, mode), started, timeout).await,
        Err(error) => (
            Err(error),
            AuditDescription::new(IMPORT, json!({ "file_name": upload.file_name })),
        ),
    }
}

/// Reads, stages and merges the file, then refreshes: (inserted,
/// updated), and the data rows read.
async fn load(
    db: &Db,
    analytics: &Analytics,
    upload: &Upload,
    mode: ImportMode,
    id: i64,
) -> (Result<(i64, i64), ImportError>, i64) {
    let version = analytics.dataset.current().version;
    let catalog = match analytics.dimensions.at(db, version).await {
        Ok(catalog) => catalog,
        Err(error) => return (Err(error.into()), 0),
    };
    let started = std::time::Instant::now();
    let (tx, mut batches) = tokio::sync::mpsc::channel::<(Vec<StagedOrder>, i64)>(4);
    let path = upload.path.clone();
    let reader = tokio::task::spawn_blocking(move || file::read_file(&path, &catalog, tx));
    let mut staging = match db.begin_staging().await {
        Ok(staging) => Some(staging),
        Err(error) => return (Err(error.into()), 0),
    };
    let mut failed = None;
    let mut last_progress = std::time::Instant::now();
    while let Some((batch, read_so_far)) = batches.recv().await {
        if let (Some(open), None) = (staging.as_mut(), &failed) {
            if let Err(error) = open.push(&batch).await {
                failed = Some(error);
            }
        }
        if last_progress.elapsed() > std::time::Duration::from_millis(500) {
            last_progress = std::time::Instant::now();
            let _ = db.import_progress(id, read_so_far).await;
        }
    }
    let (rows, outcome) = match reader.await {
        Ok(done) => done,
        Err(_) => (0, Err(std::io::Error::other("the reader stopped").into())),
    };
    if let Some(error) = failed {
        return (Err(error.into()), rows);
    }
    if let Err(error) = outcome {
        return (Err(error), rows);
    }
    let Some(staging) = staging.take() else {
        return (Ok((0, 0)), rows);
    };
    let options = MergeOptions {
        upsert: mode == ImportMode::Upsert,
        exact_customers: analytics.dataset.exact_customers(),
        source: None,
    };
    let staged = started.elapsed();
    let merged = match staging.merge(options).await {
        Ok(Ok(merged)) => merged,
        Ok(Err(refusal)) => return (Err(refused(refusal)), rows),
        Err(error) => return (Err(error.into()), rows),
    };
    let committed = started.elapsed();
    if let Err(error) = refresh::refresh(db, &analytics.dataset, |_| {}).await {
        // The orders are in; the next refresh rolls them up.
        tracing::error!(%error, "the refresh after an import failed");
    }
    let ms = |d: std::time::Duration| d.as_millis();
    tracing::info!(
        rows,
        read_and_stage_ms = ms(staged),
        merge_ms = ms(committed - staged),
        roll_up_ms = ms(started.elapsed() - committed),
        "import loaded"
    );
    (Ok((merged.inserted, merged.updated)), rows)
}

fn refused(refusal: Refusal) -> ImportError {
    match refusal {
        Refusal::Repeated(rows, count) => ImportError::Rows {
            more: count - rows.len() as i64,
            problems: rows
                .into_iter()
                .map(|(line, id, first)| {
                    problem(line, id, format!("repeats the id of line {first}"))
                })
                .collect(),
        },
        Refusal::Present(rows, count) => ImportError::Present {
            count,
            problems: rows
                .into_iter()
                .map(|(line, id)| problem(line, id, "is already in the warehouse".into()))
                .collect(),
        },
    }
}

fn problem(line: i64, id: i64, message: String) -> RowProblem {
    RowProblem {
        line: u64::try_from(line).unwrap_or(0),
        column: Some("id".into()),
        value: Some(id.to_string()),
        message,
    }
}

/// How the import row ends, from the result.
fn ending(result: &Result<(i64, i64), ImportError>, rows: i64, version: i64) -> ImportEnd {
    let mut end = ImportEnd {
        status: "succeeded",
        rows_read: rows,
        inserted: 0,
        updated: 0,
        problems: None,
        more_problems: 0,
        message: String::new(),
        dataset_version: None,
        finished_at: now_ms(),
    };
    match result {
        Ok((inserted, updated)) => {
            end.inserted = *inserted;
            end.updated = *updated;
            end.dataset_version = Some(version);
            end.message = format!("{inserted} orders added, {updated} replaced");
        }
        Err(error) => {
            let internal = matches!(
                error,
                ImportError::Storage(_) | ImportError::Io(_) | ImportError::TimedOut
            );
            end.status = if internal { "failed" } else { "rejected" };
            end.message = if internal && !matches!(error, ImportError::TimedOut) {
                "the import failed on the server; nothing was loaded".into()
            } else {
                error.to_string()
            };
            let (problems, more) = match error {
                ImportError::Rows { problems, more } => (problems.as_slice(), *more),
                ImportError::Present { problems, count } => {
                    (problems.as_slice(), count - problems.len() as i64)
                }
                _ => (&[][..], 0),
            };
            if !problems.is_empty() {
                end.problems = serde_json::to_string(problems).ok();
                end.more_problems = more;
            }
        }
    }
    end
}
