//! The HTTP layers every request passes through, exercised with routes that
//! misbehave on purpose (a JSON body, a slow handler, a panicking handler)
//! behind the production layer stack, over real HTTP on loopback.

use std::time::Duration;

use app::api::ErrorEnvelope;
use axum::{routing::post, Router};
use server::{
    config::Config,
    http::{extract::Json, with_request_limits},
    startup::with_http_layers,
};

#[derive(Debug, serde::Deserialize, serde::Serialize)]
struct Greeting {
    name: String,
    times: u8,
}

async fn spawn_router() -> String {
    let env = [
        ("TESSERA_REQUEST_TIMEOUT", "300ms"),
        ("TESSERA_BODY_LIMIT", "4096"),
    ];
    let config = Config::from_lookup(|k| {
        env.iter()
            .find(|(key, _)| *key == k)
            .map(|(_, v)| (*v).to_owned())
    })
    .expect("config");
    let routes = Router::new()
        .route(
            "/api/v1/greet",
            post(|Json(g): Json<Greeting>| async move { Json(g) }),
        )
        .route(
            "/api/v1/slow",
            post(|| async {
                tokio::time::sleep(Duration::from_secs(5)).await;
                "done"
            }),
        )
        .route(
            "/api/v1/panic",
            post(|| async {
                #[expect(clippy::panic, reason = "the test is about panics")]
                {
                    panic!("secret internal detail");
                }
                #[expect(unreachable_code, reason = "the handler needs a return type")]
                ""
            }),
        );
    let app = with_http_layers(with_request_limits(routes, &config.http));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

async fn post_raw(url: String, content_type: &str, body: &'static str) -> (u16, ErrorEnvelope) {
    let response = reqwest::Client::new()
        .post(url)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("send");
    let status = response.status().as_u16();
    let envelope = response
        .json::<ErrorEnvelope>()
        .await
        .expect("JSON error shape");
    assert!(envelope.error.request_id.is_some());
    (status, envelope)
}

#[tokio::test]
async fn malformed_json_is_a_400_saying_what_is_wrong() {
    let base = spawn_router().await;
    let (status, envelope) = post_raw(
        format!("{base}/api/v1/greet"),
        "application/json",
        "{\"name\": ",
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(envelope.error.code, "malformed_json");

    let (status, envelope) = post_raw(
        format!("{base}/api/v1/greet"),
        "application/json",
        r#"{"name":"a","times":"x"}"#,
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(envelope.error.code, "invalid_body");
    assert!(
        envelope.error.message.contains("times"),
        "{}",
        envelope.error.message
    );

    let (status, envelope) = post_raw(format!("{base}/api/v1/greet"), "text/plain", "{}").await;
    assert_eq!(status, 415);
    assert_eq!(envelope.error.code, "unsupported_media_type");
}

#[tokio::test]
async fn well_formed_json_passes_through() {
    let base = spawn_router().await;
    let response = reqwest::Client::new()
        .post(format!("{base}/api/v1/greet"))
        .json(&serde_json::json!({"name": "Ada", "times": 2}))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body, serde_json::json!({"name": "Ada", "times": 2}));
}

#[tokio::test]
async fn a_request_past_the_timeout_is_a_json_503() {
    let base = spawn_router().await;
    let (status, envelope) =
        post_raw(format!("{base}/api/v1/slow"), "application/json", "{}").await;
    assert_eq!(status, 503);
    assert_eq!(envelope.error.code, "timeout");
}

#[tokio::test]
async fn a_panic_is_an_opaque_json_500() {
    let base = spawn_router().await;
    let (status, envelope) =
        post_raw(format!("{base}/api/v1/panic"), "application/json", "{}").await;
    assert_eq!(status, 500);
    assert_eq!(envelope.error.code, "internal");
    assert_eq!(envelope.error.message, "internal error");
}
