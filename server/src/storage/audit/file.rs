//! SQLite keeps the audit log in its own file beside the main one
//! (`tessera.db` → `tessera.audit.db`), attached as schema `audit` on every
//! connection. SQLite tracks changes per file: appending audit rows to the
//! main file made every other connection drop its page cache and re-read
//! the session and account pages on its next query, and made sign-ins wait
//! for the audit writer's lock. Back up both files together.
//!
//! Versions before this kept the log in the main file; [`finish_move`]
//! moves those rows (unchanged, so the chain still verifies).

use std::path::{Path, PathBuf};

use sqlx::{migrate::MigrateError, Executor as _, SqliteConnection, SqlitePool};

/// The audit tables in the attached file (idempotent; also the migration).
const SCHEMA: &str = include_str!("../../../migrations/sqlite/20261126000001_audit_own_file.sql");

/// The audit file beside `main`.
pub fn path_beside(main: &Path) -> PathBuf {
    if main.as_os_str().is_empty() || main.as_os_str() == ":memory:" {
        return main.to_path_buf();
    }
    let mut name = main.file_stem().unwrap_or(main.as_os_str()).to_os_string();
    name.push(".audit");
    if let Some(extension) = main.extension() {
        name.push(".");
        name.push(extension);
    }
    main.with_file_name(name)
}

/// Attaches `file` as schema `audit` (WAL, like the main file).
pub async fn attach(conn: &mut SqliteConnection, file: &Path) -> Result<(), sqlx::Error> {
    sqlx::query("ATTACH DATABASE $1 AS audit")
        .bind(file.to_string_lossy().into_owned())
        .execute(&mut *conn)
        .await?;
    conn.execute("PRAGMA audit.journal_mode = WAL; PRAGMA audit.synchronous = NORMAL")
        .await?;
    Ok(())
}

/// Whether `schema` holds the table `name`.
async fn has_table(pool: &SqlitePool, schema: &str, name: &str) -> Result<bool, sqlx::Error> {
    let sql =
        format!("SELECT COUNT(*) FROM {schema}.sqlite_master WHERE type = 'table' AND name = $1");
    let count: i64 = sqlx::query_scalar(&sql).bind(name).fetch_one(pool).await?;
    Ok(count > 0)
}

