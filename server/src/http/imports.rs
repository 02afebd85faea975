//! `POST /api/v1/data/imports` (analyst+): a CSV of orders as one
//! multipart field `file`, loaded all or nothing; `GET /api/v1/data/imports`
//! and `GET /api/v1/data/imports/{id}`: past imports (admins see all).
//!
//! The upload streams into a file the server names under the data
//! directory (never the client's name), is checked as it arrives (413 past
//! the size limit, 415 when its first bytes are not text) and is deleted
//! when the import ends. The import itself runs in a task of its own, so a
//! client that disconnects does not cut it in half; an upload larger than
//! `TESSERA_IMPORT_BACKGROUND_ABOVE` is answered `202` at once and loads in
//! the background (its row shows the rows read so far).

use std::path::PathBuf;

use api_types::{ImportList, ImportMode, ImportView, Role};
use axum::{
    extract::{multipart::MultipartRejection, Multipart, Path, RawQuery, State},
    http::StatusCode,
    Extension, Json,
};
use serde_json::json;
use tokio::io::AsyncWriteExt;

use super::{middleware::audit::AuditNote, routes::Access, ApiError, ApiRoutes, AppState};
use crate::{
    analytics::params::Params,
    auth::principal::Principal,
    imports::{self, sniff, Importer, Upload},
    jobs::owner_key,
};

/// Adds the routes (analyst and up).
pub fn routes(routes: ApiRoutes) -> ApiRoutes {
    let analyst = Access::AtLeast(Role::Analyst);
    routes
        .post_upload("/data/imports", analyst, upload)
        .get("/data/imports", analyst, list)
        .get("/data/imports/{id}", analyst, one)
}

async fn upload(
    State(app): State<AppState>,
    Extension(principal): Extension<Principal>,
    note: AuditNote,
    RawQuery(raw): RawQuery,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<ImportView>), ApiError> {
    note.security(imports::IMPORT, json!({ "query": raw }));
    let mut params = Params::parse(raw.as_deref(), &["mode"]);
    let mode = params.take_code(
        "mode",
        ImportMode::from_code,
        ImportMode::ALL,
        ImportMode::code,
    );
    let mode = params.finish(mode.unwrap_or(ImportMode::Insert))?;
    let multipart = multipart.map_err(|_| {
        ApiError::UnsupportedMediaType(
            "send the CSV as multipart/form-data with one file field named 'file'".into(),
        )
    })?;
    let dir = app.config.data_dir.join("imports");
    let upload = receive(multipart, dir, app.config.imports.max_bytes).await?;
    let file = TempFile(upload.path.clone());
    let who = Importer {
        key: &owner_key(&principal),
        name: &principal.name,
    };
    let started = imports::start(&app.db, &upload, mode, who).await?;
    note.context(started.audit.clone());
    let id = started.id;
    // Its own task: a client that goes away does not stop a load midway.
    let work = app.clone();
    let timeout = app.config.imports.timeout;
    let background =
        upload.size > i64::try_from(app.config.imports.background_above).unwrap_or(i64::MAX);
    let task = tokio::spawn(async move {
        let outcome =
            imports::run(&work.db, &work.analytics, (&upload, mode), started, timeout).await;
        drop(file);
        outcome
    });
    if background {
        // 202 now; the end is recorded as its own audit row.
        let late = note.snapshot(imports::FINISHED);
        let work = app.clone();
        tokio::spawn(async move {
            let Ok((result, audit)) = task.await else {
                return;
            };
            if let Some(mut event) = late {
                event.context = audit.context;
                event.status = None;
                if result.is_err() {
                    event.outcome = api_types::AuditOutcome::Error;
                }
                if let Err(error) = work.audit.record_durable(event).await {
                    tracing::error!(%error, "an import's end not confirmed durable in the audit log");
                }
            }
        });
        let view = imports::visible(&app.db, &principal, id, timeout).await?;
        let view =
            view.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("import {id} vanished")))?;
        return Ok((StatusCode::ACCEPTED, Json(view)));
    }
    let (result, audit) = task.await.map_err(|e| ApiError::Internal(e.into()))?;
    note.context(audit.context);
    Ok((StatusCode::CREATED, Json(result?)))
}

