//! Sign-in flood benchmark: what 1,000 bad sign-ins a second do to the
//! server's memory and to a warm dashboard read, against the same read
//! without the flood.
//!
//! Each phase starts an instance (release build, SQLite, 20,000 demo
//! orders, audit log on) in this process, warms `GET
//! /api/v1/analytics/kpis?range=90d` with a service's bearer token, then
//! for a fixed time sends that read at a fixed rate (open loop: every
//! request leaves on schedule and its latency counts from then, however
//! slow the answers) while, in every phase but the first, bad sign-ins
//! arrive the same way over loopback:
//!
//! - `one client`: all from 127.0.0.1, as one attacker's machine;
//! - `many clients`: through a trusted proxy, each from a new
//!   `X-Forwarded-For` address and for a new account, as a botnet;
//! - `many clients, no instance cap`: the same with
//!   `TESSERA_LOGIN_ATTEMPTS_GLOBAL_PER_MINUTE` at its maximum, so only the
//!   hashing slots stand in the way;
//! - `many clients, 64 slots, no cap`: the same with 64 slots, to show what
//!   queueing hashes instead of refusing them would cost.
//!
//! Memory is this process's resident set (`VmRSS`, server and load
//! generator together), sampled every 20 ms.
//!
//! Run: `cargo bench -p server --bench signin_flood`. Settings:
//! `TESSERA_BENCH_SECONDS` (per phase, default 20), `TESSERA_BENCH_READ_RATE`
//! (default 200/s), `TESSERA_BENCH_FLOOD_RATE` (default 1000/s). Report:
//! target/bench-signin-flood.md.

#![allow(
    clippy::too_many_lines,
    reason = "scenarios read top to bottom; the 80-line limit is for the server's code"
)]

mod common;

use std::{sync::atomic::Ordering, time::Duration};

use app::api::Role;
use bytes::Bytes;
use common::{
    config, env_or,
    open_loop::{mib, ms, open_loop, quantile, resident, watch_memory, Pool},
    service_token,
};
use http_body_util::Full;
use hyper::{header, Request};
use server::{config::Config, startup::Application};

const READ: &str = "/api/v1/analytics/kpis?range=90d";

