//! The `dimension_values` catalog: every region and category with its
//! completed orders, rewritten from the daily rollup inside each
//! transaction that changes the rollups.

use super::{with_pool, Db};

/// Rewrites the catalog from `rollup_daily`, in `$tx` (either backend).
macro_rules! rewrite_dimension_values {
    ($tx:ident) => {
        sqlx::query("DELETE FROM dimension_values")
            .execute(&mut *$tx)
            .await?;
        sqlx::query(
            "INSERT INTO dimension_values (dimension, value, orders) \
             SELECT 'region', region, CAST(SUM(orders) AS BIGINT) FROM rollup_daily \
             GROUP BY region HAVING SUM(orders) > 0 \
             UNION ALL \
             SELECT 'category', category, CAST(SUM(orders) AS BIGINT) FROM rollup_daily \
             GROUP BY category HAVING SUM(orders) > 0",
        )
        .execute(&mut *$tx)
        .await?;
    };
}
pub(crate) use rewrite_dimension_values;

impl Db {
    /// Every (dimension, value, completed orders), most orders first.
    pub async fn dimension_values(&self) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
        with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT dimension, value, orders FROM dimension_values \
                 ORDER BY dimension, orders DESC, value",
            )
            .fetch_all(pool)
            .await
        })
    }
}
