//! Request-path benchmark: what Tessera's layers cost a request, against a
//! bare axum server on the same machine in the same run.
//!
//! Three servers run in this process on their own runtime (two worker
//! threads named `server`), the load generator on another (two threads
//! named `load`, like `wrk -t2`), all on this machine's cores:
//!
//! - the **floor**: a bare axum router answering a fixed JSON body, served
//!   by the same `axum::serve` Tessera uses;
//! - Tessera `GET /api/v1/health` (no auth, no database);
//! - Tessera's warm `GET /api/v1/analytics/kpis?range=90d` with a service
//!   account's Bearer token, audit log on (and, for reference, off).
//!
//! Tessera logs as deployed: the default filter (`info`), pretty lines,
//! written to a file (target/bench-data/request-path.log).
//!
//! **Closed loop** (`TESSERA_BENCH_ROUNDS` rounds, default 5, of
//! `TESSERA_BENCH_WARM_SECONDS`, default 3, per target; the order rotates
//! each round so drift hits all alike): 50 keep-alive connections, each
//! sending its next request when the last is answered. Reported: requests
//! per second, the median per-round ratio to the floor, and CPU per request
//! split between the server threads and the load generator's (from
//! `/proc/self/task/*/stat`).
//!
//! **Open loop** (fixed arrival rate): the warm KPI read, audit on, at 2,000
//! and 5,000 requests a second for `TESSERA_BENCH_OPEN_SECONDS` (default
//! 10) each, on SQLite and on PostgreSQL (`TESSERA_TEST_POSTGRES_URL`, a
//! fresh database dropped afterwards); latency counted from each request's
//! scheduled time; the floor at the same rates for reference.
//!
//! Run: `cargo bench -p server --bench request_path`. Report:
//! target/bench-request-path.md.

#![allow(
    clippy::too_many_lines,
    reason = "scenarios read top to bottom; the 80-line limit is for the server's code"
)]

mod common;

use std::{
    fmt::Write as _,
    net::SocketAddr,
    path::Path,
    time::{Duration, Instant},
};

use api_types::Role;
use bytes::Bytes;
use common::{
    config, cpu_of, drop_postgres, env_or, fresh_postgres,
    load::{self, Client},
    median,
    open_loop::{ms, open_loop, quantile, Pool},
    prepare, service_token,
};
use http_body_util::Full;
use hyper::{header, Request};
use server::{
    config::{LogFormat, LogSettings},
    startup::Application,
};
use tokio::runtime::Runtime;

const CONNECTIONS: usize = 50;
const KPI: &str = "/api/v1/analytics/kpis?range=90d";
const HEALTH: &str = "/api/v1/health";
const FLOOR_BODY: &str = r#"{"status":"ok","version":"0.1.0"}"#;
const RATES: [f64; 2] = [2_000.0, 5_000.0];

/// One server under load.
#[derive(Clone)]
struct Target {
    name: &'static str,
    addr: SocketAddr,
    path: &'static str,
    headers: Vec<(&'static str, String)>,
}

/// One closed-loop run.
#[derive(Clone, Copy)]
struct Sample {
    rps: f64,
    server_us: f64,
    load_us: f64,
    p50: Duration,
    p99: Duration,
}

/// CPU time so far of this process's threads: (load generator, the rest).
fn cpu_split() -> (Duration, Duration) {
    let (mut load, mut rest) = (Duration::ZERO, Duration::ZERO);
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return (load, rest);
    };
    for task in tasks.flatten() {
        let Ok(stat) = std::fs::read_to_string(task.path().join("stat")) else {
            continue;
        };
        // The thread's name is in parentheses after its id.
        let name = stat.split_once('(').map_or("", |(_, n)| n);
        if name.starts_with("load") {
            load += cpu_of(&stat);
        } else {
            rest += cpu_of(&stat);
        }
    }
    (load, rest)
}

fn closed(load_rt: &Runtime, target: &Target, seconds: f64) -> Sample {
    let (load0, rest0) = cpu_split();
    let paths = [target.path.to_owned()];
    let (rps, mut latencies) = load_rt.block_on(load::hammer(
        Client::Hyper,
        target.addr,
        CONNECTIONS,
        &paths,
        &target.headers,
        seconds,
    ));
    let (load1, rest1) = cpu_split();
    let n = latencies.len().max(1) as f64;
    latencies.sort_unstable();
    Sample {
        rps,
        server_us: (rest1 - rest0).as_secs_f64() * 1e6 / n,
        load_us: (load1 - load0).as_secs_f64() * 1e6 / n,
        p50: quantile(&latencies, 0.5),
        p99: quantile(&latencies, 0.99),
    }
}

