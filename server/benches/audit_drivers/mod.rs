//! The audit_rows bench's "one driver or two" comparison: the same linked
//! batches appended through rusqlite (the writer's SQLite path) and through
//! the sqlx pool (the JSON-parameter path).

use std::{
    path::Path,
    sync::Arc,
    time::{Duration, Instant},
};

use server::{
    audit::AuditEvent,
    config::DatabaseSettings,
    storage::{audit::sqlite::SqliteAppender, DatabaseUrl, Db},
};

use crate::common::cpu_time;

/// A way to append the audit writer's batches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Driver {
    /// `SqliteAppender::append` (rusqlite) on a blocking thread per batch,
    /// as the writer's SQLite sink runs it.
    Rusqlite,
    /// `Db::append_audit` through the sqlx SQLite pool (JSON parameter).
    Sqlx,
    /// The same, with the pool's connection given the appender's pragmas
    /// (`cache_size`, `wal_autocheckpoint`): the driver without the
    /// settings.
    SqlxTuned,
}

impl Driver {
    pub const ALL: [Driver; 3] = [Driver::Rusqlite, Driver::Sqlx, Driver::SqlxTuned];

    pub fn name(self) -> &'static str {
        match self {
            Driver::Rusqlite => "(a) rusqlite `SqliteAppender::append`",
            Driver::Sqlx => "(b) sqlx pool `Db::append_audit` (JSON parameter)",
            Driver::SqlxTuned => "(b') as (b), pool connection with (a)'s pragmas",
        }
    }
}

/// One run's wall and process CPU time.
#[derive(Debug, Clone, Copy)]
pub struct Run {
    pub wall: Duration,
    pub cpu: Duration,
}

/// A new, migrated database (main file and audit file) in a directory of
/// its own under `dir`, its pool of one connection kept open as the
/// server keeps its pool.
async fn fresh_db(dir: &Path, name: &str) -> Db {
    let sub = dir.join(name);
    std::fs::create_dir_all(&sub).expect("run dir");
    let settings = DatabaseSettings {
        url: DatabaseUrl::parse(&format!("sqlite://{}", sub.join("tessera.db").display()))
            .expect("url"),
        max_connections: 1,
    };
    let db = Db::connect(&settings).await.expect("connect");
    db.migrate().await.expect("migrate");
    db
}

/// Appends `events` in batches of `batch` with `driver` to a fresh
/// database under `dir`; checks that the chain ends at `last_hash`.
pub async fn append_with(
    driver: Driver,
    dir: &Path,
    run: usize,
    events: &Arc<Vec<AuditEvent>>,
    batch: usize,
    last_hash: &str,
) -> Run {
    let name = format!("driver-{run}");
    let db = fresh_db(dir, &name).await;
    let run = match driver {
        Driver::Rusqlite => {
            let file = db.audit_file().expect("a file-backed log");
            let mut appender = Some(SqliteAppender::open(&file).expect("appender"));
            let (wall, cpu) = (Instant::now(), cpu_time());
            for start in (0..events.len()).step_by(batch) {
                let (events, mut taken) = (Arc::clone(events), appender.take());
                appender = tokio::task::spawn_blocking(move || {
                    let end = (start + batch).min(events.len());
                    let appender = taken.as_mut().expect("appender");
                    appender.append(&events[start..end]).expect("append");
                    taken
                })
                .await
                .expect("blocking append");
            }
            Run {
                wall: wall.elapsed(),
                cpu: cpu_time() - cpu,
            }
        }
        Driver::Sqlx | Driver::SqlxTuned => {
            if driver == Driver::SqlxTuned {
                let Db::Sqlite(pool) = &db else {
                    unreachable!("a SQLite URL")
                };
                sqlx::raw_sql("PRAGMA audit.cache_size = -32768; PRAGMA wal_autocheckpoint = 4000")
                    .execute(pool)
                    .await
                    .expect("pragmas");
            }
            let (wall, cpu) = (Instant::now(), cpu_time());
            for chunk in events.chunks(batch) {
                db.append_audit(chunk).await.expect("append");
            }
            Run {
                wall: wall.elapsed(),
                cpu: cpu_time() - cpu,
            }
        }
    };
    let head = db.audit_head().await.expect("head");
    assert_eq!(head.last_id, events.len() as i64, "{driver:?}: every row");
    assert_eq!(head.last_hash, last_hash, "{driver:?}: the same chain");
    db.close().await;
    std::fs::remove_dir_all(dir.join(&name)).expect("remove run dir");
    run
}

/// The median of `values`.
pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// The 1-, 5- and 15-minute load averages.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg").map_or_else(
        |_| "unknown".to_owned(),
        |l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "),
    )
}
