//! Admin: the audit log. `GET /api/v1/admin/audit` (filtered, keyset-paged,
//! newest first) and `GET /api/v1/admin/audit/export` (the filtered rows as
//! streamed CSV; itself audited).

use api_types::{AuditEntry, AuditOutcome, AuditPage, Role};
use axum::{
    body::{Body, Bytes},
    extract::{RawQuery, State},
    http::header,
    response::{IntoResponse, Response},
    Extension, Json,
};
use serde_json::{json, Value};
use time::{format_description::well_known::Rfc3339, OffsetDateTime, Time};

use crate::http::{admin::users::rfc3339, routes::Access, ApiError, ApiRoutes, AppState};
use crate::{
    analytics::params::Params,
    audit::AuditRecord,
    auth::principal::Principal,
    http::middleware::audit::AuditNote,
    storage::{AuditFilter, Db},
};

const ADMIN: Access = Access::AtLeast(Role::Admin);
/// The largest page.
pub const MAX_LIMIT: i64 = 500;
const DEFAULT_LIMIT: i64 = 100;
/// Rows read per query while exporting.
const EXPORT_CHUNK: i64 = 500;
const FILTERS: [&str; 7] = [
    "principal",
    "session",
    "action",
    "outcome",
    "from",
    "to",
    "after",
];

/// Adds the routes (admin only).
pub fn routes(routes: ApiRoutes) -> ApiRoutes {
    routes
        .get("/admin/audit", ADMIN, list)
        .get("/admin/audit/export", ADMIN, export)
}

