//! The session store: tower-sessions records in this database's `sessions`
//! table (created by our migrations), whichever backend it is.

use async_trait::async_trait;
use tower_sessions::{
    session::{Id, Record},
    session_store, ExpiredDeletion, SessionStore,
};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

use super::Db;

const TABLE: &str = "sessions";

/// SQLite or PostgreSQL session storage behind one type.
#[derive(Debug, Clone)]
pub enum DbSessionStore {
    /// SQLite.
    Sqlite(SqliteStore),
    /// PostgreSQL.
    Postgres(PostgresStore),
}

impl Db {
    /// A session store on this database.
    pub fn session_store(&self) -> DbSessionStore {
        // The table name is a valid identifier, so these cannot fail.
        match self {
            Db::Sqlite(pool) => {
                let store = SqliteStore::new(pool.clone());
                DbSessionStore::Sqlite(store.clone().with_table_name(TABLE).unwrap_or(store))
            }
            Db::Postgres(pool) => {
                let store = PostgresStore::new(pool.clone());
                let named = store
                    .clone()
                    .with_schema_name("public")
                    .and_then(|s| s.with_table_name(TABLE))
                    .unwrap_or(store);
                DbSessionStore::Postgres(named)
            }
        }
    }
}

impl DbSessionStore {
    /// Deletes every session whose expiry date has passed (the store
    /// already refuses to load them).
    pub async fn delete_expired(&self) -> session_store::Result<()> {
        match self {
            DbSessionStore::Sqlite(s) => s.delete_expired().await,
            DbSessionStore::Postgres(s) => s.delete_expired().await,
        }
    }
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            DbSessionStore::Sqlite(s) => s.create(record).await,
            DbSessionStore::Postgres(s) => s.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self {
            DbSessionStore::Sqlite(s) => s.save(record).await,
            DbSessionStore::Postgres(s) => s.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            DbSessionStore::Sqlite(s) => s.load(id).await,
            DbSessionStore::Postgres(s) => s.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            DbSessionStore::Sqlite(s) => s.delete(id).await,
            DbSessionStore::Postgres(s) => s.delete(id).await,
        }
    }
}
