//! The dashboard's answers, computed from the rollups only (never the raw
//! orders table): sums from `rollup_daily`, distinct customers by merging
//! HyperLogLog sketches from `rollup_monthly` (whole months) and
//! `rollup_daily` (the days around them), held in memory by the
//! [`SketchStore`].

use std::collections::HashMap;

use api_types::{
    Approximation, BreakdownData, BreakdownItem, Category, CustomerPoint, CustomersData, Dimension,
    Granularity, Kpi, KpisData, Metric, Point, Region, TimeseriesData,
};

use super::{
    calendar::{spark_granularity, Period},
    hll::{self, Hll, HllError},
    params::FilterSet,
    sketches::SketchStore,
};
use crate::storage::{Db, Sums};

/// A query that failed.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// The database failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// A stored sketch is corrupt.
    #[error(transparent)]
    Sketch(#[from] HllError),
    /// The answer could not be serialised.
    #[error(transparent)]
    Encode(serde_json::Error),
}

/// A metric's value for some sums.
pub fn metric_value(metric: Metric, sums: Sums) -> f64 {
    let money = |cents: i64| cents as f64 / 100.0;
    match metric {
        Metric::Revenue => money(sums.revenue),
        Metric::Cost => money(sums.cost),
        Metric::Profit => money(sums.revenue - sums.cost),
        Metric::Orders => sums.orders as f64,
        Metric::Aov if sums.orders == 0 => 0.0,
        Metric::Aov => round2(sums.revenue as f64 / sums.orders as f64 / 100.0),
    }
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

fn approximation(fields: &[&str]) -> Approximation {
    Approximation {
        fields: fields.iter().map(|f| (*f).to_owned()).collect(),
        method: hll::METHOD.to_owned(),
        standard_error: hll::STANDARD_ERROR,
    }
}

/// Sums per bucket from per-day sums.
fn bucket_sums(days: &[(i64, Sums)], buckets: &[Period]) -> Vec<Sums> {
    buckets
        .iter()
        .map(|bucket| {
            let mut total = Sums::default();
            days.iter()
                .filter(|(day, _)| bucket.contains(*day))
                .for_each(|(_, sums)| total += *sums);
            total
        })
        .collect()
}

fn kpi(value: f64, previous: f64, spark: Vec<f64>) -> Kpi {
    Kpi {
        value,
        previous,
        delta: value - previous,
        delta_pct: (previous != 0.0).then(|| (value - previous) / previous.abs()),
        spark,
    }
}

/// `GET /api/v1/analytics/kpis`.
pub async fn kpis(
    db: &Db,
    store: &SketchStore,
    filters: &FilterSet,
) -> Result<KpisData, QueryError> {
    let current = filters.period;
    let previous = current.previous();
    let before_previous = previous.previous();
    let span = Period {
        from: previous.from,
        to: current.to,
    };
    // The sums and the three periods' customer sketches, side by side.
    let periods = [before_previous, previous, current];
    let (days, sketches) = tokio::try_join!(
        async {
            db.daily_sums(&filters.to_storage(), span)
                .await
                .map_err(QueryError::from)
        },
        store.merged(db, filters, &periods),
    )?;
    let [now, before] = bucket_sums(&days, &[current, previous])
        .try_into()
        .unwrap_or([Sums::default(); 2]);
    let spark_buckets = current.buckets(spark_granularity(current));
    let spark = bucket_sums(&days, &spark_buckets);
    let additive = |metric: Metric| {
        let series = spark.iter().map(|s| metric_value(metric, *s)).collect();
        kpi(
            metric_value(metric, now),
            metric_value(metric, before),
            series,
        )
    };
    let margin = |s: Sums| {
        if s.revenue == 0 {
            0.0
        } else {
            (s.revenue - s.cost) as f64 / s.revenue as f64
        }
    };

    let [pp, p, c] = [&sketches[0], &sketches[1], &sketches[2]];
    let active = |s: &Hll| s.estimate().round();
    let churn = |earlier: &Hll, later: &Hll| {
        let base = earlier.estimate();
        if base < 0.5 {
            return 0.0;
        }
        let mut union = earlier.clone();
        union.merge(later);
        ((union.estimate() - later.estimate()).max(0.0) / base).clamp(0.0, 1.0)
    };

    Ok(KpisData {
        period: current.to_api(),
        previous_period: previous.to_api(),
        revenue: additive(Metric::Revenue),
        cost: additive(Metric::Cost),
        profit: additive(Metric::Profit),
        margin: kpi(
            margin(now),
            margin(before),
            spark.iter().map(|s| margin(*s)).collect(),
        ),
        orders: additive(Metric::Orders),
        aov: additive(Metric::Aov),
        active_customers: kpi(active(c), active(p), Vec::new()),
        churn_rate: kpi(churn(p, c), churn(pp, p), Vec::new()),
        approximate: approximation(&["active_customers", "churn_rate"]),
    })
}

/// `GET /api/v1/analytics/timeseries`.
pub async fn timeseries(
    db: &Db,
    filters: &FilterSet,
    metric: Metric,
    granularity: Granularity,
    compare: bool,
) -> Result<TimeseriesData, QueryError> {
    let current = filters.period;
    let span = if compare {
        Period {
            from: current.previous().from,
            to: current.to,
        }
    } else {
        current
    };
    let days = db.daily_sums(&filters.to_storage(), span).await?;
    let buckets = current.buckets(granularity);
    let points = |buckets: &[Period]| -> Vec<Point> {
        bucket_sums(&days, buckets)
            .into_iter()
            .zip(buckets)
            .map(|(sums, bucket)| Point {
                start: super::calendar::format_day(bucket.from),
                value: metric_value(metric, sums),
            })
            .collect()
    };
    let shift = current.len();
    let previous = compare.then(|| {
        let shifted: Vec<Period> = buckets
            .iter()
            .map(|b| Period {
                from: b.from - shift,
                to: b.to - shift,
            })
            .collect();
        points(&shifted)
    });
    Ok(TimeseriesData {
        metric,
        granularity,
        period: current.to_api(),
        points: points(&buckets),
        previous,
    })
}

/// `GET /api/v1/analytics/breakdown`.
pub async fn breakdown(
    db: &Db,
    filters: &FilterSet,
    dimension: Dimension,
    metric: Metric,
    limit: usize,
) -> Result<BreakdownData, QueryError> {
    let (column, keys): (&'static str, Vec<(&str, &str)>) = match dimension {
        Dimension::Region => {
            let chosen = if filters.regions.is_empty() {
                Region::ALL
            } else {
                &filters.regions
            };
            (
                "region",
                chosen.iter().map(|r| (r.code(), r.label())).collect(),
            )
        }
        Dimension::Category => {
            let chosen = if filters.categories.is_empty() {
                Category::ALL
            } else {
                &filters.categories
            };
            (
                "category",
                chosen.iter().map(|c| (c.code(), c.label())).collect(),
            )
        }
    };
    let groups: HashMap<String, Sums> = db
        .group_sums(&filters.to_storage(), column)
        .await?
        .into_iter()
        .collect();
    let mut all = Sums::default();
    groups.values().for_each(|s| all += *s);
    let total = metric_value(metric, all);
    let additive = metric != Metric::Aov;
    let mut items: Vec<BreakdownItem> = keys
        .into_iter()
        .map(|(key, label)| {
            let value = metric_value(metric, groups.get(key).copied().unwrap_or_default());
            BreakdownItem {
                key: key.to_owned(),
                label: label.to_owned(),
                value,
                share: if additive && total != 0.0 {
                    value / total
                } else {
                    0.0
                },
            }
        })
        .collect();
    items.sort_by(|a, b| b.value.total_cmp(&a.value).then_with(|| a.key.cmp(&b.key)));
    items.truncate(limit);
    Ok(BreakdownData {
        dimension,
        metric,
        period: filters.period.to_api(),
        items,
        total,
    })
}

/// `GET /api/v1/analytics/customers`: per bucket, distinct active customers
/// and those active in the bucket before but not in this one.
pub async fn customers(
    db: &Db,
    store: &SketchStore,
    filters: &FilterSet,
    granularity: Granularity,
) -> Result<CustomersData, QueryError> {
    let buckets = filters.period.buckets(granularity);
    let first = buckets.first().copied().unwrap_or(filters.period);
    let mut periods = vec![first.previous()];
    periods.extend(buckets.iter().copied());
    let sketches = store.merged(db, filters, &periods).await?;
    let points = sketches
        .windows(2)
        .zip(&buckets)
        .map(|(pair, bucket)| {
            let (before, now) = (&pair[0], &pair[1]);
            let mut union = before.clone();
            union.merge(now);
            CustomerPoint {
                start: super::calendar::format_day(bucket.from),
                active: now.estimate().round(),
                churned: (union.estimate() - now.estimate()).max(0.0).round(),
            }
        })
        .collect();
    Ok(CustomersData {
        granularity,
        period: filters.period.to_api(),
        points,
        approximate: approximation(&["active", "churned"]),
    })
}
