//! Liveness, readiness and request ids.

use rstest_reuse::apply;

use crate::helpers::{each_backend, spawn_app, Backend};

#[apply(each_backend)]
#[tokio::test]
async fn health_is_ok_and_carries_a_request_id(backend: Backend) {
    let app = spawn_app(backend).await;
    let health = app.api.health().await.expect("health");
    assert_eq!(health.status, "ok");

    let response = app
        .http
        .get(app.url("/api/v1/health"))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), 200);
    let id = response.headers()["x-request-id"].to_str().expect("ascii");
    assert_eq!(id.len(), 36, "a generated UUID, got {id}");
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body, serde_json::json!({"status": "ok"}));
}

#[apply(each_backend)]
#[tokio::test]
async fn ready_reports_the_database_in_use(backend: Backend) {
    let app = spawn_app(backend).await;
    let ready = app.api.ready().await.expect("ready");
    assert_eq!(ready.status, "ready");
    let expected = match backend {
        crate::helpers::Backend::Sqlite => "sqlite",
        crate::helpers::Backend::Postgres => "postgres",
    };
    assert_eq!(ready.database, expected);
    assert_eq!(ready.version, env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn a_well_formed_request_id_is_echoed_and_a_forged_one_replaced() {
    let app = spawn_app(crate::helpers::Backend::Sqlite).await;
    let echoed = app
        .http
        .get(app.url("/api/v1/health"))
        .header("x-request-id", "lb-7f3a.42")
        .send()
        .await
        .expect("send");
    assert_eq!(echoed.headers()["x-request-id"], "lb-7f3a.42");

    let forged = app
        .http
        .get(app.url("/api/v1/nope"))
        .header("x-request-id", "x\" injected=1")
        .send()
        .await
        .expect("send");
    let id = forged.headers()["x-request-id"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert_ne!(id, "x\" injected=1");
    let body: serde_json::Value = forged.json().await.expect("json");
    assert_eq!(body["error"]["request_id"], id.as_str());
}
