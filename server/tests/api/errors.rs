//! Every error under /api has the JSON shape and the right status.

use app::api::ErrorEnvelope;
use rstest_reuse::apply;

use crate::helpers::{each_backend, spawn_app, spawn_app_with, Backend};

async fn error_of(response: reqwest::Response) -> (u16, String, ErrorEnvelope) {
    let status = response.status().as_u16();
    let id = response.headers()["x-request-id"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert_eq!(response.headers()["content-type"], "application/json");
    let envelope: ErrorEnvelope = response.json().await.expect("error envelope");
    assert_eq!(
        envelope.error.request_id.as_deref(),
        Some(id.as_str()),
        "body carries the request id"
    );
    (status, id, envelope)
}

#[apply(each_backend)]
#[tokio::test]
async fn unknown_api_route_is_a_json_404_not_the_html_page(backend: Backend) {
    let app = spawn_app(backend).await;
    for path in ["/api/v1/nope", "/api/v2/health", "/api", "/api/"] {
        let response = app.http.get(app.url(path)).send().await.expect("send");
        let (status, _, envelope) = error_of(response).await;
        assert_eq!(status, 404, "{path}");
        assert_eq!(envelope.error.code, "not_found", "{path}");
    }
}

#[tokio::test]
async fn wrong_method_is_a_json_405_naming_the_allowed_ones() {
    let app = spawn_app(Backend::Sqlite).await;
    let response = app
        .http
        .delete(app.url("/api/v1/health"))
        .send()
        .await
        .expect("send");
    assert!(response.headers()["allow"]
        .to_str()
        .expect("ascii")
        .contains("GET"));
    let (status, _, envelope) = error_of(response).await;
    assert_eq!(status, 405);
    assert_eq!(envelope.error.code, "method_not_allowed");
    assert!(
        envelope.error.message.contains("DELETE"),
        "{}",
        envelope.error.message
    );
}

#[tokio::test]
async fn oversized_body_is_a_json_413() {
    let app = spawn_app_with(Backend::Sqlite, &[("TESSERA_BODY_LIMIT", "4096")]).await;
    let response = app
        .http
        .post(app.url("/api/v1/health"))
        .header("content-type", "application/json")
        .body(vec![b' '; 64 * 1024])
        .send()
        .await
        .expect("send");
    let (status, _, envelope) = error_of(response).await;
    assert_eq!(status, 413);
    assert_eq!(envelope.error.code, "payload_too_large");
}

#[tokio::test]
async fn the_typed_client_surfaces_api_errors() {
    let app = spawn_app(Backend::Sqlite).await;
    let stopped = app.api.clone();
    app.stop().await.0.expect("clean stop");
    let error = stopped.health().await.expect_err("server is gone");
    assert!(
        matches!(error, app::api::ClientError::Network(_)),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_malformed_json_body_on_a_real_route_is_a_json_400() {
    let app = spawn_app(Backend::Sqlite).await;
    let response = app
        .http
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .expect("send");
    let (status, _, envelope) = error_of(response).await;
    assert_eq!(status, 400);
    assert_eq!(envelope.error.code, "malformed_json");
}
