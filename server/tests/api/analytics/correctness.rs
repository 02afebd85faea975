//! The property test: random filters, every number compared with an
//! independent SQL query over the raw orders table. Sums and counts are
//! exact. Customer figures (active customers, churn) equal SQL exactly when
//! the answer says they are exact, and are within the bound the answer
//! states otherwise. Periods of 1, 2 and 7 days with one region and one or
//! two categories are drawn as often as long, broad ones. The filters come
//! from a fixed seed (override with TESSERA_PROPTEST_SEED) so a failure
//! reproduces.

use app::api::{Dimension, Granularity, Metric, OrdersQuery, SortColumn};
use rand::{seq::IndexedRandom, SeedableRng};
use rand_pcg::Pcg64Mcg;
use rstest_reuse::apply;
use server::{analytics::calendar, storage::Db};

use super::{
    customers::{check_customer_figures, Tally},
    load_and_refresh, scalar, seeded_app, unseeded_app, END_DAY,
};
use crate::helpers::{each_backend, Backend};

pub use super::cases::{quoted, Case, Dims, REGIONS};

pub const CASES: usize = 30;

fn cents(value: f64) -> i64 {
    (value * 100.0).round() as i64
}

async fn exact_sums(db: &Db, case: &Case, from: i64, to: i64) -> (i64, i64, i64) {
    let w = case.sql_where(from, to);
    (
        scalar(db, &format!("SELECT COUNT(*) FROM orders WHERE {w}")).await,
        scalar(
            db,
            &format!("SELECT CAST(SUM(total) AS BIGINT) FROM orders WHERE {w}"),
        )
        .await,
        scalar(
            db,
            &format!("SELECT CAST(SUM(quantity * unit_cost) AS BIGINT) FROM orders WHERE {w}"),
        )
        .await,
    )
}

pub async fn exact_active(db: &Db, case: &Case, from: i64, to: i64) -> i64 {
    let w = case.sql_where(from, to);
    scalar(
        db,
        &format!("SELECT COUNT(DISTINCT customer_id) FROM orders WHERE {w}"),
    )
    .await
}

pub async fn exact_churn(db: &Db, case: &Case, before: (i64, i64), now: (i64, i64)) -> f64 {
    let base = exact_active(db, case, before.0, before.1).await;
    if base == 0 {
        return 0.0;
    }
    exact_churned(db, case, before, now).await as f64 / base as f64
}

/// Customers active in `before` and not in `now`.
pub async fn exact_churned(db: &Db, case: &Case, before: (i64, i64), now: (i64, i64)) -> i64 {
    let (wb, wn) = (
        case.sql_where(before.0, before.1),
        case.sql_where(now.0, now.1),
    );
    scalar(
        db,
        &format!(
            "SELECT COUNT(DISTINCT customer_id) FROM orders WHERE {wb} AND customer_id NOT IN \
             (SELECT customer_id FROM orders WHERE {wn})"
        ),
    )
    .await
}

