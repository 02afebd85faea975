//! Import benchmark: CSV imports of 1 M and 10 M orders (rows/s of the
//! whole import: read, check, stage, merge, roll up; and this process's
//! peak resident memory over its idle level), then a pull of 1 M rows from
//! a PostgreSQL warehouse source.
//!
//! Each import runs the use case `POST /api/v1/data/imports` and `tessera
//! import` run, on a fresh database: SQLite always; PostgreSQL too when
//! `TESSERA_TEST_POSTGRES_URL` names a server. The files are generated
//! first (not timed) in a temporary directory.
//!
//! Run: `cargo bench -p server --bench imports`. Settings:
//! `TESSERA_BENCH_IMPORT_ROWS` (default `1000000,10000000`),
//! `TESSERA_BENCH_SOURCE_ROWS` (default 1,000,000; 0 skips the pull).
//! Report: target/bench-imports.md.

mod common;

use std::{io::Write as _, sync::atomic::Ordering, time::Instant};

use api_types::ImportMode;
use common::{
    config, drop_postgres, fresh_postgres,
    open_loop::{mib, resident, watch_memory},
};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;
use server::{
    analytics::{calendar, Analytics},
    imports::{self, Importer, Upload},
    source::Source,
    startup::connect_and_migrate,
};
use sqlx::Connection as _;

const REGIONS: [&str; 6] = [
    "North America",
    "Europe",
    "Zürich \"Nord\", Süd",
    "Île-de-France",
    "São Paulo",
    "Asia-Pacific",
];
const CATEGORIES: [&str; 4] = ["Books & Media", "Café 'Crème'", "Garden, Outdoor", "Toys"];

/// Writes `n` orders over three years to `path`.
fn write_file(path: &std::path::Path, n: usize) {
    let mut out =
        std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path).expect("file"));
    writeln!(out, "id,ordered_at,customer_id,region,category,product,quantity,unit_price,unit_cost,discount,status").expect("write");
    let mut rng = Pcg64Mcg::seed_from_u64(19);
    let end = calendar::day(time::OffsetDateTime::now_utc().date()) - 1;
    let first = (end - 1095) * 86_400;
    for i in 0..n {
        let at = first + rng.random_range(0..1096 * 86_400);
        let day = calendar::format_day(at.div_euclid(86_400));
        let price = rng.random_range(100..30_000_i64);
        let region = REGIONS[rng.random_range(0..REGIONS.len())];
        let region = if region.contains(['"', ',']) {
            "\"Zürich \"\"Nord\"\", Süd\""
        } else {
            region
        };
        let category = CATEGORIES[rng.random_range(0..CATEGORIES.len())];
        let category = if category.contains(',') {
            "\"Garden, Outdoor\""
        } else {
            category
        };
        writeln!(
            out,
            "{},{day} {:02}:{:02}:00,{},{region},{category},Thing,{},{}.{:02},{}.{:02},,{}",
            i + 1,
            (at / 3600) % 24,
            (at / 60) % 60,
            rng.random_range(1..200_000_i64),
            rng.random_range(1..5),
            price / 100,
            price % 100,
            price / 250,
            price % 100,
            if rng.random_bool(0.92) {
                "completed"
            } else {
                "returned"
            },
        )
        .expect("write");
    }
    out.flush().expect("flush");
}

struct Measured {
    rows: i64,
    seconds: f64,
    peak_over_idle: u64,
}

async fn import_into(url: &str, dir: &std::path::Path, file: &std::path::Path) -> Measured {
    let config = config(url, dir, &[]);
    let db = connect_and_migrate(&config).await.expect("database");
    let analytics = Analytics::new(&config.analytics);
    analytics.dataset.sync(&db).await.expect("dataset");
    let size = std::fs::metadata(file).expect("size").len();
    let upload = Upload {
        path: file.to_path_buf(),
        file_name: "bench.csv".into(),
        size: i64::try_from(size).unwrap_or(i64::MAX),
    };
    let idle = resident();
    let (stop, peak) = watch_memory();
    let started = Instant::now();
    let who = Importer {
        key: "bench",
        name: "bench",
    };
    let timeout = std::time::Duration::from_secs(3600);
    let (result, _) =
        imports::import(&db, &analytics, (&upload, ImportMode::Insert), who, timeout).await;
    let seconds = started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    let peak = peak.await.expect("peak");
    let view = result.expect("import");
    db.close().await;
    Measured {
        rows: view.inserted,
        seconds,
        peak_over_idle: peak.saturating_sub(idle),
    }
}