/// Open loop at `rate`: (p50, p90, p99, max, requests not answered 200).
fn open(
    load_rt: &Runtime,
    target: &Target,
    rate: f64,
    seconds: f64,
) -> (Duration, Duration, Duration, Duration, usize) {
    let pool = Pool::new(target.addr);
    let (host, path, headers) = (target.addr.to_string(), target.path, target.headers.clone());
    let outcomes = load_rt.block_on(open_loop(pool, rate, seconds, move |_| {
        let mut request = Request::get(path).header(header::HOST, &host);
        for (name, value) in &headers {
            request = request.header(*name, value);
        }
        request.body(Full::new(Bytes::new())).expect("request")
    }));
    let failed = outcomes.iter().filter(|(status, _)| *status != 200).count();
    let mut latencies: Vec<Duration> = outcomes.into_iter().map(|(_, d)| d).collect();
    latencies.sort_unstable();
    (
        quantile(&latencies, 0.5),
        quantile(&latencies, 0.9),
        quantile(&latencies, 0.99),
        latencies.last().copied().unwrap_or_default(),
        failed,
    )
}

/// The floor: a bare axum router with one fixed JSON answer.
async fn floor() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let router = axum::Router::new().route(
        "/",
        axum::routing::get(|| async { ([(header::CONTENT_TYPE, "application/json")], FLOOR_BODY) }),
    );
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
    });
    addr
}

/// A Tessera instance over `url` (seeded with `orders` unless it holds
/// them), serving on the server runtime: its address.
fn tessera(server_rt: &Runtime, url: &str, data: &Path, audit: &str, orders: u64) -> SocketAddr {
    server_rt.block_on(async {
        let config = config(
            url,
            data,
            &[("TESSERA_AUDIT", audit), ("TESSERA_LOG", "info")],
        );
        prepare(&config, orders).await;
        let app = Application::build(config).await.expect("app");
        let addr = app.local_addr();
        tokio::spawn(app.run_until_stopped(std::future::pending()));
        addr
    })
}

/// The warm KPI read as a viewer service account, its cache warmed.
fn kpi_target(load_rt: &Runtime, name: &'static str, addr: SocketAddr, token: &str) -> Target {
    let target = Target {
        name,
        addr,
        path: KPI,
        headers: vec![("authorization", format!("Bearer {token}"))],
    };
    // Warm the cache (and check the token works here).
    closed(load_rt, &target, 0.5);
    target
}

fn runtime(name: &str) -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name(name)
        .enable_all()
        .build()
        .expect("runtime")
}

