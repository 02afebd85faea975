//! Audit benchmark: warm dashboard throughput with the audit log on vs off.
//!
//! Seeds N orders (default 20000) once, then serves the same cached
//! dashboard questions from 64 connections for a few seconds per round, with
//! `TESSERA_AUDIT=off` and `on` in turn (after an uncounted warm-up pair;
//! which goes first alternates, so drift hits both alike). Every warm read
//! writes one audit row when on. Reports requests per second and CPU time
//! per request for both, the median per-round on/off ratio (target >= 0.95),
//! the rows written and how long `audit verify` takes over them.
//!
//! Run: `cargo bench -p server --bench audit`. Settings: `TESSERA_BENCH_ORDERS`,
//! `TESSERA_BENCH_DATABASE_URL` (default: a new SQLite file under
//! target/bench-data, so the audit log starts empty), `TESSERA_BENCH_ROUNDS` (default 15:
//! many short rounds, because this kind of VM's speed drifts by a third for
//! tens of seconds at a time), `TESSERA_BENCH_WARM_SECONDS` (per round, default 3),
//! `TESSERA_BENCH_CLIENT` (`hyper` or `reqwest`, see `common::load`). Report:
//! target/bench-audit.md.
//!
//! To see Tessera's own share with the database on other cores, run the
//! bench binary under `taskset -c 0` against a PostgreSQL cluster started
//! under `taskset -c 1` (a throwaway `initdb` cluster, not the shared one).

#![allow(
    clippy::too_many_lines,
    reason = "scenarios read top to bottom; the 80-line limit is for the server's code"
)]

mod common;

use std::{fmt::Write as _, time::Instant};

use common::{
    config, cpu_time, env_or,
    load::{self, Client},
    median, prepare, session_cookies,
};
use server::startup::{connect_and_migrate, Application};

const CONNECTIONS: usize = 64;
const QUESTIONS: [&str; 4] = [
    "/api/v1/analytics/kpis?range=90d&regions=Europe,North%20America",
    "/api/v1/analytics/timeseries?range=90d&metric=revenue&granularity=week",
    "/api/v1/analytics/breakdown?range=90d&dimension=region",
    "/api/v1/data/status",
];

/// What one round measured.
struct Round {
    /// Requests per second.
    rps: f64,
    /// CPU time per request, server and load generator together (µs).
    cpu_us: f64,
}

/// One round: starts an instance with auditing `audit`, warms the cache,
/// loads it for `seconds`, stops it gracefully.
async fn round(url: &str, data: &std::path::Path, audit: &str, seconds: f64) -> Round {
    let client = Client::from_env();
    let app = Application::build(config(url, data, &[("TESSERA_AUDIT", audit)]))
        .await
        .expect("app");
    let addr = app.local_addr();
    let base = format!("http://{addr}");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async move {
        let _ = stopped.await;
    }));
    let cookies = session_cookies(&base, "viewer@tessera.local").await;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(CONNECTIONS)
        .build()
        .expect("client");
    for question in QUESTIONS {
        let response = http
            .get(format!("{base}{question}"))
            .header("cookie", &cookies)
            .send()
            .await
            .expect("warm up");
        assert_eq!(response.status(), 200, "{question}");
    }
    let cpu_before = cpu_time();
    let paths: Vec<String> = QUESTIONS.iter().map(|q| (*q).to_owned()).collect();
    let headers = [("cookie", cookies)];
    let (rps, latencies) = load::hammer(client, addr, CONNECTIONS, &paths, &headers, seconds).await;
    let total = latencies.len();
    let cpu_us = (cpu_time() - cpu_before).as_secs_f64() * 1e6 / total.max(1) as f64;
    let _ = stop.send(());
    server.await.expect("server task").expect("clean stop");
    Round { rps, cpu_us }
}