/// `from`/`to`: an RFC 3339 time, or a day (`to` then means its end).
fn parse_time(raw: &str, end_of_day: bool) -> Result<OffsetDateTime, String> {
    if let Ok(at) = OffsetDateTime::parse(raw, &Rfc3339) {
        return Ok(at);
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let day = time::Date::parse(raw, &format)
        .map_err(|_| "must be an RFC 3339 time or a date as YYYY-MM-DD".to_owned())?;
    let day = if end_of_day {
        day.next_day().ok_or("date out of range")?
    } else {
        day
    };
    Ok(day.with_time(Time::MIDNIGHT).assume_utc())
}

/// Reads the filter parameters.
fn take_filter(params: &mut Params) -> AuditFilter {
    let outcome = params.take_with("outcome", |raw| {
        AuditOutcome::parse(raw).ok_or_else(|| "must be ok, denied or error".to_owned())
    });
    let filter = AuditFilter {
        principal: params.take("principal"),
        session: params.take("session"),
        action: params.take("action"),
        outcome,
        from: params.take_with("from", |raw| parse_time(raw, false)),
        to: params.take_with("to", |raw| parse_time(raw, true)),
        after: params.take_with("after", |raw| {
            raw.parse::<i64>()
                .ok()
                .filter(|id| *id >= 0)
                .ok_or_else(|| "must be an event id".to_owned())
        }),
        not_reads_by: None,
    };
    if let (Some(from), Some(to)) = (filter.from, filter.to) {
        if to <= from {
            params.fail("to", "must be after from");
        }
    }
    filter
}

/// The filter as recorded in the audit row of an export.
fn filter_context(filter: &AuditFilter) -> Value {
    json!({
        "principal": filter.principal,
        "session": filter.session,
        "action": filter.action,
        "outcome": filter.outcome.map(AuditOutcome::as_str),
        "from": filter.from.map(rfc3339),
        "to": filter.to.map(rfc3339),
        "after": filter.after,
    })
}

fn entry(record: AuditRecord) -> AuditEntry {
    let event = record.event;
    AuditEntry {
        id: record.id,
        occurred_at: rfc3339(event.occurred_at),
        session: event.session_hash,
        principal: event.principal,
        role: event.role,
        action: event.action,
        context: event.context,
        outcome: event.outcome,
        status: event.status,
        client_ip: event.client_ip,
        user_agent: event.user_agent,
        request_id: event.request_id,
        hash: record.hash,
    }
}

#[tracing::instrument(skip_all)]
async fn list(
    State(state): State<AppState>,
    Extension(admin): Extension<Principal>,
    note: AuditNote,
    RawQuery(raw): RawQuery,
) -> Result<Json<AuditPage>, ApiError> {
    note.read("audit.list", json!({ "query": raw }));
    let allowed: Vec<&str> = FILTERS
        .iter()
        .chain(&["cursor", "limit"])
        .copied()
        .collect();
    let mut params = Params::parse(raw.as_deref(), &allowed);
    let filter = take_filter(&mut params);
    let cursor = params.take_with("cursor", |raw| {
        raw.parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .ok_or_else(|| "not a cursor from a previous page".to_owned())
    });
    let limit = params
        .take_int("limit", 1, MAX_LIMIT)
        .unwrap_or(DEFAULT_LIMIT);
    let (mut filter, cursor, limit) = params.finish((filter, cursor, limit))?;
    let mut context = filter_context(&filter);
    context["limit"] = limit.into();
    context["cursor"] = cursor.into();
    note.context(context);
    // A page asking for news does not find its own earlier asking.
    if filter.after.is_some() {
        filter.not_reads_by = Some(admin.name.clone());
    }
    let mut records = state.db.audit_page(&filter, cursor, limit + 1).await?;
    let more = records.len() > usize::try_from(limit).unwrap_or(usize::MAX);
    records.truncate(usize::try_from(limit).unwrap_or(0));
    let next_cursor = more
        .then(|| records.last().map(|r| r.id.to_string()))
        .flatten();
    Ok(Json(AuditPage {
        entries: records.into_iter().map(entry).collect(),
        next_cursor,
    }))
}

#[tracing::instrument(skip_all)]
async fn export(
    State(state): State<AppState>,
    note: AuditNote,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    note.security("audit.exported", json!({"query": raw}));
    let mut params = Params::parse(raw.as_deref(), &FILTERS);
    let filter = take_filter(&mut params);
    let filter = params.finish(filter)?;
    note.context(filter_context(&filter));
    // The rows up to now; not this export's own row, nor later ones.
    let up_to = state.db.audit_head().await?.last_id;
    let body = Body::from_stream(csv_stream(state.db.clone(), filter, up_to));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"tessera-audit.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}

const CSV_HEADER: &str = "id,occurred_at,session,principal,role,action,outcome,status,\
client_ip,user_agent,request_id,context,hash\n";

/// The CSV, newest first, read `EXPORT_CHUNK` rows at a time.
fn csv_stream(
    db: Db,
    filter: AuditFilter,
    up_to: i64,
) -> impl futures_util::Stream<Item = Result<Bytes, sqlx::Error>> {
    let start = (Some(up_to + 1), true);
    futures_util::stream::try_unfold(start, move |(before, first)| {
        let (db, filter) = (db.clone(), filter.clone());
        async move {
            let Some(before) = before else {
                return Ok(None);
            };
            let rows = db.audit_page(&filter, Some(before), EXPORT_CHUNK).await?;
            let mut chunk = String::new();
            if first {
                chunk.push_str(CSV_HEADER);
            }
            if rows.is_empty() && !first {
                return Ok(None);
            }
            let next = (rows.len() as i64 == EXPORT_CHUNK)
                .then(|| rows.last().map(|r| r.id))
                .flatten();
            rows.into_iter().for_each(|row| csv_line(&row, &mut chunk));
            Ok(Some((Bytes::from(chunk), (next, false))))
        }
    })
}

fn csv_line(row: &AuditRecord, out: &mut String) {
    let e = &row.event;
    let fields = [
        row.id.to_string(),
        rfc3339(e.occurred_at),
        e.session_hash.clone().unwrap_or_default(),
        e.principal.clone().unwrap_or_default(),
        e.role.map(|r| r.as_str().to_owned()).unwrap_or_default(),
        e.action.clone(),
        e.outcome.as_str().to_owned(),
        e.status.map(|s| s.to_string()).unwrap_or_default(),
        e.client_ip.clone().unwrap_or_default(),
        e.user_agent.clone().unwrap_or_default(),
        e.request_id.clone().unwrap_or_default(),
        crate::audit::chain::canonical_json(&e.context),
        row.hash.clone(),
    ];
    let escaped: Vec<String> = fields.iter().map(|f| crate::audit::csv::field(f)).collect();
    out.push_str(&escaped.join(","));
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_rfc3339_or_whole_days() {
        let day = parse_time("2026-11-25", false).expect("day");
        assert_eq!(rfc3339(day), "2026-11-25T00:00:00Z");
        let end = parse_time("2026-11-25", true).expect("end");
        assert_eq!(rfc3339(end), "2026-11-26T00:00:00Z");
        assert!(parse_time("2026-11-25T10:00:00Z", false).is_ok());
        assert!(parse_time("yesterday", false).is_err());
    }
}
