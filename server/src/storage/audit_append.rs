//! Appending to the audit chain through the pool: each batch takes the
//! head's row lock (so writers on every instance append one after the
//! other), links its rows to the head, and inserts them with one statement
//! whose single parameter is the rows as a JSON array, unpacked by the
//! database itself. Only a purge, which records itself in its own
//! transaction, comes this way: the writer appends with `COPY` on
//! PostgreSQL ([`super::audit_pg`]) and through a connection of its own on
//! SQLite ([`super::audit_sqlite`]).
//!
//! Measured with `cargo bench -p server --bench audit` on SQLite: multi-row
//! `INSERT … VALUES` statements of fixed sizes, prepared once and reused,
//! cost far more (on/off 0.75 against 0.90–0.92 for this), because sqlx
//! binds 14 parameters per row one by one; unpacking the JSON costs SQLite
//! about 3 µs per row.

use app::api::Role;

use super::audit::db_time;
use crate::audit::{
    chain::{canonical_json, row_hash_with},
    AuditEvent,
};

const COLUMNS: &str = "id, occurred_at, session_hash, principal, role, action, context, \
    outcome, status, client_ip, user_agent, request_id, prev_hash, hash";

/// The `INSERT` taking the rows of [`rows_json`] as `$1`.
pub fn insert_sql(pg: bool) -> String {
    if pg {
        format!(
            "INSERT INTO audit_log ({COLUMNS}) \
             SELECT CAST(r.v ->> 0 AS BIGINT), CAST(r.v ->> 1 AS TIMESTAMPTZ), r.v ->> 2, \
             r.v ->> 3, r.v ->> 4, r.v ->> 5, CAST(r.v ->> 6 AS JSONB), r.v ->> 7, \
             CAST(r.v ->> 8 AS INTEGER), r.v ->> 9, r.v ->> 10, r.v ->> 11, r.v ->> 12, \
             r.v ->> 13 \
             FROM jsonb_array_elements(CAST($1 AS JSONB)) WITH ORDINALITY AS r(v, n) \
             ORDER BY r.n"
        )
    } else {
        format!(
            "INSERT INTO audit_log ({COLUMNS}) \
             SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, \
             value ->> 5, value ->> 6, value ->> 7, value ->> 8, value ->> 9, value ->> 10, \
             value ->> 11, value ->> 12, value ->> 13 \
             FROM json_each($1) ORDER BY key"
        )
    }
}

/// One event's place in the chain.
pub struct Link {
    /// Its id.
    pub id: i64,
    /// The predecessor's hash.
    pub prev: String,
    /// Its own hash.
    pub hash: String,
    /// Its context as canonical JSON (hashed and stored as this text).
    pub context: String,
}

/// Each event's id, predecessor hash and hash, following the head.
pub fn link(events: &[AuditEvent], last_id: i64, last_hash: String) -> Vec<Link> {
    let mut prev = last_hash;
    (1..)
        .zip(events)
        .map(|(offset, event)| {
            let id = last_id + offset;
            let context = canonical_json(&event.context);
            let hash = row_hash_with(id, event, &context, &prev);
            Link {
                id,
                prev: std::mem::replace(&mut prev, hash.clone()),
                hash,
                context,
            }
        })
        .collect()
}

/// The rows as one JSON array, each row an array in column order (the
/// context as its canonical JSON text), serialized without building values.
pub fn rows_json(events: &[AuditEvent], links: &[Link]) -> String {
    let rows: Vec<_> = events
        .iter()
        .zip(links)
        .map(|(event, link)| {
            (
                link.id,
                db_time(event.occurred_at),
                &event.session_hash,
                &event.principal,
                event.role.map(Role::as_str),
                &event.action,
                &link.context,
                event.outcome.as_str(),
                event.status,
                &event.client_ip,
                &event.user_agent,
                &event.request_id,
                &link.prev,
                &link.hash,
            )
        })
        .collect();
    serde_json::to_string(&rows).expect("rows serialize to JSON")
}

/// Appends `$events` in transaction `$tx` (`$pg`: on PostgreSQL).
macro_rules! append_in {
    ($tx:expr, $pg:expr, $events:expr) => {{
        use $crate::storage::audit_append::{insert_sql, link, rows_json};
        let events: &[$crate::audit::AuditEvent] = $events;
        let (last_id, last_hash): (i64, String) = sqlx::query_as(
            "UPDATE audit_head SET last_id = last_id WHERE singleton = 1 \
             RETURNING last_id, last_hash",
        )
        .fetch_one(&mut *$tx)
        .await?;
        let links = link(events, last_id, last_hash);
        if let Some(last) = links.last() {
            sqlx::query(&insert_sql($pg))
                .bind(rows_json(events, &links))
                .execute(&mut *$tx)
                .await?;
            sqlx::query("UPDATE audit_head SET last_id = $1, last_hash = $2 WHERE singleton = 1")
                .bind(last.id)
                .bind(&last.hash)
                .execute(&mut *$tx)
                .await?;
        }
    }};
}
pub(super) use append_in;