#[tokio::main]
async fn main() {
    let orders: u64 = env_or("TESSERA_BENCH_ORDERS", 20_000);
    let rounds: usize = env_or("TESSERA_BENCH_ROUNDS", 15);
    let seconds: f64 = env_or("TESSERA_BENCH_WARM_SECONDS", 3.0);
    let target = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target");
    let data = target.join("bench-data");
    std::fs::create_dir_all(&data).expect("bench data dir");
    let url = std::env::var("TESSERA_BENCH_DATABASE_URL").unwrap_or_else(|_| {
        // A new file each run, so every run starts from an empty audit log
        // (seeding the default 20,000 orders takes under a second).
        let file = data.join(format!("audit-{orders}.db"));
        let audit_file = server::storage::audit::file::path_beside(&file);
        for base in [&file, &audit_file] {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", base.display()));
            }
        }
        format!("sqlite://{}", file.display())
    });
    let base_config = config(&url, &data, &[]);
    prepare(&base_config, orders).await;

    // One pair to warm the OS page cache and the allocator, not counted.
    round(&url, &data, "off", 2.0).await;
    round(&url, &data, "on", 2.0).await;
    let (mut off, mut on) = (Vec::new(), Vec::new());
    for index in 0..rounds {
        // Alternate which goes first, so drift within a pair hits both.
        if index % 2 == 0 {
            off.push(round(&url, &data, "off", seconds).await);
            on.push(round(&url, &data, "on", seconds).await);
        } else {
            on.push(round(&url, &data, "on", seconds).await);
            off.push(round(&url, &data, "off", seconds).await);
        }
        eprintln!(
            "round {}: off {:.0} req/s ({:.0} µs CPU each), on {:.0} req/s ({:.0} µs CPU each)",
            index + 1,
            off[index].rps,
            off[index].cpu_us,
            on[index].rps,
            on[index].cpu_us
        );
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let pair_ratios: Vec<f64> = on.iter().zip(&off).map(|(a, b)| a.rps / b.rps).collect();
    let ratio = median(&pair_ratios);
    let cpu_ratio = median(
        &on.iter()
            .zip(&off)
            .map(|(a, b)| b.cpu_us / a.cpu_us)
            .collect::<Vec<_>>(),
    );
    let rps = |v: &[Round]| v.iter().map(|r| r.rps).collect::<Vec<_>>();
    let cpu = |v: &[Round]| v.iter().map(|r| r.cpu_us).collect::<Vec<_>>();
    let (off_cpu, on_cpu) = (cpu(&off), cpu(&on));
    let (off, on) = (rps(&off), rps(&on));

    let db = connect_and_migrate(&base_config).await.expect("database");
    let rows = db.audit_head().await.expect("head").last_id;
    let started = Instant::now();
    let verified = server::audit::verify(&db).await.expect("verify");
    let verify_time = started.elapsed();
    db.close().await;

    let mut report = String::new();
    let backend = if url.starts_with("postgres") {
        "postgres"
    } else {
        "sqlite"
    };
    let _ = writeln!(report, "# Audit benchmark: {backend}, {orders} orders\n");
    let _ = writeln!(
        report,
        "Warm dashboard reads (kpis, timeseries, breakdown, data status; cached), \
         {CONNECTIONS} connections, {rounds} rounds of {seconds} s each after an uncounted \
         warm-up pair; off and on alternate which goes first. The ratio is the median of \
         the per-round on/off ratios. Client: {}.\n",
        Client::from_env().name()
    );
    let _ = writeln!(report, "| audit | req/s per round | mean req/s |");
    let _ = writeln!(report, "|---|---|---|");
    for (name, values) in [("off", &off), ("on", &on)] {
        let list: Vec<_> = values.iter().map(|v| format!("{v:.0}")).collect();
        let _ = writeln!(
            report,
            "| {name} | {} | {:.0} |",
            list.join(", "),
            mean(values)
        );
    }
    let verdict = if ratio >= 0.95 { "meets" } else { "misses" };
    let _ = writeln!(
        report,
        "\n**on/off throughput ratio: {ratio:.3}** ({verdict} the 0.95 target; per round: {})\n",
        pair_ratios
            .iter()
            .map(|r| format!("{r:.3}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        report,
        "CPU per request (server and load generator on the same cores): off {:.0} µs, \
         on {:.0} µs (means); median per-round off/on ratio {cpu_ratio:.3}. Throughput on a saturated machine \
         follows CPU per request; the CPU ratio is the steadier of the two.\n",
        mean(&off_cpu),
        mean(&on_cpu)
    );
    let _ = writeln!(
        report,
        "- audit rows in the log: {rows}; `audit verify`: {:?} in {:.2} s",
        verified.map_err(|b| b.to_string()),
        verify_time.as_secs_f64()
    );
    print!("{report}");
    std::fs::write(target.join("bench-audit.md"), report).expect("write report");
}
