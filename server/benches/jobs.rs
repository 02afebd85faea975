//! Jobs benchmark: what background jobs cost the dashboard, how long a
//! forecast's fit takes, and an export's speed and memory.
//!
//! 1. An instance (release build, SQLite, `TESSERA_BENCH_ORDERS` demo
//!    orders over three years, audit log on, the default one job worker)
//!    serves a warm `GET /api/v1/analytics/kpis?range=90d` at a fixed rate
//!    (open loop) for `TESSERA_BENCH_SECONDS`, idle; then again right after
//!    100 forecast jobs (5 metrics × 20 horizons) were submitted, while they
//!    queue and run. Each forecast's own fit time (`fit_ms`: model choice on
//!    three years of daily values plus the backtest refit) comes from its
//!    result.
//! 2. Another instance over `TESSERA_BENCH_EXPORT_ORDERS` orders (default
//!    10 M) runs one export of every order (CSV) while this process's
//!    resident memory (`VmRSS`, server and load generator) is sampled.
//!
//! Run: `cargo bench -p server --bench jobs`. Settings: `TESSERA_BENCH_ORDERS`
//! (default 150,000), `TESSERA_BENCH_EXPORT_ORDERS` (default 10,000,000),
//! `TESSERA_BENCH_READ_RATE` (200/s), `TESSERA_BENCH_SECONDS` (15),
//! `TESSERA_BENCH_DIR` (keep the export's seeded database there for the next
//! run). Report: target/bench-jobs.md.

#![allow(
    clippy::too_many_lines,
    reason = "scenarios read top to bottom; the 80-line limit is for the server's code"
)]

mod common;

use std::{sync::atomic::Ordering, time::Duration, time::Instant};

use app::api::{ApiClient, ExportRequest, ForecastRequest, JobStatus, JobView, Role};
use bytes::Bytes;
use common::{
    config, env_or,
    open_loop::{mib, ms, open_loop, quantile, resident, watch_memory, Pool},
    service_token, PASSWORD,
};
use http_body_util::Full;
use hyper::{header, Request};
use server::{
    analytics::{calendar, dataset::refresh_with_progress, generator::GeneratorConfig, seed},
    startup::{connect_and_migrate, Application},
};

const READ: &str = "/api/v1/analytics/kpis?range=90d";
const METRICS: [&str; 5] = ["revenue", "orders", "profit", "aov", "active_customers"];

struct Running {
    base: String,
    addr: std::net::SocketAddr,
    stop: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<anyhow::Result<()>>,
}

