//! Storage: one handle over SQLite or PostgreSQL, chosen by the database URL.
//!
//! The rest of the server calls methods on [`Db`] and never matches on the
//! backend itself. Queries whose SQL is the same on both engines (use `$1`
//! placeholders: SQLite accepts them too) are written once with
//! [`with_pool!`]; engine-specific SQL matches on [`Db`] inside this module.

mod accounts;
mod admin;
pub mod audit;
pub mod days;
mod dimensions;
pub mod distinct;
mod filter;
pub mod hll;
pub mod imports;
pub mod jobs;
mod meta;
pub mod orders;
mod rollups;
pub mod seed;
mod sessions;
mod sketches;
pub mod source;
pub mod staging;
mod warehouse;

use std::{str::FromStr, time::Duration};

use sqlx::{
    migrate::{MigrateError, Migrator},
    postgres::{PgConnectOptions, PgPoolOptions},
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    PgPool, SqlitePool,
};

pub use self::{
    accounts::{AccountError, PrincipalKind, PrincipalState, ServiceAccount, User},
    admin::UserChangeError,
    audit::{db_time, AuditAppender, AuditFilter, AuditHead},
    filter::OrderFilter,
    sessions::DbSessionStore,
    sketches::{SketchLevel, SketchRow, SketchStamp},
    warehouse::{DatasetState, RollupSize, Sums, WarehouseCounts},
};
use crate::config::DatabaseSettings;
pub use crate::config::{Backend, DatabaseUrl};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

/// Whether every embedded PostgreSQL migration is applied, with the same
/// checksum, and no other (reads only).
async fn postgres_up_to_date(pool: &PgPool) -> Result<bool, MigrateError> {
    let exists: Option<String> =
        sqlx::query_scalar("SELECT CAST(to_regclass('_sqlx_migrations') AS TEXT)")
            .fetch_one(pool)
            .await?;
    if exists.is_none() {
        return Ok(false);
    }
    let applied: Vec<(i64, Vec<u8>)> = sqlx::query_as(
        "SELECT version, checksum FROM _sqlx_migrations WHERE success ORDER BY version",
    )
    .fetch_all(pool)
    .await?;
    let known: Vec<(i64, &[u8])> = POSTGRES_MIGRATIONS
        .iter()
        .filter(|m| m.migration_type.is_up_migration())
        .map(|m| (m.version, m.checksum.as_ref()))
        .collect();
    Ok(applied.len() == known.len()
        && applied
            .iter()
            .zip(&known)
            .all(|((version, sum), (known_version, known_sum))| {
                version == known_version && sum.as_slice() == *known_sum
            }))
}

/// How long a request waits for a pooled connection before giving up. Short,
/// so that `/ready` and requests fail fast while the database is away.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

/// Runs the same expression against whichever pool `db` holds. The expression
/// is compiled once per backend, so it may use backend-generic sqlx calls.
macro_rules! with_pool {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::storage::Db::Sqlite($pool) => $body,
            $crate::storage::Db::Postgres($pool) => $body,
        }
    };
}
pub(crate) use with_pool;

/// A cheap-to-clone handle to the database pool.
#[derive(Clone, Debug)]
pub enum Db {
    /// Embedded SQLite (WAL mode, foreign keys on, busy timeout set).
    Sqlite(SqlitePool),
    /// A PostgreSQL server.
    Postgres(PgPool),
}

impl Db {
    /// Opens a pool for `settings.url`, creating the SQLite file (and its
    /// directory) if needed, and checks that one connection works.
    pub async fn connect(settings: &DatabaseSettings) -> Result<Self, sqlx::Error> {
        let url = settings.url.expose();
        match settings.url.backend() {
            Backend::Sqlite => {
                let options = SqliteConnectOptions::from_str(url)?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(5));
                if let Some(dir) = options.get_filename().parent() {
                    std::fs::create_dir_all(dir)?;
                }
                let audit_file = audit::file::path_beside(options.get_filename());
                let pool = SqlitePoolOptions::new()
                    .max_connections(settings.max_connections)
                    .acquire_timeout(ACQUIRE_TIMEOUT)
                    .after_connect(move |conn, _| {
                        let audit_file = audit_file.clone();
                        Box::pin(async move { audit::file::attach(conn, &audit_file).await })
                    })
                    .connect_with(options)
                    .await?;
                Ok(Db::Sqlite(pool))
            }
            Backend::Postgres => {
                // JIT compiles for ~100 ms whenever a plan's estimated cost is
                // high, even when an index scan with LIMIT finishes in a few
                // ms: measured on the 50M-order orders list. Off for our
                // short, indexed queries.
                let options = PgConnectOptions::from_str(url)?
                    .application_name("tessera")
                    .options([("jit", "off")]);
                let pool = PgPoolOptions::new()
                    .max_connections(settings.max_connections)
                    .acquire_timeout(ACQUIRE_TIMEOUT)
                    .connect_with(options)
                    .await?;
                Ok(Db::Postgres(pool))
            }
        }
    }

    /// Which engine this is.
    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies the embedded migrations for this backend that have not run yet.
    pub async fn migrate(&self) -> Result<(), MigrateError> {
        match self {
            Db::Sqlite(pool) => {
                SQLITE_MIGRATIONS.run(pool).await?;
                audit::file::finish_move(pool).await
            }
            // A server running as a role without DDL rights (see the
            // README's least-privilege grants) cannot even run sqlx's
            // `CREATE TABLE IF NOT EXISTS` for its bookkeeping table: when
            // every migration is applied unchanged there is nothing to do.
            Db::Postgres(pool) if postgres_up_to_date(pool).await? => Ok(()),
            Db::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await,
        }
    }

    /// The SQLite audit file, when the log is kept in one (not for an
    /// in-memory database, nor on PostgreSQL).
    pub fn audit_file(&self) -> Option<std::path::PathBuf> {
        match self {
            Db::Sqlite(pool) => {
                let options = pool.connect_options();
                let main = options.get_filename();
                let file = audit::file::path_beside(main);
                (file != main).then_some(file)
            }
            Db::Postgres(_) => None,
        }
    }

    /// One round trip to the database, bounded by `timeout`.
    pub async fn ping(&self, timeout: Duration) -> Result<(), sqlx::Error> {
        let query = async {
            with_pool!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(drop))
        };
        tokio::time::timeout(timeout, query)
            .await
            .unwrap_or(Err(sqlx::Error::PoolTimedOut))
    }

    /// Waits for checked-out connections to return, then closes the pool.
    pub async fn close(&self) {
        with_pool!(self, pool => pool.close().await);
    }
}