pub fn proptest_seed() -> u64 {
    std::env::var("TESSERA_PROPTEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_261_125)
}

/// With the default threshold every cell of this dataset keeps its exact
/// set, so every customer figure must equal SQL.
#[apply(each_backend)]
#[tokio::test]
async fn every_number_matches_sql_over_the_raw_orders(backend: Backend) {
    let seed = proptest_seed();
    let (app, api) = seeded_app(backend, 30_000, &[]).await;
    let db = app.db().connect().await;
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let mut tally = Tally::default();
    for index in 0..CASES {
        let case = Case::draw(&mut rng, &Dims::demo());
        let label = format!("{backend:?} seed {seed} case {index}");
        check_kpis(&db, &api, &case, &label, &mut tally).await;
        check_timeseries(&db, &api, &case, &label, &mut rng).await;
        check_breakdown(&db, &api, &case, &label).await;
        check_orders(&db, &api, &case, &label).await;
    }
    assert_eq!(tally.estimated, 0, "{backend:?}: {tally:?}");
}

/// The sketches each instance holds in memory are replaced when a refresh
/// rewrites their rows: KPIs asked before a refresh (which fills the store)
/// and again after it (new orders in the same month and days) match SQL
/// both times, with the store on and off.
#[apply(each_backend)]
#[tokio::test]
async fn sketches_held_in_memory_follow_each_refresh(backend: Backend) {
    for budget in ["256", "0"] {
        let settings = [("TESSERA_SKETCH_CACHE_MB", budget)];
        let (app, api, days) = unseeded_app(backend, 12_000, &settings).await;
        let db = app.db().connect().await;
        let split = days.len() * 2 / 3;
        // The first day of the second load, and the month around it.
        let cut = END_DAY - days.len() as i64 + 1 + split as i64;
        let month = calendar::month_of(cut);
        let month_case = Case {
            from: calendar::month_start(month),
            to: calendar::month_start(month + 1) - 1,
            regions: Vec::new(),
            categories: Vec::new(),
        };
        let around_case = Case {
            from: cut - 50,
            to: cut + 40,
            regions: vec![REGIONS[0].into(), REGIONS[2].into()],
            categories: Vec::new(),
        };
        load_and_refresh(&app, &api, &days[..split]).await;
        for (name, case) in [("month", &month_case), ("around", &around_case)] {
            let label = format!("{backend:?} budget {budget} {name} before");
            check_kpis(&db, &api, case, &label, &mut Tally::default()).await;
        }
        load_and_refresh(&app, &api, &days[split..]).await;
        for (name, case) in [("month", &month_case), ("around", &around_case)] {
            let label = format!("{backend:?} budget {budget} {name} after");
            check_kpis(&db, &api, case, &label, &mut Tally::default()).await;
        }
        db.close().await;
    }
}

pub async fn check_kpis(
    db: &Db,
    api: &app::api::ApiClient,
    case: &Case,
    label: &str,
    tally: &mut Tally,
) {
    let kpis = api.kpis(&case.filters()).await.expect("kpis").data;
    let len = case.to - case.from + 1;
    let (pf, pt) = (case.from - len, case.from - 1);
    for (period, (from, to)) in [("now", (case.from, case.to)), ("previous", (pf, pt))] {
        let (orders, revenue, cost) = exact_sums(db, case, from, to).await;
        let pick = |k: &app::api::Kpi| if period == "now" { k.value } else { k.previous };
        assert_eq!(
            pick(&kpis.orders) as i64,
            orders,
            "{label}: orders {period}"
        );
        assert_eq!(
            cents(pick(&kpis.revenue)),
            revenue,
            "{label}: revenue {period}"
        );
        assert_eq!(cents(pick(&kpis.cost)), cost, "{label}: cost {period}");
        assert_eq!(
            cents(pick(&kpis.profit)),
            revenue - cost,
            "{label}: profit {period}"
        );
        let aov = if orders == 0 {
            0.0
        } else {
            revenue as f64 / orders as f64 / 100.0
        };
        assert!(
            (pick(&kpis.aov) - aov).abs() <= 0.005 + 1e-9,
            "{label}: aov {period}"
        );
        let margin = if revenue == 0 {
            0.0
        } else {
            (revenue - cost) as f64 / revenue as f64
        };
        assert!(
            (pick(&kpis.margin) - margin).abs() < 1e-9,
            "{label}: margin {period}"
        );
    }
    check_customer_figures(db, case, &kpis, label, tally).await;
    let spark_total: f64 = kpis.revenue.spark.iter().sum();
    assert_eq!(
        cents(spark_total),
        cents(kpis.revenue.value),
        "{label}: revenue sparkline adds up"
    );
}

pub async fn check_timeseries(
    db: &Db,
    api: &app::api::ApiClient,
    case: &Case,
    label: &str,
    rng: &mut Pcg64Mcg,
) {
    let granularity = *[Granularity::Day, Granularity::Week, Granularity::Month]
        .choose(rng)
        .expect("g");
    let metric = *Metric::ALL.choose(rng).expect("metric");
    let series = api
        .timeseries(&case.filters(), metric, granularity, false)
        .await
        .expect("timeseries")
        .data;
    let starts: Vec<i64> = series
        .points
        .iter()
        .map(|p| calendar::parse_day(&p.start).expect("day"))
        .collect();
    assert_eq!(starts.first(), Some(&case.from), "{label}: first bucket");
    for (index, point) in series.points.iter().enumerate() {
        let end = starts.get(index + 1).map_or(case.to, |next| next - 1);
        let (orders, revenue, cost) = exact_sums(db, case, starts[index], end).await;
        let expected = match metric {
            Metric::Revenue => revenue as f64 / 100.0,
            Metric::Cost => cost as f64 / 100.0,
            Metric::Profit => (revenue - cost) as f64 / 100.0,
            Metric::Orders => orders as f64,
            Metric::Aov if orders == 0 => 0.0,
            Metric::Aov => ((revenue as f64 / orders as f64 / 100.0) * 100.0).round() / 100.0,
        };
        assert!(
            (point.value - expected).abs() < 0.005,
            "{label}: {metric:?} {granularity:?} bucket {}",
            point.start
        );
    }
}

pub async fn check_breakdown(db: &Db, api: &app::api::ApiClient, case: &Case, label: &str) {
    let breakdown = api
        .breakdown(&case.filters(), Dimension::Region, Metric::Revenue, 50)
        .await
        .expect("breakdown")
        .data;
    for item in &breakdown.items {
        let w = case.sql_where(case.from, case.to);
        let exact = scalar(
            db,
            &format!(
                "SELECT CAST(SUM(total) AS BIGINT) FROM orders WHERE {w} AND region = {}",
                quoted(&item.key)
            ),
        )
        .await;
        assert_eq!(cents(item.value), exact, "{label}: breakdown {}", item.key);
    }
    assert!(
        breakdown.items.windows(2).all(|w| w[0].value >= w[1].value),
        "{label}: sorted"
    );
}

pub async fn check_orders(db: &Db, api: &app::api::ApiClient, case: &Case, label: &str) {
    let query = OrdersQuery {
        sort: SortColumn::Total,
        descending: true,
        limit: 7,
        ..OrdersQuery::default()
    };
    let first = api
        .orders(&case.filters(), &query)
        .await
        .expect("orders")
        .data;
    let mut ids: Vec<i64> = first.items.iter().map(|o| o.id).collect();
    if let Some(cursor) = first.next_cursor {
        let next = OrdersQuery {
            cursor: Some(cursor),
            ..query
        };
        ids.extend(
            api.orders(&case.filters(), &next)
                .await
                .expect("page 2")
                .data
                .items
                .iter()
                .map(|o| o.id),
        );
    }
    // All statuses are listed, not only completed orders.
    let w = case
        .sql_where(case.from, case.to)
        .replace("status = 'completed' AND ", "");
    let sql = format!("SELECT id FROM orders WHERE {w} ORDER BY total DESC, id DESC LIMIT 14");
    let expected: Vec<i64> = match db {
        Db::Sqlite(pool) => sqlx::query_scalar(&sql).fetch_all(pool).await,
        Db::Postgres(pool) => sqlx::query_scalar(&sql).fetch_all(pool).await,
    }
    .expect("raw orders");
    assert_eq!(ids, expected, "{label}: two pages of orders by total");
}