async fn start(data: &std::path::Path, orders: u64, extra: &[(&'static str, &str)]) -> Running {
    let url = format!("sqlite://{}", data.join("tessera.db").display());
    let mut settings = vec![("TESSERA_JOB_USER_QUEUED", "1000")];
    settings.extend_from_slice(extra);
    let config = config(&url, data, &settings);
    let db = connect_and_migrate(&config).await.expect("database");
    if db.dataset_state().await.expect("state").rolled_up == 0 {
        let started = Instant::now();
        let end = calendar::parse_day("2026-11-20").expect("day");
        seed::seed(
            &db,
            GeneratorConfig {
                orders,
                seed: 42,
                end,
            },
            |_| {},
        )
        .await
        .expect("seed");
        refresh_with_progress(&db, config.analytics.exact_customers, |_| {})
            .await
            .expect("refresh");
        eprintln!(
            "seeded and rolled up {orders} orders in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    db.close().await;
    let app = Application::build(config).await.expect("app");
    let addr = app.local_addr();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async move {
        let _ = stopped.await;
    }));
    Running {
        base: format!("http://{addr}"),
        addr,
        stop,
        server,
    }
}

async fn reads(running: &Running, bearer: &str, rate: f64, seconds: f64) -> (Vec<Duration>, usize) {
    let host = running.addr.to_string();
    let read = |_: u64| {
        Request::get(READ)
            .header(header::HOST, &host)
            .header(header::AUTHORIZATION, bearer)
            .body(Full::new(Bytes::new()))
            .expect("request")
    };
    let outcomes = open_loop(Pool::new(running.addr), rate, seconds, read).await;
    let failed = outcomes.iter().filter(|(s, _)| *s != 200).count();
    let mut ok: Vec<Duration> = outcomes
        .into_iter()
        .filter(|(s, _)| *s == 200)
        .map(|(_, d)| d)
        .collect();
    ok.sort();
    (ok, failed)
}

async fn wait_all(client: &ApiClient, ids: &[String]) -> Vec<JobView> {
    let mut done = Vec::new();
    for id in ids {
        loop {
            let job = client.job(id).await.expect("job");
            if job.status.is_finished() {
                done.push(job);
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    done
}

async fn dashboard_under_jobs(orders: u64, rate: f64, seconds: f64) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let running = start(dir.path(), orders, &[]).await;
    let bearer = format!(
        "Bearer {}",
        service_token(&running.base, Role::Viewer).await
    );
    let analyst = ApiClient::with_cookie_jar(running.base.clone());
    analyst
        .login("analyst@tessera.local", PASSWORD)
        .await
        .expect("login");
    let warm = Pool::new(running.addr);
    for _ in 0..20 {
        let request = Request::get(READ)
            .header(header::HOST, running.addr.to_string())
            .header(header::AUTHORIZATION, &bearer)
            .body(Full::new(Bytes::new()))
            .expect("request");
        assert_eq!(warm.send(request).await, 200);
    }
    let (idle, idle_failed) = reads(&running, &bearer, rate, seconds).await;

    let submitted = Instant::now();
    let mut ids = Vec::new();
    for metric in METRICS {
        for horizon in 7..27 {
            let request = ForecastRequest {
                target_metric: Some(metric.into()),
                horizon_days: Some(horizon),
                confidence: Some(90),
                include_weekends: Some(true),
                ..ForecastRequest::default()
            };
            ids.push(
                analyst
                    .submit_forecast(&request)
                    .await
                    .expect("submit")
                    .job
                    .id,
            );
        }
    }
    let (busy, busy_failed) = reads(&running, &bearer, rate, seconds).await;
    let finished_during = {
        let jobs = analyst.jobs(false).await.expect("jobs").jobs;
        jobs.iter().filter(|j| j.status.is_finished()).count()
    };
    let jobs = wait_all(&analyst, &ids).await;
    let all_done = submitted.elapsed();
    let succeeded = jobs
        .iter()
        .filter(|j| j.status == JobStatus::Succeeded)
        .count();
    let fit = |metric: Option<&str>| {
        let mut times: Vec<Duration> = jobs
            .iter()
            .filter(|j| metric.is_none_or(|m| j.params["target_metric"] == m))
            .filter_map(|j| j.result.as_ref()?.get("fit_ms")?.as_f64())
            .map(|ms| Duration::from_secs_f64(ms / 1000.0))
            .collect();
        times.sort();
        format!(
            "{} / {} / {}",
            ms(quantile(&times, 0.5)),
            ms(quantile(&times, 0.95)),
            ms(quantile(&times, 1.0))
        )
    };
    let _ = running.stop.send(());
    let _ = running.server.await;
    let ratio = quantile(&busy, 0.99).as_secs_f64() / quantile(&idle, 0.99).as_secs_f64().max(1e-9);
    format!(
        "## Dashboard while 100 forecasts queue and run\n\n\
         {orders} orders, `GET {READ}` at {rate}/s for {seconds} s each (open loop, bearer token, warm).\n\n\
         | | read p50 | read p99 | read max | failed |\n|---|---|---|---|---|\n\
         | idle | {} | {} | {} | {idle_failed} |\n\
         | 100 forecast jobs submitted | {} | {} | {} | {busy_failed} |\n\n\
         **p99 with jobs / idle: {ratio:.2}×** (target < 2×). Jobs finished during the loaded phase: \
         {finished_during} of 100; all 100 finished {:.1} s after submission ({succeeded} succeeded).\n\n\
         Fit time per forecast (`fit_ms`: model choice among six ETS models on up to three years of \
         daily values, plus the backtest's refit), p50 / p95 / max:\n\n\
         | metric | fit |\n|---|---|\n| revenue | {} |\n| all five metrics | {} |\n",
        ms(quantile(&idle, 0.5)),
        ms(quantile(&idle, 0.99)),
        ms(quantile(&idle, 1.0)),
        ms(quantile(&busy, 0.5)),
        ms(quantile(&busy, 0.99)),
        ms(quantile(&busy, 1.0)),
        all_done.as_secs_f64(),
        fit(Some("revenue")),
        fit(None),
    )
}

async fn export_memory(orders: u64) -> String {
    // `TESSERA_BENCH_DIR` keeps the seeded database for the next run.
    let temp = tempfile::tempdir().expect("temp dir");
    let dir =
        std::env::var("TESSERA_BENCH_DIR").map_or_else(|_| temp.path().to_owned(), Into::into);
    std::fs::create_dir_all(&dir).expect("bench dir");
    let running = start(&dir, orders, &[("TESSERA_SKETCH_CACHE_MB", "0")]).await;
    let analyst = ApiClient::with_cookie_jar(running.base.clone());
    analyst
        .login("analyst@tessera.local", PASSWORD)
        .await
        .expect("login");
    tokio::time::sleep(Duration::from_secs(2)).await;
    let idle = resident();
    let (stop, watcher) = watch_memory();
    let started = Instant::now();
    let request = ExportRequest {
        from: Some("2000-01-01".into()),
        to: Some("2030-12-31".into()),
        format: Some("csv".into()),
        ..ExportRequest::default()
    };
    let job = analyst.submit_export(&request).await.expect("export").job;
    let done = wait_all(&analyst, &[job.id]).await.remove(0);
    let elapsed = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    let peak = watcher.await.expect("watcher");
    let _ = running.stop.send(());
    let _ = running.server.await;
    let rows = done
        .result
        .as_ref()
        .and_then(|r| r["rows"].as_u64())
        .unwrap_or(0);
    let bytes = done
        .result
        .as_ref()
        .and_then(|r| r["bytes"].as_u64())
        .unwrap_or(0);
    format!(
        "## Export of every order\n\n\
         {orders} orders, one export job (CSV, every column), status {:?}.\n\n\
         | rows | file | time | rows/s | RSS idle | RSS peak | peak − idle |\n|---|---|---|---|---|---|---|\n\
         | {rows} | {} | {:.1} s | **{:.0}** | {} | {} | **{}** |\n\n\
         Target: RSS flat, under 100 MB above idle.\n",
        done.status,
        mib(bytes),
        elapsed.as_secs_f64(),
        rows as f64 / elapsed.as_secs_f64(),
        mib(idle),
        mib(peak),
        mib(peak.saturating_sub(idle)),
    )
}

#[tokio::main]
async fn main() {
    let orders: u64 = env_or("TESSERA_BENCH_ORDERS", 150_000);
    let export_orders: u64 = env_or("TESSERA_BENCH_EXPORT_ORDERS", 10_000_000);
    let rate: f64 = env_or("TESSERA_BENCH_READ_RATE", 200.0);
    let seconds: f64 = env_or("TESSERA_BENCH_SECONDS", 15.0);
    let cores = server::auth::password::cores();
    eprintln!("phase 1: dashboard while forecasts run");
    let first = dashboard_under_jobs(orders, rate, seconds).await;
    eprintln!("{first}\nphase 2: export of {export_orders} orders");
    let second = export_memory(export_orders).await;
    let report = format!(
        "# Jobs benchmark\n\nRelease build, SQLite, audit log on, one job worker, loopback, \
         {cores} cores shared by server, workers and load generator.\n\n{first}\n{second}"
    );
    let target = std::env::var("CARGO_TARGET_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../target").into());
    let path = format!("{target}/bench-jobs.md");
    std::fs::write(&path, &report).expect("write report");
    println!("{report}\n(written to {path})");
}
