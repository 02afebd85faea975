//! The PostgreSQL warehouse source: reading orders past a watermark (every
//! value cast to text, so any column type reads the same way) over a
//! read-only connection, and the `source_state` row that remembers how far
//! the pulls got.

use std::time::Duration;

use sqlx::{
    postgres::{PgConnectOptions, PgPoolOptions},
    Column as _, Executor as _, PgPool, TypeInfo as _,
};

use super::{with_pool, Db};

/// One source row: its cells in the target order (`None`: SQL NULL or not
/// mapped) and its watermark value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRow {
    /// Cells, as text.
    pub cells: Vec<Option<String>>,
    /// The watermark value, as text.
    pub mark: String,
}

/// The `source_state` row.
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct SourceState {
    /// Which source the watermark belongs to.
    pub source: Option<String>,
    /// The last watermark loaded.
    pub watermark: Option<String>,
    /// `pending`, `ok` or `failing`.
    pub state: String,
    /// When the last pull ended (Unix ms).
    pub last_pull_at: Option<i64>,
    /// Rows the last successful pull moved.
    pub last_pull_rows: i64,
    /// Rows pulled in all.
    pub rows_pulled: i64,
    /// Why the last pull failed.
    pub last_error: Option<String>,
}

/// A read-only connection pool to the source, and the statement that
/// reads it.
#[derive(Debug, Clone)]
pub struct SourceDb {
    pool: PgPool,
    /// `SELECT cast cells, cast mark FROM (from) AS source`.
    select: String,
    /// The table, or the query in parentheses.
    from: String,
    /// The watermark column, quoted.
    mark: String,
}

impl SourceDb {
    /// A pool that connects when first used: read-only transactions, UTC,
    /// statements limited to 5 minutes.
    pub fn connect_lazy(
        url: &str,
        from: &str,
        columns: &[Option<String>],
        mark: &str,
    ) -> Result<Self, sqlx::Error> {
        let options: PgConnectOptions = url.parse()?;
        let options = options
            .options([
                ("default_transaction_read_only", "on"),
                ("TimeZone", "UTC"),
                ("statement_timeout", "300000"),
            ])
            .application_name("tessera-source");
        let pool = PgPoolOptions::new()
            .max_connections(2)
            .acquire_timeout(Duration::from_secs(5))
            .connect_lazy_with(options);
        let cells: Vec<String> = columns
            .iter()
            .map(|c| {
                c.as_ref()
                    .map_or_else(|| "NULL".into(), |c| format!("CAST({c} AS TEXT)"))
            })
            .collect();
        let select = format!(
            "SELECT {}, CAST({mark} AS TEXT) FROM {from} AS source",
            cells.join(", ")
        );
        Ok(Self {
            pool,
            select,
            from: from.to_owned(),
            mark: mark.to_owned(),
        })
    }

    /// The watermark column's type name (e.g. `int8`, `timestamptz`).
    pub async fn mark_type(&self) -> Result<String, sqlx::Error> {
        let sql = format!("SELECT {} FROM {} AS source", self.mark, self.from);
        let described = self.pool.describe(&sql).await?;
        Ok(described
            .columns()
            .first()
            .map(|c| c.type_info().name().to_ascii_lowercase())
            .unwrap_or_else(|| "text".into()))
    }

    /// Up to `limit` rows past `after` (all rows when `None`), in
    /// watermark order. `mark_type` casts `after` back.
    pub async fn after(
        &self,
        after: Option<&str>,
        mark_type: &str,
        limit: i64,
    ) -> Result<Vec<SourceRow>, sqlx::Error> {
        let sql = format!(
            "{} WHERE CAST($1 AS TEXT) IS NULL OR source.{} > CAST(CAST($1 AS TEXT) AS {mark_type}) \
             ORDER BY source.{} LIMIT $2",
            self.select, self.mark, self.mark
        );
        let rows: Vec<sqlx::postgres::PgRow> = sqlx::query(&sql)
            .bind(after)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(source_row).collect())
    }

    /// Every row whose watermark equals `mark`.
    pub async fn at(&self, mark: &str, mark_type: &str) -> Result<Vec<SourceRow>, sqlx::Error> {
        let sql = format!(
            "{} WHERE source.{} = CAST(CAST($1 AS TEXT) AS {mark_type})",
            self.select, self.mark
        );
        let rows: Vec<sqlx::postgres::PgRow> =
            sqlx::query(&sql).bind(mark).fetch_all(&self.pool).await?;
        Ok(rows.iter().map(source_row).collect())
    }
}

fn source_row(row: &sqlx::postgres::PgRow) -> SourceRow {
    use sqlx::Row as _;
    let width = row.len();
    let cells = (0..width - 1)
        .map(|i| row.try_get::<Option<String>, _>(i).ok().flatten())
        .collect();
    SourceRow {
        cells,
        mark: row
            .try_get::<Option<String>, _>(width - 1)
            .ok()
            .flatten()
            .unwrap_or_default(),
    }
}

impl Db {
    /// The `source_state` row.
    pub async fn source_state(&self) -> Result<SourceState, sqlx::Error> {
        with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT source, watermark, state, last_pull_at, last_pull_rows, rows_pulled, \
                 last_error FROM source_state WHERE id = 1",
            )
            .fetch_one(pool)
            .await
        })
    }

    /// Records how a pull ended: `rows` moved (success) or `error`.
    pub async fn source_pulled(
        &self,
        now_ms: i64,
        rows: i64,
        error: Option<&str>,
    ) -> Result<(), sqlx::Error> {
        let state = if error.is_some() { "failing" } else { "ok" };
        with_pool!(self, pool => {
            sqlx::query(
                "UPDATE source_state SET state = $1, last_pull_at = $2, \
                 last_pull_rows = CASE WHEN $4 IS NULL THEN $3 ELSE last_pull_rows END, \
                 last_error = $4 WHERE id = 1",
            )
            .bind(state)
            .bind(now_ms)
            .bind(rows)
            .bind(error)
            .execute(pool)
            .await
            .map(drop)
        })
    }

    /// Forgets the watermark of a source that is no longer configured.
    pub async fn source_reset(&self, source: &str) -> Result<(), sqlx::Error> {
        with_pool!(self, pool => {
            sqlx::query(
                "UPDATE source_state SET source = $1, watermark = NULL, state = 'pending', \
                 rows_pulled = 0, last_pull_rows = 0, last_error = NULL WHERE id = 1",
            )
            .bind(source)
            .execute(pool)
            .await
            .map(drop)
        })
    }
}
