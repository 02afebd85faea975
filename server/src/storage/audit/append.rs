//! Appending to the audit chain, the one way in per backend:
//! [`AuditAppender`] is what the audit writer (and a command-line append)
//! holds; which backend it writes to stays here.
//!
//! - PostgreSQL: in a pool transaction that takes the head's row lock (so
//!   writers on every instance append one after the other), links the rows
//!   to the head, inserts them with `COPY` ([`super::postgres`]) and
//!   advances the head ([`append_in!`]).
//! - SQLite: through a connection of its own to the audit file
//!   ([`super::sqlite`]), with the same rules. A purge, which records itself
//!   in its own pool transaction, and an in-memory database append through
//!   the pool with [`append_in!`]: the rows go in with one statement whose
//!   single parameter is the rows as a JSON array, unpacked by the database
//!   itself. Measured with `cargo bench -p server --bench audit` on SQLite:
//!   multi-row `INSERT … VALUES` statements of fixed sizes, prepared once
//!   and reused, cost far more (on/off 0.75 against 0.90–0.92 for this),
//!   because sqlx binds 14 parameters per row one by one; unpacking the
//!   JSON costs SQLite about 3 µs per row.

use std::{path::PathBuf, sync::LazyLock};

use sqlx::SqliteConnection;

use super::{
    row::{cells, Link, COLUMNS, COLUMN_COUNT},
    sqlite::SqliteAppender,
    AuditEvent,
};
use crate::storage::Db;

/// The `INSERT` taking the rows of [`rows_json`] as `$1` (SQLite pool).
static INSERT_JSON: LazyLock<String> = LazyLock::new(|| {
    let values: Vec<_> = (0..COLUMN_COUNT)
        .map(|i| format!("value ->> {i}"))
        .collect();
    format!(
        "INSERT INTO audit_log ({COLUMNS}) SELECT {} FROM json_each($1) ORDER BY key",
        values.join(", ")
    )
});

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
        sqlx::query(&INSERT_JSON)
            .bind(rows_json(events, links))
            .execute(self)
            .await
            .map(drop)
    }
}

/// The rows as one JSON array, each row an array of its [`cells`].
fn rows_json(events: &[AuditEvent], links: &[Link]) -> String {
    let rows: Vec<_> = events
        .iter()
        .zip(links)
        .map(|(event, link)| cells(event, link))
        .collect();
    serde_json::to_string(&rows).expect("rows serialize to JSON")
}

/// Where the audit writer appends: the backend's one way in.
pub enum AuditAppender {
    /// PostgreSQL, or an in-memory SQLite database: a pool transaction.
    Pool(Db),
    /// The SQLite audit file, through a connection of its own.
    SqliteFile {
        /// The audit file.
        file: PathBuf,
        /// Opened at the first batch; reopened after a failure.
        conn: Option<SqliteAppender>,
    },
}

impl Db {
    /// The appender for this database's audit log.
    pub fn audit_appender(&self) -> AuditAppender {
        match self.audit_file() {
            Some(file) => AuditAppender::SqliteFile { file, conn: None },
            None => AuditAppender::Pool(self.clone()),
        }
    }
}

impl AuditAppender {
    /// Appends `events` in one transaction; gives them back with the
    /// result (the error as text, for the writer's log and retries).
    pub async fn append(
        &mut self,
        events: Vec<AuditEvent>,
    ) -> (Vec<AuditEvent>, Result<(), String>) {
        match self {
            AuditAppender::Pool(db) => {
                let result = db.append_audit(&events).await;
                (events, result.map_err(|error| error.to_string()))
            }
            AuditAppender::SqliteFile { file, conn } => {
                let (file, taken) = (file.clone(), conn.take());
                let task = tokio::task::spawn_blocking(move || {
                    let mut appender = match taken {
                        Some(appender) => appender,
                        None => match SqliteAppender::open(&file) {
                            Ok(appender) => appender,
                            Err(error) => return (None, events, Err(error.to_string())),
                        },
                    };
                    let result = appender.append(&events);
                    // After a failure the next attempt starts on a new connection.
                    let kept = result.is_ok().then_some(appender);
                    (kept, events, result.map_err(|error| error.to_string()))
                });
                match task.await {
                    Ok((appender, events, result)) => {
                        *conn = appender;
                        (events, result)
                    }
                    // The blocking task panicked: the events went with it.
                    Err(error) => (Vec::new(), Err(error.to_string())),
                }
            }
        }
    }
}

/// Appends `$events` in transaction `$tx` (of either backend).
macro_rules! append_in {
    ($tx:expr, $events:expr) => {{
        use $crate::storage::audit::{append::InsertRows as _, row::link};
        let events: &[$crate::storage::audit::AuditEvent] = $events;
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