fn main() {
    let rounds: usize = env_or("TESSERA_BENCH_ROUNDS", 5);
    let seconds: f64 = env_or("TESSERA_BENCH_WARM_SECONDS", 3.0);
    let open_seconds: f64 = env_or("TESSERA_BENCH_OPEN_SECONDS", 10.0);
    let orders: u64 = env_or("TESSERA_BENCH_ORDERS", 20_000);
    let target_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target");
    let data = target_dir.join("bench-data/request-path");
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data).expect("bench data dir");
    let log = std::fs::File::create(data.join("request-path.log")).expect("log file");
    server::telemetry::init_with_writer(
        &LogSettings {
            filter: "info".into(),
            format: LogFormat::Pretty,
        },
        std::sync::Mutex::new(log),
    );
    let server_rt = runtime("server");
    let load_rt = runtime("load");

    let sqlite = format!("sqlite://{}", data.join("tessera.db").display());
    let floor_addr = server_rt.block_on(floor());
    let on = tessera(&server_rt, &sqlite, &data, "on", orders);
    let off = tessera(&server_rt, &sqlite, &data, "off", orders);
    let token = load_rt.block_on(service_token(&format!("http://{on}"), Role::Viewer));
    let targets = [
        Target {
            name: "bare axum, fixed JSON (floor)",
            addr: floor_addr,
            path: "/",
            headers: Vec::new(),
        },
        Target {
            name: "Tessera `GET /api/v1/health`",
            addr: on,
            path: HEALTH,
            headers: Vec::new(),
        },
        kpi_target(&load_rt, "Tessera warm KPI, Bearer, audit on", on, &token),
        kpi_target(&load_rt, "Tessera warm KPI, Bearer, audit off", off, &token),
    ];
    // `TESSERA_BENCH_PROFILE=health|kpi`: load that one target for the warm
    // seconds and stop (run under `perf record`), no report.
    if let Ok(only) = std::env::var("TESSERA_BENCH_PROFILE") {
        let index = if only == "health" { 1 } else { 2 };
        let sample = closed(&load_rt, &targets[index], seconds);
        eprintln!(
            "{}: {:.0} req/s, server {:.1} µs/req, load {:.1} µs/req",
            targets[index].name, sample.rps, sample.server_us, sample.load_us
        );
        return;
    }
    // Warm-up, not counted.
    for target in &targets {
        closed(&load_rt, target, 1.0);
    }
    let mut samples: Vec<Vec<Sample>> = vec![Vec::new(); targets.len()];
    for round in 0..rounds {
        for k in 0..targets.len() {
            let index = (round + k) % targets.len();
            samples[index].push(closed(&load_rt, &targets[index], seconds));
        }
        eprintln!(
            "round {}: {}",
            round + 1,
            samples
                .iter()
                .map(|s| format!("{:.0}", s[round].rps))
                .collect::<Vec<_>>()
                .join(" / ")
        );
    }

    let mut report = String::new();
    let commit = std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let _ = writeln!(
        report,
        "# Request-path benchmark ({commit})\n\n\
         Release build; servers and load generator in one process on this machine's cores \
         (server runtime: 2 threads; load generator: 2 threads, bare hyper HTTP/1.1 \
         connections). Tessera logs as deployed (`info`, to a file). {orders} demo orders \
         on SQLite.\n\n\
         ## Closed loop: {CONNECTIONS} connections, {rounds} rounds of {seconds} s per target\n\n\
         Ratios are the median of the per-round ratios to the floor (same round). CPU per \
         request: server threads / load-generator threads, means.\n\n\
         | target | req/s (median) | × floor | server CPU/req | load CPU/req | p50 | p99 |\n\
         |---|---|---|---|---|---|---|"
    );
    let floor_rps: Vec<f64> = samples[0].iter().map(|s| s.rps).collect();
    for (target, runs) in targets.iter().zip(&samples) {
        let rps: Vec<f64> = runs.iter().map(|s| s.rps).collect();
        let ratios: Vec<f64> = rps.iter().zip(&floor_rps).map(|(a, b)| a / b).collect();
        let mean = |f: fn(&Sample) -> f64| runs.iter().map(f).sum::<f64>() / runs.len() as f64;
        let p50 = median(&runs.iter().map(|s| s.p50.as_secs_f64()).collect::<Vec<_>>());
        let p99 = median(&runs.iter().map(|s| s.p99.as_secs_f64()).collect::<Vec<_>>());
        let _ = writeln!(
            report,
            "| {} | {:.0} | {:.2} | {:.1} µs | {:.1} µs | {} | {} |",
            target.name,
            median(&rps),
            median(&ratios),
            mean(|s| s.server_us),
            mean(|s| s.load_us),
            ms(Duration::from_secs_f64(p50)),
            ms(Duration::from_secs_f64(p99)),
        );
    }
    let _ = writeln!(
        report,
        "\nTargets: health ≥ 0.80× the floor; warm KPI with the audit on ≥ 0.50×.\n\n\
         ## Open loop: warm KPI read (Bearer, audit on) at a fixed arrival rate, \
         {open_seconds} s per rate\n\n\
         Latency from each request's scheduled send time. Target: p99 < 10 ms.\n\n\
         | server | rate | p50 | p90 | p99 | max | not 200 |\n|---|---|---|---|---|---|---|"
    );
    let mut open_rows = |name: &str, target: &Target| {
        for rate in RATES {
            let (p50, p90, p99, max, failed) = open(&load_rt, target, rate, open_seconds);
            let _ = writeln!(
                report,
                "| {name} | {rate:.0}/s | {} | {} | {} | {} | {failed} |",
                ms(p50),
                ms(p90),
                ms(p99),
                ms(max)
            );
        }
    };
    open_rows("bare axum (floor)", &targets[0]);
    open_rows("Tessera, SQLite", &targets[2]);
    let postgres = std::env::var("TESSERA_TEST_POSTGRES_URL")
        .ok()
        .filter(|v| !v.is_empty());
    if let Some(admin) = postgres {
        let url = load_rt.block_on(fresh_postgres(&admin));
        let started = Instant::now();
        let pg = tessera(&server_rt, &url, &data, "on", orders);
        eprintln!("postgres instance ready in {:?}", started.elapsed());
        let token = load_rt.block_on(service_token(&format!("http://{pg}"), Role::Viewer));
        let target = kpi_target(&load_rt, "pg", pg, &token);
        closed(&load_rt, &target, 1.0);
        open_rows("Tessera, PostgreSQL", &target);
        drop(server_rt);
        load_rt.block_on(drop_postgres(&admin, &url));
    } else {
        let _ = writeln!(
            report,
            "\n(PostgreSQL skipped: set TESSERA_TEST_POSTGRES_URL.)"
        );
    }
    print!("{report}");
    std::fs::write(target_dir.join("bench-request-path.md"), report).expect("write report");
}
