//! A job as the API shows it.

use api_types::{ExportFormat, ExportParams, JobKind, JobStatus, JobView};

use super::now_ms;
use crate::storage::jobs::JobRow;

/// Unix milliseconds as RFC 3339 (UTC, millisecond precision).
pub fn rfc3339_ms(ms: i64) -> String {
    let nanos = i128::from(ms) * 1_000_000;
    time::OffsetDateTime::from_unix_timestamp_nanos(nanos)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// The row as the API shows it.
pub fn job_view(row: &JobRow) -> JobView {
    let kind = JobKind::from_code(&row.kind).unwrap_or(JobKind::Export);
    let status = JobStatus::from_code(&row.status).unwrap_or(JobStatus::Failed);
    let parse = |text: &str| serde_json::from_str(text).unwrap_or(serde_json::Value::Null);
    let downloadable = kind == JobKind::Export
        && status == JobStatus::Succeeded
        && row.file_path.is_some()
        && row.file_expires_at.is_some_and(|at| at > now_ms());
    JobView {
        id: row.id.clone(),
        kind,
        params: parse(&row.params),
        owner: row.owner_name.clone(),
        status,
        progress: u8::try_from(row.progress.clamp(0, 100)).unwrap_or(0),
        message: row.message.clone(),
        attempts: u32::try_from(row.attempts).unwrap_or(0),
        dataset_version: row.dataset_version,
        created_at: rfc3339_ms(row.created_at),
        started_at: row.started_at.map(rfc3339_ms),
        finished_at: row.finished_at.map(rfc3339_ms),
        error: row.error.clone(),
        result: row.result.as_deref().map(parse),
        downloadable,
        download_expires_at: row.file_expires_at.map(rfc3339_ms),
    }
}

/// The name an export's file is offered under, e.g.
/// `tessera-orders-2026-01-01-to-2026-03-31.csv.gz`.
pub fn file_name(row: &JobRow) -> String {
    let params: Option<ExportParams> = serde_json::from_str(&row.params).ok();
    match params {
        Some(p) => format!(
            "tessera-orders-{}-to-{}.{}",
            p.from,
            p.to,
            extension(p.format)
        ),
        None => "tessera-orders.csv".into(),
    }
}

/// The file extension of a format.
pub fn extension(format: ExportFormat) -> &'static str {
    match format {
        ExportFormat::Csv => "csv",
        ExportFormat::CsvGz => "csv.gz",
    }
}
