//! On SQLite the audit writer appends through a connection of its own to
//! the audit file ([`super::audit_file`]), on a blocking thread, with one
//! prepared single-row `INSERT` run per event.
//!
//! Measured with `cargo bench -p server --bench audit` and `perf`: through
//! the sqlx pool, the batch's rows had to travel as one JSON parameter that
//! SQLite unpacked again (sqlx hands every statement to a worker thread, so
//! a statement per row was slower still), and the JSON alone cost more than
//! the row inserts. Here each row's values are bound directly.
//!
//! The chain's rules are the same as in [`super::audit_append`]: the head
//! is read and advanced in the transaction that appends, and `BEGIN
//! IMMEDIATE` takes the file's write lock first, so appenders of several
//! processes (and a purge) take turns.

use std::{path::Path, time::Duration};

use app::api::Role;
use rusqlite::{params, Connection, OpenFlags, TransactionBehavior};

use super::{audit::db_time, audit_append::link};
use crate::audit::AuditEvent;

const INSERT: &str = "INSERT INTO audit_log (id, occurred_at, session_hash, principal, role, \
    action, context, outcome, status, client_ip, user_agent, request_id, prev_hash, hash) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";

/// The audit writer's own connection to the audit file.
#[derive(Debug)]
pub struct SqliteAppender {
    conn: Connection,
}

impl SqliteAppender {
    /// Opens the audit file, which the migrations have created.
    pub fn open(file: &Path) -> rusqlite::Result<Self> {
        let conn = Connection::open_with_flags(
            file,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // The pages appends touch stay cached between batches (32 MiB, not
        // SQLite's default 2 MiB; a negative size is in KiB).
        conn.pragma_update(None, "cache_size", -32_768)?;
        // Checkpoint every ~16 MiB of log instead of ~4 MiB: pages that
        // several batches change (the tree's right edges) are copied back
        // into the file once instead of each time.
        conn.pragma_update(None, "wal_autocheckpoint", 4_000)?;
        Ok(Self { conn })
    }

    /// Appends `events` to the chain in one transaction.
    pub fn append(&mut self, events: &[AuditEvent]) -> rusqlite::Result<()> {
        if events.is_empty() {
            return Ok(());
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (last_id, last_hash): (i64, String) = tx
            .prepare_cached("SELECT last_id, last_hash FROM audit_head WHERE singleton = 1")?
            .query_row([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        let links = link(events, last_id, last_hash);
        {
            let mut insert = tx.prepare_cached(INSERT)?;
            for (event, link) in events.iter().zip(&links) {
                insert.execute(params![
                    link.id,
                    db_time(event.occurred_at),
                    event.session_hash,
                    event.principal,
                    event.role.map(Role::as_str),
                    event.action,
                    link.context,
                    event.outcome.as_str(),
                    event.status,
                    event.client_ip,
                    event.user_agent,
                    event.request_id,
                    link.prev,
                    link.hash,
                ])?;
            }
        }
        if let Some(last) = links.last() {
            tx.prepare_cached(
                "UPDATE audit_head SET last_id = ?1, last_hash = ?2 WHERE singleton = 1",
            )?
            .execute(params![last.id, last.hash])?;
        }
        tx.commit()
    }
}
