//! `audit_log` and `audit_head`: the row ([`row`]), the hash chain that
//! links rows ([`chain`]), appending ([`append`]), filtered keyset reads,
//! the chain walk for verify, and the one way to remove rows (purge).
//! There is no update path.

use api_types::{AuditOutcome, Role};
use serde_json::Value;
use time::{macros::format_description, OffsetDateTime, UtcOffset};

pub mod append;
pub mod chain;
pub mod file;
mod postgres;
pub mod row;
pub mod sqlite;

pub use self::{
    append::AuditAppender,
    row::{now_micros, AuditEvent, AuditRecord, COLUMNS},
};
use super::{with_pool, Backend, Db};
use append::append_in;

/// Which rows to read; every field narrows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Exactly this principal.
    pub principal: Option<String>,
    /// Exactly this session hash.
    pub session: Option<String>,
    /// Exactly this action.
    pub action: Option<String>,
    /// Exactly this outcome.
    pub outcome: Option<AuditOutcome>,
    /// At or after this time.
    pub from: Option<OffsetDateTime>,
    /// Before this time.
    pub to: Option<OffsetDateTime>,
    /// Only rows appended after the row with this id (newer rows).
    pub after: Option<i64>,
    /// Leaves out this principal's own reads of the log (`audit.list`).
    pub not_reads_by: Option<String>,
}

/// The chain's head: last id and hash, and the anchor the first row follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditHead {
    /// Id of the last row appended (0 before the first).
    pub last_id: i64,
    /// Hash of that row.
    pub last_hash: String,
    /// Predecessor hash of the first row kept.
    pub anchor_hash: String,
}

/// [`COLUMNS`] as read back (the context as text on both backends).
const READ_COLUMNS: &str = "id, occurred_at, session_hash, principal, role, action, \
    CAST(context AS TEXT) AS context, outcome, status, client_ip, user_agent, request_id, \
    prev_hash, hash";

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: i64,
    occurred_at: OffsetDateTime,
    session_hash: Option<String>,
    principal: Option<String>,
    role: Option<String>,
    action: String,
    context: String,
    outcome: String,
    status: Option<i32>,
    client_ip: Option<String>,
    user_agent: Option<String>,
    request_id: Option<String>,
    prev_hash: String,
    hash: String,
}

impl From<AuditRow> for AuditRecord {
    /// Values the application would never write (a role or outcome edited
    /// by hand) are read as their nearest value; the hash then tells.
    fn from(row: AuditRow) -> Self {
        AuditRecord {
            id: row.id,
            event: AuditEvent {
                occurred_at: row.occurred_at,
                session_hash: row.session_hash,
                principal: row.principal,
                role: row.role.and_then(|r| Role::parse(&r).ok()),
                action: row.action,
                context: serde_json::from_str(&row.context).unwrap_or(Value::String(row.context)),
                outcome: AuditOutcome::parse(&row.outcome).unwrap_or(AuditOutcome::Error),
                status: row.status.and_then(|s| u16::try_from(s).ok()),
                client_ip: row.client_ip,
                user_agent: row.user_agent,
                request_id: row.request_id,
            },
            prev_hash: row.prev_hash,
            hash: row.hash,
        }
    }
}

/// A time as stored on SQLite (RFC 3339, UTC, six fraction digits, so that
/// text order is time order) and as cast to `TIMESTAMPTZ` on PostgreSQL.
pub fn db_time(at: OffsetDateTime) -> String {
    let format =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");
    at.to_offset(UtcOffset::UTC)
        .format(&format)
        .unwrap_or_default()
}

/// Placeholder `$n` for a time (`pg`: cast from text).
fn time_param(pg: bool, n: usize) -> String {
    if pg {
        format!("CAST(${n} AS TIMESTAMPTZ)")
    } else {
        format!("${n}")
    }
}

/// A value bound to a filter placeholder.
enum Bind {
    Text(String),
    Int(i64),
}

/// `WHERE …` for `filter`, rows below `before_id`, and its bind values.
fn where_clause(filter: &AuditFilter, pg: bool, before_id: Option<i64>) -> (String, Vec<Bind>) {
    let mut conditions = Vec::new();
    let mut binds = Vec::new();
    let mut text = |column: &str, value: &Option<String>, binds: &mut Vec<Bind>| {
        if let Some(value) = value {
            binds.push(Bind::Text(value.clone()));
            conditions.push(format!("{column} = ${}", binds.len()));
        }
    };
    text("principal", &filter.principal, &mut binds);
    text("session_hash", &filter.session, &mut binds);
    text("action", &filter.action, &mut binds);
    text(
        "outcome",
        &filter.outcome.map(|o| o.as_str().to_owned()),
        &mut binds,
    );
    for (op, at) in [(">=", filter.from), ("<", filter.to)] {
        if let Some(at) = at {
            binds.push(Bind::Text(db_time(at)));
            conditions.push(format!("occurred_at {op} {}", time_param(pg, binds.len())));
        }
    }
    if let Some(principal) = &filter.not_reads_by {
        binds.push(Bind::Text(principal.clone()));
        conditions.push(format!(
            "NOT (action = 'audit.list' AND principal IS NOT NULL AND principal = ${})",
            binds.len()
        ));
    }
    if let Some(id) = filter.after {
        binds.push(Bind::Int(id));
        conditions.push(format!("id > ${}", binds.len()));
    }
    if let Some(id) = before_id {
        binds.push(Bind::Int(id));
        conditions.push(format!("id < ${}", binds.len()));
    }
    let sql = if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    };
    (sql, binds)
}