/// One phase: a name, extra settings, and how the flood's sign-ins look.
struct Phase {
    name: &'static str,
    settings: &'static [(&'static str, &'static str)],
    flood: Flood,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Flood {
    None,
    /// Every sign-in from this machine's address.
    OneClient,
    /// Every sign-in from a new address, for a new account.
    ManyClients,
}

const PROXY: (&str, &str) = ("TESSERA_TRUSTED_PROXIES", "127.0.0.1");
const NO_CAP: (&str, &str) = ("TESSERA_LOGIN_ATTEMPTS_GLOBAL_PER_MINUTE", "600000");

const PHASES: [Phase; 5] = [
    Phase {
        name: "no flood",
        settings: &[],
        flood: Flood::None,
    },
    Phase {
        name: "one client",
        settings: &[],
        flood: Flood::OneClient,
    },
    Phase {
        name: "many clients",
        settings: &[PROXY],
        flood: Flood::ManyClients,
    },
    Phase {
        name: "many clients, no instance cap",
        settings: &[PROXY, NO_CAP],
        flood: Flood::ManyClients,
    },
    Phase {
        name: "many clients, 64 slots, no cap",
        settings: &[PROXY, NO_CAP, ("TESSERA_PASSWORD_HASH_CONCURRENCY", "64")],
        flood: Flood::ManyClients,
    },
];

/// What one phase measured.
struct Outcome {
    rss_before: u64,
    rss_peak: u64,
    reads: Vec<Duration>,
    failed_reads: usize,
    sign_ins: Vec<(u16, Duration)>,
}

fn sign_in(n: u64, flood: Flood, host: &str) -> Request<Full<Bytes>> {
    let body = serde_json::json!({
        "email": format!("flood{n}@example.com"),
        "password": "not the password",
    });
    let mut request = Request::post("/api/v1/auth/login")
        .header(header::HOST, host)
        .header(header::CONTENT_TYPE, "application/json");
    if flood == Flood::ManyClients {
        // A new address in 10.0.0.0/8 for every attempt.
        let [_, a, b, c] = u32::try_from(n % (1 << 24)).unwrap_or(0).to_be_bytes();
        request = request.header("x-forwarded-for", format!("10.{a}.{b}.{c}"));
    }
    request
        .body(Full::new(Bytes::from(body.to_string())))
        .expect("request")
}

async fn run_phase(phase: &Phase, data: &std::path::Path, seconds: f64) -> Outcome {
    let (read_rate, flood_rate) = (
        env_or("TESSERA_BENCH_READ_RATE", 200.0),
        env_or("TESSERA_BENCH_FLOOD_RATE", 1000.0),
    );
    let url = format!("sqlite://{}", data.join("tessera.db").display());
    let mut settings = vec![
        ("TESSERA_DEMO_ORDERS", "20000"),
        // The default per-account limit, as in production.
        ("TESSERA_LOGIN_ATTEMPTS_PER_MINUTE", "5"),
    ];
    settings.extend_from_slice(phase.settings);
    let config: Config = config(&url, data, &settings);
    let app = Application::build(config).await.expect("app");
    let addr = app.local_addr();
    let (host, base) = (addr.to_string(), format!("http://{addr}"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async move {
        let _ = stopped.await;
    }));

    let bearer = format!("Bearer {}", service_token(&base, Role::Viewer).await);
    let read = |_: u64| {
        Request::get(READ)
            .header(header::HOST, &host)
            .header(header::AUTHORIZATION, &bearer)
            .body(Full::new(Bytes::new()))
            .expect("request")
    };
    let warm = Pool::new(addr);
    for n in 0..20 {
        assert_eq!(warm.send(read(n)).await, 200, "warm-up read");
    }
    tokio::time::sleep(Duration::from_secs(1)).await;

    let rss_before = resident();
    let (stop_watch, watcher) = watch_memory();
    let reads = open_loop(Pool::new(addr), read_rate, seconds, read);
    let flood = async {
        match phase.flood {
            Flood::None => Vec::new(),
            kind => {
                let host = host.clone();
                open_loop(Pool::new(addr), flood_rate, seconds, move |n| {
                    sign_in(n, kind, &host)
                })
                .await
            }
        }
    };
    let (reads, sign_ins) = tokio::join!(reads, flood);
    stop_watch.store(true, Ordering::Relaxed);
    let rss_peak = watcher.await.expect("watcher");

    let _ = stop.send(());
    let _ = server.await;
    let failed_reads = reads.iter().filter(|(status, _)| *status != 200).count();
    let mut read_latencies: Vec<Duration> = reads
        .into_iter()
        .filter(|(status, _)| *status == 200)
        .map(|(_, latency)| latency)
        .collect();
    read_latencies.sort();
    Outcome {
        rss_before,
        rss_peak,
        reads: read_latencies,
        failed_reads,
        sign_ins,
    }
}

fn row(phase: &Phase, outcome: &Outcome) -> String {
    let count = |status: u16| {
        outcome
            .sign_ins
            .iter()
            .filter(|(s, _)| *s == status)
            .count()
    };
    let other = outcome
        .sign_ins
        .iter()
        .filter(|(s, _)| ![401, 429, 503].contains(s))
        .count();
    let mut sign_in_latencies: Vec<Duration> = outcome.sign_ins.iter().map(|(_, d)| *d).collect();
    sign_in_latencies.sort();
    let flood = if outcome.sign_ins.is_empty() {
        "– | – | – | – | – | –".to_owned()
    } else {
        format!(
            "{} | {} | {} | {} | {} | {}",
            outcome.sign_ins.len(),
            count(401),
            count(429),
            count(503),
            other,
            ms(quantile(&sign_in_latencies, 0.99)),
        )
    };
    format!(
        "| {} | {} | {} | {} | {} | {} | {} | {flood} |\n",
        phase.name,
        mib(outcome.rss_before),
        mib(outcome.rss_peak),
        ms(quantile(&outcome.reads, 0.50)),
        ms(quantile(&outcome.reads, 0.99)),
        ms(quantile(&outcome.reads, 1.0)),
        outcome.failed_reads,
    )
}

#[tokio::main]
async fn main() {
    let seconds: f64 = env_or("TESSERA_BENCH_SECONDS", 20.0);
    let dir = tempfile::tempdir().expect("temp dir");
    let cores = server::auth::password::cores();
    let defaults = server::config::LoginCapacity::with_slots(cores);
    let mut table = String::new();
    for phase in &PHASES {
        eprintln!("phase: {} ({seconds} s)", phase.name);
        let outcome = run_phase(phase, dir.path(), seconds).await;
        let line = row(phase, &outcome);
        eprint!("{line}");
        table.push_str(&line);
    }
    let report = format!(
        "# Sign-in flood benchmark\n\n\
         Release build, SQLite (20,000 demo orders), audit log on, loopback, {cores} cores \
         shared by server and load generator. Per phase, {seconds} s of `GET {READ}` \
         (bearer token, warm cache) at {read_rate}/s, open loop, and in all but the first \
         bad sign-ins at {flood_rate}/s, open loop. Defaults: {} hashing slots \
         (a sign-in waits at most {} ms for one), {} sign-ins a minute per instance, \
         5 per account and 30 per client address. Memory: this process's `VmRSS` \
         (server and load generator).\n\n\
         | Phase | RSS before | RSS peak | read p50 | read p99 | read max | failed reads \
         | sign-ins | 401 | 429 | 503 | other | sign-in p99 |\n\
         |---|---|---|---|---|---|---|---|---|---|---|---|---|\n{table}",
        defaults.hash_concurrency,
        server::auth::password::SLOT_WAIT.as_millis(),
        defaults.global_per_minute,
        read_rate = env_or("TESSERA_BENCH_READ_RATE", 200.0),
        flood_rate = env_or("TESSERA_BENCH_FLOOD_RATE", 1000.0),
    );
    let target = std::env::var("CARGO_TARGET_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../target").into());
    let path = format!("{target}/bench-signin-flood.md");
    std::fs::write(&path, &report).expect("write report");
    println!("{report}\n(written to {path})");
}