/// Moves an audit log still in the main file into the audit file, then
/// checks that the audit file holds the log. Each step commits one file
/// only (SQLite does not commit attached WAL files atomically together):
/// rows are copied (idempotently) first and dropped from the main file
/// after, so a crash in between repeats the copy at the next start.
pub async fn finish_move(pool: &SqlitePool) -> Result<(), MigrateError> {
    if has_table(pool, "main", "audit_log").await? {
        let mut tx = pool.begin().await?;
        tx.execute(SCHEMA).await?;
        tx.execute(
            "INSERT OR IGNORE INTO audit.audit_log SELECT * FROM main.audit_log; \
             INSERT OR REPLACE INTO audit.audit_head SELECT * FROM main.audit_head",
        )
        .await?;
        tx.commit().await?;
        let mut tx = pool.begin().await?;
        tx.execute("DROP TABLE main.audit_log; DROP TABLE main.audit_head")
            .await?;
        tx.commit().await?;
        tracing::info!("audit log moved to its own file");
    }
    if !has_table(pool, "audit", "audit_log").await? {
        return Err(MigrateError::Source(
            "the audit log file beside the database (<name>.audit.db) has no audit log: \
             restore it from the backup taken with the database"
                .into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_audit_file_sits_beside_the_database() {
        assert_eq!(
            path_beside(Path::new("data/tessera.db")),
            PathBuf::from("data/tessera.audit.db")
        );
        assert_eq!(
            path_beside(Path::new("/x/db")),
            PathBuf::from("/x/db.audit")
        );
        assert_eq!(
            path_beside(Path::new(":memory:")),
            PathBuf::from(":memory:")
        );
    }
}

#[cfg(test)]
mod on_disk {
    use api_types::AuditOutcome;

    use crate::{
        config::DatabaseSettings,
        storage::{audit::AuditEvent, AuditFilter, DatabaseUrl, Db},
    };

    async fn verify(db: &Db) -> Result<Result<u64, super::super::chain::Broken>, sqlx::Error> {
        db.walk_audit_chain(None).await
    }

    async fn open(main: &std::path::Path) -> Db {
        let settings = DatabaseSettings {
            url: DatabaseUrl::parse(&format!("sqlite://{}", main.display())).expect("url"),
            max_connections: 2,
        };
        let db = Db::connect(&settings).await.expect("connect");
        db.migrate().await.expect("migrate");
        db
    }

    fn event() -> AuditEvent {
        AuditEvent::now(
            "analytics.kpis",
            AuditOutcome::Ok,
            serde_json::json!({"regions": ["eu"], "to": "2026-11-24"}),
        )
    }

    #[tokio::test]
    async fn the_log_is_appended_to_and_read_from_its_own_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let main = dir.path().join("t.db");
        let db = open(&main).await;
        db.append_audit(&[event(), event()]).await.expect("append");
        let rows = db
            .audit_page(&AuditFilter::default(), None, 10)
            .await
            .expect("read");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].event.context["regions"][0], "eu");
        assert_eq!(verify(&db).await.expect("walk"), Ok(2));
        db.close().await;
        assert!(super::path_beside(&main).exists(), "the audit file exists");
    }

    #[tokio::test]
    async fn a_log_kept_in_the_main_file_moves_over_unchanged() {
        let dir = tempfile::tempdir().expect("temp dir");
        let main = dir.path().join("old.db");
        let db = open(&main).await;
        let Db::Sqlite(pool) = &db else {
            unreachable!("a SQLite URL")
        };
        // The layout before: the log in the main file (unqualified names
        // resolve to `main` first, so appends now land there).
        sqlx::raw_sql(include_str!(
            "../../../migrations/sqlite/20261125000002_audit.sql"
        ))
        .execute(pool)
        .await
        .expect("old tables");
        db.append_audit(&[event(), event(), event()])
            .await
            .expect("append");
        super::finish_move(pool).await.expect("move");
        assert!(!super::has_table(pool, "main", "audit_log")
            .await
            .expect("main"));
        assert_eq!(verify(&db).await.expect("walk"), Ok(3));
        db.append_audit(&[event()]).await.expect("append after");
        assert_eq!(verify(&db).await.expect("walk"), Ok(4));
        db.close().await;
    }

    #[tokio::test]
    async fn the_writers_own_connection_and_the_pool_append_to_one_chain() {
        let dir = tempfile::tempdir().expect("temp dir");
        let main = dir.path().join("w.db");
        let db = open(&main).await;
        let file = db.audit_file().expect("a file-backed audit log");
        assert_eq!(file, super::path_beside(&main));
        let mut appender =
            crate::storage::audit::sqlite::SqliteAppender::open(&file).expect("open");
        appender.append(&[event(), event()]).expect("writer append");
        // A purge records itself through the pool, in its own transaction.
        db.append_audit(&[event()]).await.expect("pool append");
        appender.append(&[event()]).expect("writer append after");
        assert_eq!(verify(&db).await.expect("walk"), Ok(4));
        let rows = db
            .audit_page(&AuditFilter::default(), None, 10)
            .await
            .expect("read");
        assert_eq!(rows.iter().map(|r| r.id).collect::<Vec<_>>(), [4, 3, 2, 1]);
        assert_eq!(rows[0].event, event_like(&rows[0].event));
        db.close().await;
    }

    /// `event()` with the time of `stored` (the rest must round-trip as is).
    fn event_like(stored: &AuditEvent) -> AuditEvent {
        AuditEvent {
            occurred_at: stored.occurred_at,
            ..event()
        }
    }
}
