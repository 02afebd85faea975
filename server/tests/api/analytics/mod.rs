//! Analytics: the API against independent SQL over the raw orders table,
//! single-flight loading, ETags, stale answers, validation and roles.

mod cache;
mod cases;
pub mod correctness;
pub mod customers;
mod endpoints;

use app::api::{ApiClient, Role};
use server::{
    analytics::generator::{Customer, Generator, GeneratorConfig, Order},
    storage::Db,
};

use crate::helpers::{spawn_app_with, Backend, TestApp};

pub const PASSWORD: &str = "analytics-test-password";
/// The generated data ends on this day (2026-11-20).
pub const END_DAY: i64 = 20_777;

/// Generated days: each day's orders and the customers first seen that day.
pub type GeneratedDays = Vec<(Vec<Order>, Vec<Customer>)>;

/// An app whose warehouse holds `orders` generated orders, rolled up in
/// two refreshes (the second one incremental).
pub async fn seeded_app(
    backend: Backend,
    orders: u64,
    settings: &[(&str, &str)],
) -> (TestApp, ApiClient) {
    let (app, analyst, days) = unseeded_app(backend, orders, settings).await;
    let half = days.len() * 2 / 3;
    load_and_refresh(&app, &analyst, &days[..half]).await;
    load_and_refresh(&app, &analyst, &days[half..]).await;
    (app, analyst)
}

/// An app with an empty warehouse, an analyst signed in, and `orders`
/// generated orders to load.
pub async fn unseeded_app(
    backend: Backend,
    orders: u64,
    settings: &[(&str, &str)],
) -> (TestApp, ApiClient, GeneratedDays) {
    let generator = GeneratorConfig {
        orders,
        seed: 7,
        end: END_DAY,
    };
    generated_app(backend, generator, settings).await
}

/// An app with an empty warehouse, an analyst signed in, and the orders
/// `generator` makes, to load.
pub async fn generated_app(
    backend: Backend,
    generator: GeneratorConfig,
    settings: &[(&str, &str)],
) -> (TestApp, ApiClient, GeneratedDays) {
    let mut all = vec![("TESSERA_DEMO_PASSWORD", PASSWORD)];
    all.extend_from_slice(settings);
    let app = spawn_app_with(backend, &all).await;
    let analyst = ApiClient::with_cookie_jar(app.base.clone());
    analyst
        .login("analyst@tessera.local", PASSWORD)
        .await
        .expect("login");
    let mut generator = Generator::new(generator);
    let mut days = Vec::new();
    while let Some(day) = generator.next_day() {
        days.push((day, generator.take_new_customers()));
    }
    (app, analyst, days)
}

/// Inserts the days' orders and rolls them up through the API.
pub async fn load_and_refresh(
    app: &TestApp,
    analyst: &ApiClient,
    days: &[(Vec<Order>, Vec<Customer>)],
) {
    let db = app.db().connect().await;
    let orders: Vec<_> = days.iter().flat_map(|(o, _)| o.iter().cloned()).collect();
    let customers: Vec<_> = days.iter().flat_map(|(_, c)| c.iter().cloned()).collect();
    db.insert_batch(&customers, &orders)
        .await
        .expect("insert orders");
    let outcome = analyst.refresh_data().await.expect("refresh");
    assert!(outcome.changed, "the refresh rolled up the new orders");
    db.close().await;
}

/// A client authenticated with a service token of `role`.
pub async fn service_client(app: &TestApp, role: Role) -> ApiClient {
    let admin = ApiClient::with_cookie_jar(app.base.clone());
    admin
        .login("admin@tessera.local", PASSWORD)
        .await
        .expect("admin login");
    let name = format!("svc-{}", uuid::Uuid::new_v4().simple());
    app.service_account_client(&admin, &name, role).await
}

/// One-row, one-column integer query against the raw tables.
pub async fn scalar(db: &Db, sql: &str) -> i64 {
    let value: Option<i64> = match db {
        Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
        Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
    }
    .unwrap_or_else(|e| panic!("{sql}: {e}"));
    value.unwrap_or(0)
}