impl Db {
    fn is_pg(&self) -> bool {
        self.backend() == Backend::Postgres
    }

    /// Appends `events` to the chain in one transaction (`COPY` on
    /// PostgreSQL). On SQLite the writer appends through a connection of its
    /// own to the audit file; this path serves an in-memory database.
    pub async fn append_audit(&self, events: &[AuditEvent]) -> Result<(), sqlx::Error> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            append_in!(tx, events);
            tx.commit().await
        })
    }

    /// Up to `limit` rows matching `filter`, newest first, below `before_id`.
    pub async fn audit_page(
        &self,
        filter: &AuditFilter,
        before_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditRecord>, sqlx::Error> {
        let (conditions, binds) = where_clause(filter, self.is_pg(), before_id);
        let sql = format!(
            "SELECT {READ_COLUMNS} FROM audit_log{conditions} ORDER BY id DESC LIMIT {}",
            limit.clamp(1, 10_000)
        );
        let rows: Vec<AuditRow> = with_pool!(self, pool => {
            let mut query = sqlx::query_as(&sql);
            for bind in binds {
                query = match bind {
                    Bind::Text(value) => query.bind(value),
                    Bind::Int(value) => query.bind(value),
                };
            }
            query.fetch_all(pool).await
        })?;
        Ok(rows.into_iter().map(AuditRecord::from).collect())
    }

    /// The chain's head.
    pub async fn audit_head(&self) -> Result<AuditHead, sqlx::Error> {
        let (last_id, last_hash, anchor_hash): (i64, String, String) = with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT last_id, last_hash, anchor_hash FROM audit_head WHERE singleton = 1",
            )
            .fetch_one(pool)
            .await
        })?;
        Ok(AuditHead {
            last_id,
            last_hash,
            anchor_hash,
        })
    }

    /// How many rows the log holds.
    pub async fn audit_count(&self) -> Result<i64, sqlx::Error> {
        with_pool!(self, pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM audit_log").fetch_one(pool).await
        })
    }

    /// Up to `limit` rows with ids in `after_id + 1 ..= up_to`, in id order.
    pub async fn audit_rows(
        &self,
        after_id: i64,
        up_to: i64,
        limit: i64,
    ) -> Result<Vec<AuditRecord>, sqlx::Error> {
        let sql = format!(
            "SELECT {READ_COLUMNS} FROM audit_log WHERE id > $1 AND id <= $2 ORDER BY id LIMIT $3"
        );
        let rows: Vec<AuditRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(after_id).bind(up_to).bind(limit).fetch_all(pool).await
        })?;
        Ok(rows.into_iter().map(AuditRecord::from).collect())
    }

    /// Removes the rows before the first one that occurred at or after
    /// `before`, keeps the chain verifiable by storing the first kept row's
    /// predecessor hash as the anchor, and appends `event` (its context
    /// gains `removed`) in the same transaction. Returns the rows removed.
    pub async fn purge_audit(
        &self,
        before: OffsetDateTime,
        mut event: AuditEvent,
    ) -> Result<u64, sqlx::Error> {
        let pg = self.is_pg();
        let first_kept = format!(
            "SELECT id, prev_hash FROM audit_log WHERE occurred_at >= {} ORDER BY id LIMIT 1",
            time_param(pg, 1)
        );
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let (last_hash,): (String,) = sqlx::query_as(
                "UPDATE audit_head SET last_id = last_id WHERE singleton = 1 RETURNING last_hash",
            )
            .fetch_one(&mut *tx)
            .await?;
            if pg {
                // The append-only trigger lets this transaction's deletes through.
                sqlx::query("SET LOCAL tessera.audit_purge = 'on'")
                    .execute(&mut *tx)
                    .await?;
            }
            let kept: Option<(i64, String)> = sqlx::query_as(&first_kept)
                .bind(db_time(before))
                .fetch_optional(&mut *tx)
                .await?;
            let (cut, anchor) = kept.unwrap_or((i64::MAX, last_hash));
            let removed = sqlx::query("DELETE FROM audit_log WHERE id < $1")
                .bind(cut)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            sqlx::query("UPDATE audit_head SET anchor_hash = $1 WHERE singleton = 1")
                .bind(&anchor)
                .execute(&mut *tx)
                .await?;
            if let Value::Object(map) = &mut event.context {
                map.insert("removed".into(), removed.into());
            }
            append_in!(tx, std::slice::from_ref(&event));
            tx.commit().await?;
            Ok(removed)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_times_sort_as_text() {
        let at = time::macros::datetime!(2026-11-25 14:00:00.5 UTC);
        assert_eq!(db_time(at), "2026-11-25T14:00:00.500000Z");
        let whole = time::macros::datetime!(2026-11-25 14:00:00 UTC);
        assert!(db_time(whole) < db_time(at));
    }
}
