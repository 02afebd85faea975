//! A large imported file (1,000,000 rows unless `TESSERA_TEST_IMPORT_ROWS`
//! says otherwise), then the property test on it: random filters over its
//! own regions and categories (spaces, accents, quotes, commas), every
//! figure against SQL over the raw orders.

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;
use rstest_reuse::apply;
use server::analytics::calendar;

use super::{csv_row, import_app, order_count, upload_and_wait};
use crate::{
    analytics::{
        correctness::{check_breakdown, check_kpis, check_timeseries, proptest_seed, Case, Dims},
        customers::Tally,
        service_client, END_DAY,
    },
    helpers::{each_backend, Backend},
};

const REGIONS: [&str; 7] = [
    "Zürich \"Nord\", Süd",
    "Île-de-France",
    "São Paulo",
    "O'Higgins",
    "New York",
    "東京",
    "Baden-Württemberg",
];
const CATEGORIES: [&str; 5] = [
    "Books & Media",
    "Café 'Crème'",
    "Garden, Outdoor",
    "Électronique",
    "Toys",
];
const CASES: usize = 15;

fn rows() -> usize {
    std::env::var("TESSERA_TEST_IMPORT_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

/// A deterministic file of `n` orders over the two years before
/// [`END_DAY`], in the three date forms, mixed-case header, some rows
/// without an id.
pub fn large_file(n: usize, seed: u64) -> Vec<u8> {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let mut text = String::with_capacity(n * 110);
    text.push_str(
        "ID,Ordered_At,Customer_ID,Region,Category,Product,Quantity,Unit_Price,Unit_Cost,Discount,Status\n",
    );
    let first = (END_DAY - 729) * 86_400;
    for i in 0..n {
        let at = first + rng.random_range(0..730 * 86_400);
        let day = calendar::format_day(at.div_euclid(86_400));
        let when = match i % 3 {
            0 => format!("{day}T{:02}:{:02}:00Z", (at / 3600) % 24, (at / 60) % 60),
            1 => format!(
                "{day} {:02}:{:02}:{:02}",
                (at / 3600) % 24,
                (at / 60) % 60,
                at % 60
            ),
            _ => day,
        };
        let price = rng.random_range(100..30_000_i64);
        let quantity = rng.random_range(1..5_i64);
        let discount = if rng.random_bool(0.2) {
            price * quantity / 10
        } else {
            0
        };
        let status = match rng.random_range(0..20) {
            0 => "returned",
            1 => "cancelled",
            _ => "completed",
        };
        let money = |c: i64| format!("{}.{:02}", c / 100, c % 100);
        let id = if i % 97 == 5 {
            String::new()
        } else {
            (i + 1).to_string()
        };
        text.push_str(&csv_row(&[
            &id,
            &when,
            &rng.random_range(1..40_000_i64).to_string(),
            REGIONS[rng.random_range(0..REGIONS.len())],
            CATEGORIES[rng.random_range(0..CATEGORIES.len())],
            "Thing",
            &quantity.to_string(),
            &money(price),
            &money(price * rng.random_range(30..80) / 100),
            &if discount > 0 {
                money(discount)
            } else {
                String::new()
            },
            status,
        ]));
    }
    text.into_bytes()
}

#[apply(each_backend)]
#[tokio::test]
async fn a_large_import_answers_like_sql_over_its_rows(backend: Backend) {
    let n = rows();
    let (app, token) = import_app(backend, &[]).await;
    let file = large_file(n, 19);
    let started = std::time::Instant::now();
    // A million rows is larger than TESSERA_IMPORT_BACKGROUND_ABOVE: 202,
    // then loaded in the background.
    let expected = if file.len() > 16 << 20 { 202 } else { 201 };
    let (status, body) = upload_and_wait(&app, &token, ("large.csv", file), None).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (expected, Some("succeeded")),
        "{body}"
    );
    eprintln!(
        "{backend:?}: imported {n} rows in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(body["inserted"].as_i64(), Some(n as i64));
    let db = app.db().connect().await;
    assert_eq!(order_count(&db).await, n as i64);

    let api = service_client(&app, app::api::Role::Viewer).await;
    let dims = Dims {
        regions: REGIONS.map(str::to_owned).to_vec(),
        categories: CATEGORIES.map(str::to_owned).to_vec(),
    };
    let seed = proptest_seed();
    let mut rng = Pcg64Mcg::seed_from_u64(seed ^ 0x19);
    let mut tally = Tally::default();
    for index in 0..CASES {
        let case = Case::draw_until(&mut rng, &dims, END_DAY);
        let label = format!("{backend:?} import seed {seed} case {index}");
        check_kpis(&db, &api, &case, &label, &mut tally).await;
        check_timeseries(&db, &api, &case, &label, &mut rng).await;
        check_breakdown(&db, &api, &case, &label).await;
    }
    db.close().await;
}
