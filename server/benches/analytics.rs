//! Analytics benchmark: seeds N orders, serves them over loopback HTTP with
//! authenticated (service token) requests and writes a report: seeding and
//! rollup speed, cold and warm latency per endpoint, and the database loads
//! caused by 50 simulated users changing filters for 60 s.
//!
//! Run: `cargo bench -p server --bench analytics`. Settings:
//! `TESSERA_BENCH_ORDERS` (default 1000000), `TESSERA_BENCH_DATABASE_URL`
//! (default: a SQLite file under target/bench-data, reused when it already
//! holds N orders; a PostgreSQL URL is used as given, its warehouse replaced
//! unless it holds N orders), `TESSERA_BENCH_USERS_SECONDS` (default 60),
//! `TESSERA_BENCH_WARM_SECONDS` (per endpoint, default 5),
//! `TESSERA_BENCH_COLD_QUERIES` (per endpoint, default 100),
//! `TESSERA_BENCH_ENDPOINTS` (default `kpis,timeseries,breakdown,customers,orders`),
//! `TESSERA_SKETCH_CACHE_MB`, `TESSERA_EXACT_CUSTOMERS` and `TESSERA_AUDIT`
//! (the server's settings, default 256, 4096 and on; `TESSERA_EXACT_CUSTOMERS=0`
//! stores sketches only, as before issue 21). The rollups are rebuilt from
//! every order on each run, so the refresh time and rollup size are those
//! of the setting measured.
//! `TESSERA_BENCH_CLIENT` (`hyper` or `reqwest`, see `common::load`). Report:
//! target/bench-analytics-<backend>-<N>.md.

#![allow(
    clippy::too_many_lines,
    reason = "scenarios read top to bottom; the 80-line limit is for the server's code"
)]

use std::{
    collections::HashSet,
    fmt::Write as _,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

mod analytics_questions;
mod common;

use analytics_questions::{path, random_query, suffix, Exactness};

use app::api::Role;
use common::{
    config, env_or,
    load::{self, Client},
    service_token,
};
use rand::{seq::IndexedRandom, Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;
use server::{
    analytics::{calendar, dataset::refresh_with_progress, generator::GeneratorConfig, seed},
    startup::{connect_and_migrate, Application},
};

const WARM_CONNECTIONS: usize = 200;
const USERS: usize = 50;

fn percentile(samples: &mut [Duration], q: f64) -> Duration {
    samples.sort();
    samples[((samples.len() as f64 - 1.0) * q).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1e3)
}

async fn get(http: &reqwest::Client, url: &str, bearer: &str) -> Duration {
    get_body(http, url, bearer).await.0
}

/// The time to the whole answer, and the answer.
async fn get_body(http: &reqwest::Client, url: &str, bearer: &str) -> (Duration, bytes::Bytes) {
    let start = Instant::now();
    let response = http
        .get(url)
        .bearer_auth(bearer)
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), 200, "{url}");
    let body = response.bytes().await.unwrap_or_default();
    (start.elapsed(), body)
}

async fn cache_stats(http: &reqwest::Client, base: &str, admin: &str) -> serde_json::Value {
    http.get(format!("{base}/api/v1/admin/cache"))
        .bearer_auth(admin)
        .send()
        .await
        .expect("stats")
        .json()
        .await
        .expect("json")
}

/// Database loads and evictions (expired or over the size bound) so far,
/// all classes.
async fn loads_and_evictions(http: &reqwest::Client, base: &str, admin: &str) -> (u64, u64) {
    let stats = cache_stats(http, base, admin).await;
    let sum = |field: &str| {
        stats["classes"]
            .as_array()
            .map_or(0, |c| c.iter().filter_map(|c| c[field].as_u64()).sum())
    };
    (sum("loads"), sum("evictions"))
}

