//! Authentication benchmark: sign-in latency (argon2id verification plus
//! session) and the per-request cost of authentication, measured over real
//! HTTP on loopback against a release build with a SQLite database.
//!
//! Run: `cargo bench -p server --bench auth` (report: target/bench-auth.md,
//! or the path in `TESSERA_BENCH_REPORT`).

#![allow(
    clippy::too_many_lines,
    reason = "scenarios read top to bottom; the 80-line limit is for the server's code"
)]

use std::{
    collections::BTreeMap,
    time::{Duration, Instant},
};

use server::{
    auth::{
        jwt::{now, JwtKeys, TokenKind, TokenSubject},
        secret::JwtSecret,
    },
    config::Config,
    startup::Application,
};

const PASSWORD: &str = "bench-password-123";
const LOGINS: usize = 200;
const REQUESTS: usize = 5_000;
const VERIFICATIONS: u32 = 100_000;

struct Stats {
    p50: Duration,
    p99: Duration,
    mean: Duration,
}

fn stats(mut samples: Vec<Duration>) -> Stats {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    let total: Duration = samples.iter().sum();
    Stats {
        p50: at(0.50),
        p99: at(0.99),
        mean: total / u32::try_from(samples.len()).unwrap_or(1),
    }
}

fn micros(d: Duration) -> String {
    format!("{:.0} µs", d.as_secs_f64() * 1e6)
}

async fn timed(request: reqwest::RequestBuilder, expect: u16) -> Duration {
    let start = Instant::now();
    let response = request.send().await.expect("send");
    assert_eq!(response.status().as_u16(), expect);
    let _ = response.bytes().await;
    start.elapsed()
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let env = BTreeMap::from([
        ("TESSERA_BIND", "127.0.0.1:0".to_owned()),
        ("TESSERA_DATA_DIR", dir.path().display().to_string()),
        ("TESSERA_DEMO_PASSWORD", PASSWORD.to_owned()),
        ("TESSERA_LOGIN_ATTEMPTS_PER_MINUTE", "10000".to_owned()),
        ("TESSERA_LOG", "error".to_owned()),
    ]);
    let config = Config::from_lookup(|k| env.get(k).cloned()).expect("config");
    let app = Application::build(config).await.expect("app");
    let base = format!("http://{}", app.local_addr());
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    let http = reqwest::Client::new();
    let login = |http: &reqwest::Client| {
        http.post(format!("{base}/api/v1/auth/login"))
            .json(&serde_json::json!({"email": "admin@tessera.local", "password": PASSWORD}))
    };

    // Sign-in latency, sequential (one core hashing at a time).
    for _ in 0..10 {
        timed(login(&http), 200).await;
    }
    let mut logins = Vec::with_capacity(LOGINS);
    for _ in 0..LOGINS {
        logins.push(timed(login(&http), 200).await);
    }
    let logins = stats(logins);

    // A service token for bearer requests.
    let admin = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    login(&admin).send().await.expect("login");
    let created: serde_json::Value = admin
        .post(format!("{base}/api/v1/admin/service-accounts"))
        .header("origin", base.clone())
        .json(&serde_json::json!({"name": "bench", "role": "viewer"}))
        .send()
        .await
        .expect("create")
        .json()
        .await
        .expect("json");
    let token: serde_json::Value = http
        .post(format!("{base}/api/v1/auth/token"))
        .json(&serde_json::json!({
            "client_id": created["account"]["client_id"],
            "client_secret": created["client_secret"],
        }))
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("json");
    let bearer = token["access_token"].as_str().expect("token").to_owned();

    // Public vs authenticated requests, interleaved so drift hits both.
    let (mut public, mut authed) = (Vec::with_capacity(REQUESTS), Vec::with_capacity(REQUESTS));
    for i in 0..REQUESTS + 500 {
        let p = timed(http.get(format!("{base}/api/v1/health")), 200).await;
        let a = timed(
            http.get(format!("{base}/api/v1/me")).bearer_auth(&bearer),
            200,
        )
        .await;
        if i >= 500 {
            public.push(p);
            authed.push(a);
        }
    }
    let (public, authed) = (stats(public), stats(authed));

    // The signature and claims check alone, in process.
    let keys = JwtKeys::new(&JwtSecret::parse(&"k".repeat(48)).expect("secret"), &[]);
    let subject = TokenSubject {
        sub: "user:1".into(),
        role: app::api::Role::Viewer,
        ver: 1,
        sid: None,
    };
    let (jwt, _) = keys.issue(TokenKind::Access, &subject, now(), 900);
    let start = Instant::now();
    for _ in 0..VERIFICATIONS {
        std::hint::black_box(
            keys.verify(std::hint::black_box(&jwt), TokenKind::Access)
                .is_ok(),
        );
    }
    let per_verify = start.elapsed() / VERIFICATIONS;

    let report = format!(
        "# Authentication benchmark\n\n\
         Release build, SQLite, loopback HTTP, sequential requests, {cores} cores.\n\n\
         | Measure | p50 | p99 | mean |\n|---|---|---|---|\n\
         | `POST /auth/login` (argon2id m=19456,t=2,p=1 + session), n={LOGINS} | {} | {} | {} |\n\
         | `GET /health` (public), n={REQUESTS} | {} | {} | {} |\n\
         | `GET /me` (bearer JWT + principal check), n={REQUESTS} | {} | {} | {} |\n\n\
         Authentication overhead per request (p50 of `/me` minus p50 of `/health`): **{}**.\n\
         JWT verification alone (HS256, claims, kid), in process: **{:.2} µs** per token.\n",
        micros(logins.p50),
        micros(logins.p99),
        micros(logins.mean),
        micros(public.p50),
        micros(public.p99),
        micros(public.mean),
        micros(authed.p50),
        micros(authed.p99),
        micros(authed.mean),
        micros(authed.p50.saturating_sub(public.p50)),
        per_verify.as_secs_f64() * 1e6,
        cores = std::thread::available_parallelism().map_or(1, |n| n.get()),
    );
    let path = std::env::var("TESSERA_BENCH_REPORT").unwrap_or_else(|_| {
        let target = std::env::var("CARGO_TARGET_DIR")
            .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../target").into());
        format!("{target}/bench-auth.md")
    });
    std::fs::write(&path, &report).expect("write report");
    println!("{report}\n(written to {path})");
}
