//! The dashboard's answers, computed from the rollups only (never the raw
//! orders table): sums from `rollup_daily`, distinct customers by merging
//! the customer cells (exact sets or HyperLogLog sketches) of
//! `rollup_monthly` (whole months) and `rollup_daily` (the days around
//! them), held in memory by the [`SketchStore`].

use std::collections::{BTreeMap, HashMap};

use api_types::{
    Approximation, BreakdownData, BreakdownItem, CustomerPoint, CustomersData, Dimension,
    ErrorBound, Granularity, Kpi, KpisData, Metric, Point, TimeseriesData,
};

use super::{
    calendar::{spark_granularity, Period},
    distinct::{CustomerSet, Figure},
    hll::{self, HllError},
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
    /// A stored customer cell is corrupt.
    #[error(transparent)]
    Sketch(#[from] HllError),
    /// Merging the customer cells stopped (its task panicked or was
    /// cancelled).
    #[error("merging the customer cells failed")]
    Merge,
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

/// What an answer says of its customer figures: each named field with its
/// figures (value and previous, or one per point), estimated if any is.
fn approximation(figures: &[(&str, &[Figure])], with_bounds: bool) -> Approximation {
    let (mut fields, mut exact, mut bounds) = (Vec::new(), Vec::new(), BTreeMap::new());
    for (name, figures) in figures {
        if figures.iter().all(Figure::is_exact) {
            exact.push((*name).to_owned());
            continue;
        }
        fields.push((*name).to_owned());
        if let (true, [value, previous]) = (with_bounds, figures) {
            let bound = ErrorBound {
                value: value.bound,
                previous: previous.bound,
            };
            bounds.insert((*name).to_owned(), bound);
        }
    }
    Approximation {
        fields,
        exact,
        bounds,
        method: hll::METHOD.to_owned(),
        standard_error: hll::STANDARD_ERROR,
    }
}

fn figure_kpi(value: Figure, previous: Figure) -> Kpi {
    kpi(value.value, previous.value, Vec::new())
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
    let active = [c.active(), p.active()];
    let churn = [CustomerSet::churn(p, c).1, CustomerSet::churn(pp, p).1];

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
        active_customers: figure_kpi(active[0], active[1]),
        churn_rate: figure_kpi(churn[0], churn[1]),
        approximate: approximation(
            &[("active_customers", &active), ("churn_rate", &churn)],
            true,
        ),
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

/// `GET /api/v1/analytics/breakdown`: one bar per value chosen in the
/// filters, or per value in `every` (the catalog's, so a value with no
/// orders in the period shows as zero) when none is chosen.
pub async fn breakdown(
    db: &Db,
    filters: &FilterSet,
    (dimension, every): (Dimension, Vec<String>),
    metric: Metric,
    limit: usize,
) -> Result<BreakdownData, QueryError> {
    let (column, chosen) = match dimension {
        Dimension::Region => ("region", &filters.regions),
        Dimension::Category => ("category", &filters.categories),
    };
    let keys = if chosen.is_empty() {
        every
    } else {
        chosen.clone()
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
        .map(|key| {
            let value = metric_value(metric, groups.get(&key).copied().unwrap_or_default());
            BreakdownItem {
                label: key.clone(),
                key,
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
    let sets = store.merged(db, filters, &periods).await?;
    let (mut active, mut churned) = (Vec::new(), Vec::new());
    let points = sets
        .windows(2)
        .zip(&buckets)
        .map(|(pair, bucket)| {
            let (now, gone) = (pair[1].active(), CustomerSet::churn(&pair[0], &pair[1]).0);
            active.push(now);
            churned.push(gone);
            CustomerPoint {
                start: super::calendar::format_day(bucket.from),
                active: now.value,
                churned: gone.value,
                active_bound: now.bound,
                churned_bound: gone.bound,
            }
        })
        .collect();
    Ok(CustomersData {
        granularity,
        period: filters.period.to_api(),
        points,
        approximate: approximation(&[("active", &active), ("churned", &churned)], false),
    })
}