/// A source database of `n` rows pulled into a fresh SQLite warehouse.
async fn pull(admin: &str, dir: &std::path::Path, n: i64) -> Measured {
    let source_url = fresh_postgres(admin).await;
    let mut conn = sqlx::PgConnection::connect(&source_url)
        .await
        .expect("source");
    sqlx::query(
        "CREATE TABLE shop_orders AS SELECT i AS order_no, \
         TIMESTAMPTZ '2024-01-01 00:00:00+00' + (i % 1000) * INTERVAL '1 day' AS created, \
         1 + i % 100000 AS client, (ARRAY['Europe', 'Île-de-France', 'North America'])[1 + i % 3] AS region, \
         'Toys' AS category, 'Thing' AS product, 1 + i % 4 AS quantity, \
         CAST(12.50 + i % 7 AS NUMERIC(12, 2)) AS unit_price, CAST(4.25 AS NUMERIC(12, 2)) AS unit_cost, \
         'completed' AS status FROM generate_series(1, $1) AS i",
    )
    .bind(n)
    .execute(&mut conn)
    .await
    .expect("source rows");
    sqlx::query("ALTER TABLE shop_orders ADD PRIMARY KEY (order_no)")
        .execute(&mut conn)
        .await
        .expect("key");
    let url = format!("sqlite://{}", dir.join("pull.db").display());
    let settings = [
        ("TESSERA_SOURCE_URL", source_url.as_str()),
        ("TESSERA_SOURCE_TABLE", "shop_orders"),
        (
            "TESSERA_SOURCE_COLUMNS",
            "id=order_no,ordered_at=created,customer_id=client,discount=-",
        ),
        ("TESSERA_SOURCE_WATERMARK", "order_no"),
    ];
    let config = config(&url, dir, &settings);
    let db = connect_and_migrate(&config).await.expect("database");
    let analytics = Analytics::new(&config.analytics);
    analytics.dataset.sync(&db).await.expect("dataset");
    let source = Source::new(config.source.clone().expect("source")).expect("source");
    let idle = resident();
    let (stop, peak) = watch_memory();
    let started = Instant::now();
    let pulled = source.pull(&db, &analytics).await.expect("pull");
    let seconds = started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    let peak = peak.await.expect("peak");
    db.close().await;
    drop_postgres(admin, &source_url).await;
    Measured {
        rows: pulled.rows,
        seconds,
        peak_over_idle: peak.saturating_sub(idle),
    }
}

fn line(what: &str, m: &Measured) -> String {
    format!(
        "| {what} | {} | {:.1} s | **{:.0} k rows/s** | {} |\n",
        m.rows,
        m.seconds,
        m.rows as f64 / m.seconds / 1000.0,
        mib(m.peak_over_idle)
    )
}

#[tokio::main]
async fn main() {
    // The import's own phase timings ("import loaded") on stderr.
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("server::imports=info"))
        .with_writer(std::io::stderr)
        .init();
    let sizes: Vec<usize> = std::env::var("TESSERA_BENCH_IMPORT_ROWS")
        .unwrap_or_else(|_| "1000000,10000000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let source_rows: i64 = common::env_or("TESSERA_BENCH_SOURCE_ROWS", 1_000_000);
    let postgres = std::env::var("TESSERA_TEST_POSTGRES_URL")
        .ok()
        .filter(|v| !v.is_empty());
    let mut report = String::from(
        "# Import benchmark\n\nRelease build; one process (importer and database client); rows/s \
         over the whole import (read, check, stage, merge, roll up). Memory: peak resident \
         memory over the idle level, sampled every 20 ms.\n\n\
         | run | rows | time | rows/s | peak RSS − idle |\n|---|---|---|---|---|\n",
    );
    for &n in &sizes {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("orders.csv");
        write_file(&file, n);
        let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
        eprintln!("{n} rows: {} file", mib(size));
        let url = format!("sqlite://{}", dir.path().join("tessera.db").display());
        let m = import_into(&url, dir.path(), &file).await;
        eprintln!("SQLite {n}: {:.1} s", m.seconds);
        report += &line(&format!("CSV {} MiB → SQLite", size >> 20), &m);
        if let Some(admin) = &postgres {
            let url = fresh_postgres(admin).await;
            let m = import_into(&url, dir.path(), &file).await;
            eprintln!("PostgreSQL {n}: {:.1} s", m.seconds);
            report += &line(&format!("CSV {} MiB → PostgreSQL", size >> 20), &m);
            drop_postgres(admin, &url).await;
        }
    }
    if let (Some(admin), true) = (&postgres, source_rows > 0) {
        let dir = tempfile::tempdir().expect("temp dir");
        let m = pull(admin, dir.path(), source_rows).await;
        eprintln!("pull {source_rows}: {:.1} s", m.seconds);
        report += &line("PostgreSQL source pull → SQLite (batches of 10,000)", &m);
    }
    println!("{report}");
    std::fs::create_dir_all("target").ok();
    std::fs::write("target/bench-imports.md", &report).expect("report");
}
