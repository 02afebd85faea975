//! `GET /api/v1/jobs/{id}/events` (Server-Sent Events) and
//! `GET /api/v1/jobs/{id}/download` (the export's file).
//!
//! Events come from the job's row, read every [`EVENT_POLL`]: any instance
//! can serve them, whichever process runs the job. Each event's data is the
//! job as `GET /api/v1/jobs/{id}` shows it: `status` first and on every
//! status change, `progress` when only the progress moved, `done` once it
//! finished (then the stream ends).

use std::{convert::Infallible, time::Duration};

use api_types::JobView;
use axum::{
    body::Body,
    extract::{Path, State},
    http::{header, HeaderValue},
    response::{
        sse::{Event, KeepAlive, Sse},
        IntoResponse, Response,
    },
    Extension,
};
use futures_util::Stream;
use serde_json::json;

use crate::{
    auth::principal::Principal,
    http::{middleware::audit::AuditNote, ApiError, AppState},
    jobs::{self, view::job_view},
    storage::Db,
};

/// How often the stream reads the job's row.
const EVENT_POLL: Duration = Duration::from_millis(250);
/// The longest one stream stays open; the browser's `EventSource`
/// reconnects on its own.
const STREAM_LIMIT: Duration = Duration::from_secs(300);

pub(super) async fn events(
    State(app): State<AppState>,
    Extension(principal): Extension<Principal>,
    note: AuditNote,
    Path(id): Path<String>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    note.read("jobs.events", json!({ "job_id": id }));
    let row = jobs::visible(&app.db, &principal, &id).await?;
    let stream = follow(app.db.clone(), job_view(&row));
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

/// What the stream last sent, and whether it is over.
struct Cursor {
    db: Db,
    last: Option<JobView>,
    ended: bool,
    until: tokio::time::Instant,
}

fn follow(db: Db, first: JobView) -> impl Stream<Item = Result<Event, Infallible>> {
    let start = Cursor {
        db,
        last: None,
        ended: false,
        until: tokio::time::Instant::now() + STREAM_LIMIT,
    };
    futures_util::stream::unfold((start, Some(first)), |(mut cursor, mut next)| async move {
        loop {
            if cursor.ended || tokio::time::Instant::now() >= cursor.until {
                return None;
            }
            let view = match next.take() {
                Some(view) => view,
                None => {
                    tokio::time::sleep(EVENT_POLL).await;
                    let id = cursor
                        .last
                        .as_ref()
                        .map(|v| v.id.clone())
                        .unwrap_or_default();
                    match cursor.db.job(&id).await {
                        Ok(Some(row)) => job_view(&row),
                        // Swept, or the database is away: end; the client retries.
                        Ok(None) | Err(_) => return None,
                    }
                }
            };
            let kind = event_kind(cursor.last.as_ref(), &view);
            cursor.ended = view.status.is_finished();
            cursor.last = Some(view.clone());
            if let Some(kind) = kind {
                let data = serde_json::to_string(&view).unwrap_or_default();
                let event = Event::default().event(kind).data(data);
                return Some((Ok(event), (cursor, None)));
            }
        }
    })
}

/// The event `now` deserves after `before`, if any.
fn event_kind(before: Option<&JobView>, now: &JobView) -> Option<&'static str> {
    match before {
        _ if now.status.is_finished() => Some("done"),
        None => Some("status"),
        Some(before) if before.status != now.status => Some("status"),
        Some(before) if before.progress != now.progress || before.message != now.message => {
            Some("progress")
        }
        Some(_) => None,
    }
}

pub(super) async fn download(
    State(app): State<AppState>,
    Extension(principal): Extension<Principal>,
    note: AuditNote,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    note.security("job.download", json!({ "job_id": id }));
    let (row, path, name) = jobs::download(&app.db, &principal, &id).await?;
    let file = tokio::fs::File::open(&path)
        .await
        .map_err(|_| ApiError::Gone("the export's file is no longer available".into()))?;
    let size = file.metadata().await.map(|m| m.len()).unwrap_or(0);
    note.context(json!({ "job_id": row.id, "file": name, "bytes": size }));
    let content_type = if name.ends_with(".gz") {
        "application/gzip"
    } else {
        "text/csv; charset=utf-8"
    };
    let disposition = format!("attachment; filename=\"{name}\"");
    let body = Body::from_stream(tokio_util::io::ReaderStream::with_capacity(file, 64 * 1024));
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(size));
    // The file is sent as it is: already compressed, or a CSV whose
    // download the browser should be able to show progress for.
    headers.insert(
        header::CONTENT_ENCODING,
        HeaderValue::from_static("identity"),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
