//! Background jobs: submit, de-duplication, limits, cancel, events,
//! downloads and expiry (in-process), and crashes and competing workers
//! (real `tessera` child processes).

mod crash;
mod flows;
mod transfers;

use std::time::Duration;

use app::api::{ApiClient, ForecastRequest, JobStatus, JobView, Role};

use crate::{
    analytics::{seeded_app, PASSWORD},
    helpers::{Backend, TestApp},
};

/// Orders in the jobs tests' warehouse (three years of history).
pub const ORDERS: u64 = 12_000;

/// An app with orders, its signed-in analyst, and an analyst's bearer token
/// for raw requests (events, downloads).
pub async fn jobs_app(backend: Backend, settings: &[(&str, &str)]) -> (TestApp, ApiClient, String) {
    let (app, analyst) = seeded_app(backend, ORDERS, settings).await;
    let admin = admin_client(&app).await;
    let name = format!("svc-{}", uuid::Uuid::new_v4().simple());
    let (_, token) = app
        .service_account_token(&admin, &name, Role::Analyst)
        .await;
    (app, analyst, token)
}

/// The demo admin, signed in.
pub async fn admin_client(app: &TestApp) -> ApiClient {
    signed_in(app, "admin@tessera.local").await
}

/// A demo account, signed in.
pub async fn signed_in(app: &TestApp, email: &str) -> ApiClient {
    let client = ApiClient::with_cookie_jar(app.base.clone());
    client.login(email, PASSWORD).await.expect("login");
    client
}

/// A valid forecast request.
pub fn forecast(metric: &str, horizon: i64) -> ForecastRequest {
    ForecastRequest {
        target_metric: Some(metric.into()),
        horizon_days: Some(horizon),
        confidence: Some(90),
        include_weekends: Some(true),
        regions: Vec::new(),
        categories: Vec::new(),
    }
}

/// Polls job `id` until `done` holds (at most `limit`).
pub async fn wait_until(
    client: &ApiClient,
    id: &str,
    limit: Duration,
    done: impl Fn(&JobView) -> bool,
) -> JobView {
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        let job = client.job(id).await.expect("read job");
        if done(&job) {
            return job;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "job never reached the expected state: {job:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Polls job `id` until it has finished.
pub async fn wait_finished(client: &ApiClient, id: &str) -> JobView {
    wait_until(client, id, Duration::from_secs(60), |j| {
        j.status.is_finished()
    })
    .await
}

/// Polls job `id` until it is running.
pub async fn wait_running(client: &ApiClient, id: &str) -> JobView {
    wait_until(client, id, Duration::from_secs(30), |j| {
        j.status == JobStatus::Running
    })
    .await
}