#[tokio::main]
async fn main() {
    let orders: u64 = env_or("TESSERA_BENCH_ORDERS", 1_000_000);
    let seconds: u64 = env_or("TESSERA_BENCH_USERS_SECONDS", 60);
    assert!(
        seconds > 0,
        "TESSERA_BENCH_USERS_SECONDS must be 1 or more: the users phase reports the percentiles of its requests"
    );
    let target = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target");
    let data = target.join("bench-data");
    std::fs::create_dir_all(&data).expect("bench data dir");
    let url = std::env::var("TESSERA_BENCH_DATABASE_URL").unwrap_or_else(|_| {
        format!(
            "sqlite://{}",
            data.join(format!("orders-{orders}.db")).display()
        )
    });
    let sketch_mb = std::env::var("TESSERA_SKETCH_CACHE_MB").unwrap_or_else(|_| "256".into());
    let audit = std::env::var("TESSERA_AUDIT").unwrap_or_else(|_| "on".into());
    let exact = std::env::var("TESSERA_EXACT_CUSTOMERS").unwrap_or_else(|_| "4096".into());
    // Answers live longer than the run (the orders list's default is one
    // minute), so a load counts a question, not an expiry.
    let config = config(
        &url,
        &data,
        &[
            ("TESSERA_SKETCH_CACHE_MB", &sketch_mb),
            ("TESSERA_EXACT_CUSTOMERS", &exact),
            ("TESSERA_AUDIT", &audit),
            ("TESSERA_CACHE_TTL", "orders=10m"),
        ],
    );
    let mut report = String::new();

    // Seed (unless this database already holds exactly N orders) and roll up.
    let db = connect_and_migrate(&config).await.expect("database");
    let backend = db.backend().as_str();
    let state = db.dataset_state().await.expect("state");
    let pending = db
        .warehouse_counts(state.watermark)
        .await
        .expect("counts")
        .pending_orders;
    let (seed_line, refresh_line);
    if u64::try_from(state.rolled_up + pending).unwrap_or(0) == orders {
        seed_line = format!("reused an existing database holding {orders} orders");
        db.reset_rollups().await.expect("reset rollups");
    } else {
        db.clear_warehouse().await.expect("clear");
        let end = calendar::parse_day("2026-11-20").expect("day");
        let mut last = Instant::now();
        let seeded = seed::seed(
            &db,
            GeneratorConfig {
                orders,
                seed: 42,
                end,
            },
            |n| {
                if last.elapsed() > Duration::from_secs(10) {
                    eprintln!("seeded {n} orders");
                    last = Instant::now();
                }
            },
        )
        .await
        .expect("seed");
        seed_line = format!(
            "seeded {} orders, {} customers in {:.1} s: **{:.0} rows/s**",
            seeded.orders,
            seeded.customers,
            seeded.elapsed.as_secs_f64(),
            seeded.rows_per_second()
        );
    }
    eprintln!("{seed_line}");
    let started = Instant::now();
    let (outcome, _) = refresh_with_progress(&db, config.analytics.exact_customers, |_| {})
        .await
        .expect("refresh");
    refresh_line = format!(
        "rolled up {} orders from scratch in **{:.1} s** ({:.0} rows/s), cells exact up to {exact} customers (`TESSERA_EXACT_CUSTOMERS`)",
        outcome.ingested,
        started.elapsed().as_secs_f64(),
        outcome.ingested as f64 / started.elapsed().as_secs_f64().max(1e-3)
    );
    let sizes = db.rollup_sizes().await.expect("rollup sizes");
    let size_line = sizes
        .iter()
        .zip(["daily", "monthly"])
        .map(|(size, name)| {
            format!(
                "{name}: {} cells ({} exact), customer cells **{:.1} MB** ({:.0} bytes per cell)",
                size.rows,
                size.exact_cells,
                size.customer_bytes as f64 / 1e6,
                size.customer_bytes as f64 / size.rows.max(1) as f64
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    eprintln!("{size_line}");
    eprintln!("{refresh_line}");
    let status = server::analytics::dataset::status(&db, db.dataset_state().await.expect("state"))
        .await
        .expect("status");
    db.close().await;

    let app = Application::build(config).await.expect("app");
    let addr = app.local_addr();
    let base = format!("http://{addr}");
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    let viewer = service_token(&base, Role::Viewer).await;
    let admin = service_token(&base, Role::Admin).await;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(WARM_CONNECTIONS)
        .build()
        .expect("client");

    let _ = writeln!(
        report,
        "# Analytics benchmark: {backend}, {orders} orders\n"
    );
    let _ = writeln!(
        report,
        "- {seed_line}\n- {refresh_line}\n- rollups: {size_line}\n- customers: {}\n",
        status.customers
    );
    // The instance loads the customer sketches into memory in the
    // background after start-up; cold answers are measured once it has.
    let warming = Instant::now();
    let sketches = loop {
        let stats = cache_stats(&http, &base, &admin).await;
        let sketches = stats["sketches"].clone();
        let done = sketches["warmed_version"].as_i64() >= stats["dataset_version"].as_i64();
        if done || warming.elapsed() > Duration::from_secs(300) {
            break sketches;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let sketch_line = format!(
        "customer sketches loaded into memory in the background within {:.1} s of start-up: {} sketches, {:.1} MB (bound {:.0} MB, `TESSERA_SKETCH_CACHE_MB`)",
        warming.elapsed().as_secs_f64(),
        sketches["entries"],
        sketches["bytes"].as_f64().unwrap_or(0.0) / 1e6,
        sketches["max_bytes"].as_f64().unwrap_or(0.0) / 1_048_576.0,
    );
    eprintln!("{sketch_line}");
    let _ = writeln!(report, "- {sketch_line}");
    let warm_seconds: f64 = env_or("TESSERA_BENCH_WARM_SECONDS", 5.0);
    let cold_queries: usize = env_or("TESSERA_BENCH_COLD_QUERIES", 100);
    let endpoints = std::env::var("TESSERA_BENCH_ENDPOINTS")
        .unwrap_or_else(|_| "kpis,timeseries,breakdown,customers,orders".into());
    let _ = writeln!(
        report,
        "- warm: {WARM_CONNECTIONS} connections for {warm_seconds} s per endpoint, client {}; cold: \
         {cold_queries} distinct questions one after another; audit log {audit} (`TESSERA_AUDIT`)\n",
        Client::from_env().name()
    );
    let _ = writeln!(report, "| endpoint | cold p50 ms | cold p99 ms | cold max ms | warm req/s | warm p50 ms | warm p99 ms |");
    let _ = writeln!(report, "|---|---|---|---|---|---|---|");

    let client = Client::from_env();
    let auth = [("authorization", format!("Bearer {viewer}"))];
    let hammer = |route: String| {
        let auth = auth.clone();
        async move {
            load::hammer(
                client,
                addr,
                WARM_CONNECTIONS,
                &[route],
                &auth,
                warm_seconds,
            )
            .await
        }
    };
    // The floor on this machine: no database, no auth (health); auth only (me).
    for (name, route) in [
        ("health (floor)", "/api/v1/health"),
        ("me (auth only)", "/api/v1/me"),
    ] {
        let (rps, mut warm) = hammer(route.to_owned()).await;
        let line = format!(
            "| {name} | – | – | – | {rps:.0} | {} | {} |",
            ms(percentile(&mut warm, 0.5)),
            ms(percentile(&mut warm, 0.99)),
        );
        eprintln!("{line}");
        let _ = writeln!(report, "{line}");
    }
    let mut rng = Pcg64Mcg::seed_from_u64(1);
    let mut exactness = Exactness::default();
    for endpoint in endpoints.split(',').map(str::trim) {
        // Cold: distinct questions, each a cache miss and one load.
        let mut cold = Vec::with_capacity(cold_queries);
        let mut seen = HashSet::new();
        while cold.len() < cold_queries {
            let query = random_query(&mut rng, endpoint);
            if seen.insert(query.clone()) {
                let url = format!("{base}{}?{query}", path(endpoint));
                let (took, body) = get_body(&http, &url, &viewer).await;
                if endpoint == "kpis" {
                    exactness.add(&body);
                }
                cold.push(took);
            }
        }
        // Warm: one cached question, 200 connections for a few seconds.
        let route = format!(
            "{}?range=90d&regions=Europe,North%20America{}",
            path(endpoint),
            suffix(endpoint)
        );
        get(&http, &format!("{base}{route}"), &viewer).await;
        let (rps, mut warm) = hammer(route).await;
        let line = format!(
            "| {endpoint} | {} | {} | {} | {rps:.0} | {} | {} |",
            ms(percentile(&mut cold, 0.5)),
            ms(percentile(&mut cold, 0.99)),
            ms(percentile(&mut cold, 1.0)),
            ms(percentile(&mut warm, 0.5)),
            ms(percentile(&mut warm, 0.99)),
        );
        eprintln!("{line}");
        let _ = writeln!(report, "{line}");
    }
    let line = exactness.line();
    eprintln!("{line}");
    let _ = writeln!(report, "\n{line}.");

    // 50 users changing one filter at a time; each change refetches the
    // widgets that depend on it, as the dashboard does.
    let (loads_before, evictions_before) = loads_and_evictions(&http, &base, &admin).await;
    let questions = Arc::new(Mutex::new(HashSet::new()));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let users = (0..USERS).map(|user| {
        let (http, base, viewer, questions) = (http.clone(), base.clone(), viewer.clone(), questions.clone());
        tokio::spawn(async move {
            let mut rng = Pcg64Mcg::seed_from_u64(100 + user as u64);
            let mut requests = 0u64;
            let mut latencies = Vec::new();
            while Instant::now() < deadline {
                let filters = random_query(&mut rng, "kpis");
                let granularity = ["day", "week", "month"].choose(&mut rng).copied().unwrap_or("day");
                let widgets = [
                    format!("/api/v1/analytics/kpis?{filters}"),
                    format!("/api/v1/analytics/timeseries?{filters}&metric=revenue&granularity={granularity}"),
                    format!("/api/v1/analytics/breakdown?{filters}&dimension=region&metric=revenue"),
                    format!("/api/v1/analytics/breakdown?{filters}&dimension=category&metric=revenue"),
                    format!("/api/v1/orders?{filters}&sort=-ordered_at&limit=50"),
                ];
                for widget in widgets {
                    latencies.push(get(&http, &format!("{base}{widget}"), &viewer).await);
                    questions.lock().map(|mut q| q.insert(widget)).unwrap_or(false);
                    requests += 1;
                }
                tokio::time::sleep(Duration::from_millis(rng.random_range(500..2_000))).await;
            }
            (requests, latencies)
        })
    })
    .collect::<Vec<_>>();
    let (mut requests, mut latencies) = (0, Vec::new());
    for user in users {
        let (n, l) = user.await.expect("user");
        requests += n;
        latencies.extend(l);
    }
    let (loads_after, evictions_after) = loads_and_evictions(&http, &base, &admin).await;
    let (loads, evictions) = (
        loads_after - loads_before,
        evictions_after - evictions_before,
    );
    let distinct = questions.lock().map(|q| q.len()).unwrap_or(0);
    let _ = writeln!(
        report,
        "\n50 users changing filters for {seconds} s: {requests} requests, {distinct} distinct questions, \
         **{loads} database loads** (≤ distinct: {}; entries evicted or expired meanwhile: {evictions}), \
         p50 {} ms, p99 {} ms.\n",
        loads as usize <= distinct,
        ms(percentile(&mut latencies, 0.5)),
        ms(percentile(&mut latencies, 0.99)),
    );
    let _ = writeln!(
        report,
        "Loads above count the analytics queries. Authenticated requests read their principal's \
         row at most once per `TESSERA_AUTH_RECHECK` (5 s) per instance.\n\nMachine: {} cores. \
         Server and load generator share them.",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let path = target.join(format!("bench-analytics-{backend}-{orders}.md"));
    std::fs::write(&path, &report).expect("write report");
    println!("{report}\nreport written to {}", path.display());
}
