//! On SQLite the audit writer appends through a connection of its own to
//! the audit file ([`super::file`]), on a blocking thread, with one
//! prepared single-row `INSERT` run per event, its values bound directly
//! from [`super::row::cells`].
//!
//! Why a second SQLite driver (rusqlite beside sqlx), measured with
//! `TESSERA_BENCH_ROUNDS=5 cargo bench -p server --bench audit_rows`
//! ("One driver or two"; 200,000 linked rows into a fresh audit file with
//! its four indexes, median of 5 alternating rounds, same chain at the
//! end): per row, this path cost 17.6 µs of CPU at the writer's full batch
//! of 500 and 25.1 µs at batches of 64; the sqlx pool path
//! (`Db::append_audit`, the batch as one JSON parameter unpacked with
//! `json_each`) cost 26.2 µs and 46.3 µs, 1.5× and 1.85× as much (a
//! second run: 1.7× and 1.9×); giving the pool the same pragmas changed
//! nothing. At 10,000 audited requests a second that is about 0.1 of a
//! core of the two. sqlx hands every statement to a worker thread, so a
//! statement per row through it was slower still. Both drivers link the
//! same SQLite library.
//!
//! The chain's rules are the same as in [`super::append`]: the head
//! is read and advanced in the transaction that appends, and `BEGIN
//! IMMEDIATE` takes the file's write lock first, so appenders of several
//! processes (and a purge) take turns.

use std::{path::Path, sync::LazyLock, time::Duration};

use rusqlite::{
    params, params_from_iter,
    types::{ToSqlOutput, ValueRef},
    Connection, OpenFlags, ToSql, TransactionBehavior,
};

use super::{
    row::{cells, link, Cell, COLUMNS, COLUMN_COUNT},
    AuditEvent,
};

static INSERT: LazyLock<String> = LazyLock::new(|| {
    let marks: Vec<_> = (1..=COLUMN_COUNT).map(|i| format!("?{i}")).collect();
    format!(
        "INSERT INTO audit_log ({COLUMNS}) VALUES ({})",
        marks.join(", ")
    )
});

impl ToSql for Cell<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Cell::Int(Some(n)) => ToSqlOutput::from(*n),
            Cell::Text(Some(text)) => ToSqlOutput::Borrowed(ValueRef::Text(text.as_bytes())),
            Cell::Int(None) | Cell::Text(None) => ToSqlOutput::Borrowed(ValueRef::Null),
        })
    }
}

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
            let mut insert = tx.prepare_cached(&INSERT)?;
            for (event, link) in events.iter().zip(&links) {
                insert.execute(params_from_iter(cells(event, link)))?;
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