/// Streams the one `file` field to a new file in `dir`.
async fn receive(
    mut multipart: Multipart,
    dir: PathBuf,
    max_bytes: usize,
) -> Result<Upload, ApiError> {
    let bad = |m: &str| ApiError::BadRequest(m.to_owned());
    let field = multipart
        .next_field()
        .await
        .map_err(|e| field_error(&e))?
        .ok_or_else(|| bad("send the CSV as a multipart field named 'file'"))?;
    if field.name() != Some("file") {
        return Err(bad("the multipart field must be named 'file'"));
    }
    let file_name = field
        .file_name()
        .map(|n| crate::audit::clean::text(n, 200).into_owned())
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "upload.csv".into());
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(|e| ApiError::Internal(e.into()))?;
    let path = dir.join(format!("{}.upload", uuid::Uuid::new_v4().simple()));
    let guard = TempFile(path.clone());
    let mut out = tokio::fs::File::create(&path)
        .await
        .map_err(|e| ApiError::Internal(e.into()))?;
    let (mut size, mut field) = (0_usize, field);
    while let Some(chunk) = field.chunk().await.map_err(|e| field_error(&e))? {
        if size == 0 {
            sniff::sniff(&chunk).map_err(ApiError::UnsupportedMediaType)?;
        }
        size += chunk.len();
        if size > max_bytes {
            return Err(too_large(max_bytes));
        }
        out.write_all(&chunk)
            .await
            .map_err(|e| ApiError::Internal(e.into()))?;
    }
    out.flush()
        .await
        .map_err(|e| ApiError::Internal(e.into()))?;
    drop(field);
    if multipart
        .next_field()
        .await
        .map_err(|e| field_error(&e))?
        .is_some()
    {
        return Err(bad("send exactly one file per import"));
    }
    if size == 0 {
        return Err(bad("the file is empty"));
    }
    std::mem::forget(guard);
    Ok(Upload {
        path,
        file_name,
        size: i64::try_from(size).unwrap_or(i64::MAX),
    })
}

fn too_large(max_bytes: usize) -> ApiError {
    ApiError::PayloadTooLarge(format!(
        "the file is larger than the {} MB an import may be (TESSERA_IMPORT_MAX_BYTES)",
        max_bytes >> 20
    ))
}

/// A multipart error: the body limit (413), or a malformed body (400).
fn field_error(error: &axum::extract::multipart::MultipartError) -> ApiError {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge("the request body is too large".into())
    } else {
        ApiError::BadRequest("the multipart body could not be read".into())
    }
}

/// Deletes the upload when dropped.
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

async fn list(
    State(app): State<AppState>,
    Extension(principal): Extension<Principal>,
    note: AuditNote,
) -> Result<Json<ImportList>, ApiError> {
    note.read("data.imports", json!({}));
    let imports = imports::list(&app.db, &principal, app.config.imports.timeout).await?;
    Ok(Json(ImportList { imports }))
}

async fn one(
    State(app): State<AppState>,
    Extension(principal): Extension<Principal>,
    note: AuditNote,
    Path(id): Path<String>,
) -> Result<Json<ImportView>, ApiError> {
    note.read(
        "data.import.view",
        json!({ "import_id": crate::audit::clean::text(&id, 32) }),
    );
    let not_found = || ApiError::NotFound("no import with that id".into());
    let id: i64 = id.parse().map_err(|_| not_found())?;
    imports::visible(&app.db, &principal, id, app.config.imports.timeout)
        .await?
        .map(Json)
        .ok_or_else(not_found)
}
