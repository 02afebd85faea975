//! What the bench binaries share: the demo password, settings from the
//! environment, the server configuration they start, and signing in.
#![allow(dead_code)] // each bench uses its own subset

pub mod load;
pub mod open_loop;

use std::{collections::BTreeMap, time::Duration};

use app::api::{ApiClient, NewServiceAccount, Role};
use server::config::Config;

/// The allocator the `tessera` binary uses, so the benches measure it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The demo accounts' password in every bench.
pub const PASSWORD: &str = "bench-password-123";

/// `key` parsed from the environment, or `default`.
pub fn env_or<T: std::str::FromStr>(key: &str, default: T) -> T {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A demo-mode instance on a free loopback port over `url`, with no demo
/// orders, no scheduled refresh, no login limit worth the name and quiet
/// logs; `extra` adds or overrides settings.
pub fn config(url: &str, data: &std::path::Path, extra: &[(&'static str, &str)]) -> Config {
    let mut env = BTreeMap::from([
        ("TESSERA_BIND", "127.0.0.1:0".to_owned()),
        ("TESSERA_DATA_DIR", data.display().to_string()),
        ("TESSERA_DATABASE_URL", url.to_owned()),
        ("TESSERA_DEMO_PASSWORD", PASSWORD.to_owned()),
        ("TESSERA_DEMO_ORDERS", "0".to_owned()),
        ("TESSERA_REFRESH_INTERVAL", "off".to_owned()),
        ("TESSERA_LOGIN_ATTEMPTS_PER_MINUTE", "10000".to_owned()),
        ("TESSERA_DB_MAX_CONNECTIONS", "16".to_owned()),
        ("TESSERA_LOG", "error".to_owned()),
    ]);
    env.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
    Config::from_lookup(|k| env.get(k).cloned()).expect("config")
}

/// The `Cookie` header of `email`'s new session (session and access cookies).
pub async fn session_cookies(base: &str, email: &str) -> String {
    let response = reqwest::Client::new()
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"email": email, "password": PASSWORD}))
        .send()
        .await
        .expect("login");
    assert_eq!(response.status(), 200, "login as {email}");
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok()?.split(';').next().map(str::to_owned))
        .collect::<Vec<_>>()
        .join("; ")
}

/// An access token of a new service account with `role`, created by the
/// demo admin.
pub async fn service_token(base: &str, role: Role) -> String {
    let admin = ApiClient::with_cookie_jar(base);
    admin
        .login("admin@tessera.local", PASSWORD)
        .await
        .expect("admin login");
    let created = admin
        .create_service_account(&NewServiceAccount {
            name: format!("bench-{}-{}", role.as_str(), uuid::Uuid::new_v4().simple()),
            role,
        })
        .await
        .expect("service account");
    ApiClient::new(base)
        .token(&created.account.client_id, &created.client_secret)
        .await
        .expect("token")
        .access_token
}

/// CPU time (user + system) this process has used so far, from
/// `/proc/self/stat` (server and load generator together); zero where
/// there is no `/proc`.
pub fn cpu_time() -> Duration {
    std::fs::read_to_string("/proc/self/stat").map_or(Duration::ZERO, |stat| cpu_of(&stat))
}

/// The user + system CPU time in a `/proc/…/stat` line.
pub fn cpu_of(stat: &str) -> Duration {
    // Fields after the command name (which is in parentheses).
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks: u64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i)?.parse::<u64>().ok())
        .sum();
    // Linux reports clock ticks of 1/100 s (USER_HZ).
    Duration::from_millis(ticks * 10)
}

/// The middle value (mean of the two middle ones for an even count).
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// A new, empty PostgreSQL database on the server `admin` points at: its URL.
pub async fn fresh_postgres(admin: &str) -> String {
    let name = format!("tessera_bench_{}", uuid::Uuid::new_v4().simple());
    let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(admin)
        .await
        .expect("postgres");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .expect("create");
    let mut url = url::Url::parse(admin).expect("url");
    url.set_path(&name);
    url.to_string()
}

/// Drops the database `url` names (made by [`fresh_postgres`]).
pub async fn drop_postgres(admin: &str, url: &str) {
    let name = url::Url::parse(url)
        .expect("url")
        .path()
        .trim_start_matches('/')
        .to_owned();
    let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(admin)
        .await
        .expect("postgres");
    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut conn)
        .await;
}

/// Seeds the warehouse unless it already holds `orders` orders.
pub async fn prepare(config: &Config, orders: u64) {
    let db = server::startup::connect_and_migrate(config)
        .await
        .expect("database");
    let state = db.dataset_state().await.expect("state");
    let pending = db
        .warehouse_counts(state.watermark)
        .await
        .expect("counts")
        .pending_orders;
    if u64::try_from(state.rolled_up + pending).unwrap_or(0) != orders {
        db.clear_warehouse().await.expect("clear");
        let end = server::analytics::calendar::parse_day("2026-11-20").expect("day");
        let generator = server::analytics::generator::GeneratorConfig {
            orders,
            seed: 42,
            end,
        };
        server::analytics::seed::seed(&db, generator, |_| {})
            .await
            .expect("seed");
    }
    server::analytics::dataset::refresh_with_progress(
        &db,
        config.analytics.exact_customers,
        |_| {},
    )
    .await
    .expect("refresh");
    db.close().await;
}
