//! Appending to the audit chain in a transaction: each batch takes the
//! head's row lock (so writers on every instance append one after the
//! other), links its rows to the head, inserts them ([`InsertRows`]: `COPY`
//! on PostgreSQL, see [`super::audit_pg`]) and advances the head. The
//! writer comes this way on PostgreSQL, a purge (which records itself in
//! its own transaction) on both; on SQLite the writer appends through a
//! connection of its own ([`super::audit_sqlite`]).
//!
//! On SQLite the rows go in with one statement whose single parameter is
//! the rows as a JSON array, unpacked by the database itself. Measured with
//! `cargo bench -p server --bench audit` on SQLite: multi-row
//! `INSERT … VALUES` statements of fixed sizes, prepared once and reused,
//! cost far more (on/off 0.75 against 0.90–0.92 for this), because sqlx
//! binds 14 parameters per row one by one; unpacking the JSON costs SQLite
//! about 3 µs per row.

use app::api::Role;
use sqlx::SqliteConnection;

use super::audit::db_time;
use crate::audit::{
    chain::{canonical_json, row_hash_with},
    AuditEvent,
};

/// The `INSERT` taking the rows of [`rows_json`] as `$1` (SQLite).
const INSERT_JSON: &str = "INSERT INTO audit_log (id, occurred_at, session_hash, principal, \
    role, action, context, outcome, status, client_ip, user_agent, request_id, prev_hash, hash) \
    SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, \
    value ->> 6, value ->> 7, value ->> 8, value ->> 9, value ->> 10, value ->> 11, \
    value ->> 12, value ->> 13 \
    FROM json_each($1) ORDER BY key";

/// Inserts linked rows on one backend's connection.
pub(super) trait InsertRows {
    /// Inserts `events` at their `links` (already in the chain's order).
    async fn insert_rows(
        &mut self,
        events: &[AuditEvent],
        links: &[Link],
    ) -> Result<(), sqlx::Error>;
}

impl InsertRows for SqliteConnection {
    async fn insert_rows(
        &mut self,
        events: &[AuditEvent],
        links: &[Link],
    ) -> Result<(), sqlx::Error> {
        sqlx::query(INSERT_JSON)
            .bind(rows_json(events, links))
            .execute(self)
            .await
            .map(drop)
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
fn rows_json(events: &[AuditEvent], links: &[Link]) -> String {
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

/// Appends `$events` in transaction `$tx` (of either backend).
macro_rules! append_in {
    ($tx:expr, $events:expr) => {{
        use $crate::storage::audit_append::{link, InsertRows as _};
        let events: &[$crate::audit::AuditEvent] = $events;
        let (last_id, last_hash): (i64, String) = sqlx::query_as(
            "UPDATE audit_head SET last_id = last_id WHERE singleton = 1 \
             RETURNING last_id, last_hash",
        )
        .fetch_one(&mut *$tx)
        .await?;
        let links = link(events, last_id, last_hash);
        if let Some(last) = links.last() {
            (*$tx).insert_rows(events, &links).await?;
            sqlx::query("UPDATE audit_head SET last_id = $1, last_hash = $2 WHERE singleton = 1")
                .bind(last.id)
                .bind(&last.hash)
                .execute(&mut *$tx)
                .await?;
        }
    }};
}
pub(super) use append_in;
