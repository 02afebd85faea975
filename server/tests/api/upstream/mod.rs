//! `GET /api/v1/upstream/summary` against a scripted upstream: retries, the
//! circuit breaker, stale answers, single flight, malformed answers, access
//! and validation.
//!
//! The upstream feature never touches the database, so these run on SQLite
//! only. The fake upstream is a bare TCP server (not axum) so that it can
//! also hang up without answering; it counts every request it reads.

use std::time::Duration;

use crate::{
    analytics::PASSWORD,
    helpers::{spawn_app_with, Backend, TestApp},
    jobs::signed_in,
};
use app::api::{ApiClient, ClientError, StaleReason, UpstreamSummary};

mod fake;

use self::fake::{Fake, Reply, GOOD};

/// An app whose upstream is `fake`, and its signed-in viewer.
async fn upstream_app(fake: &Fake, extra: &[(&str, &str)]) -> (TestApp, ApiClient) {
    let mut settings = vec![
        ("TESSERA_DEMO_PASSWORD", PASSWORD),
        ("TESSERA_UPSTREAM_URL", fake.base.as_str()),
    ];
    settings.extend_from_slice(extra);
    let app = spawn_app_with(Backend::Sqlite, &settings).await;
    let viewer = signed_in(&app, "viewer@tessera.local").await;
    (app, viewer)
}

/// The status and error code of a failed call.
fn failure(result: Result<UpstreamSummary, ClientError>) -> (u16, String) {
    match result {
        Err(ClientError::Api { status, body }) => {
            assert!(!body.message.contains("127.0.0.1"), "{}", body.message);
            (status, body.code)
        }
        other => panic!("expected an API error, got {other:?}"),
    }
}

fn figures(summary: &UpstreamSummary) -> Vec<(&str, &str, f64)> {
    let mut all: Vec<_> = summary
        .figures
        .iter()
        .map(|f| (f.key.as_str(), f.label.as_str(), f.value))
        .collect();
    all.sort_by(|a, b| a.0.cmp(b.0));
    all
}

#[tokio::test]
async fn transient_failures_are_retried_and_the_answer_cached() {
    let fake = Fake::start(Reply::Json(GOOD)).await;
    fake.first([Reply::Status(500), Reply::HangUp]);
    let (_app, viewer) = upstream_app(&fake, &[("TESSERA_UPSTREAM_TOKEN", "tok-123")]).await;
    let summary = viewer
        .upstream_summary(None)
        .await
        .expect("200 after retries");
    assert_eq!(fake.hits(), 3, "two failures, then the answer");
    assert!(!summary.stale && summary.stale_reason.is_none());
    assert_eq!(
        (summary.source.as_str(), summary.horizon_days),
        ("127.0.0.1", 30)
    );
    assert_eq!(
        figures(&summary),
        [
            ("forecastRevenue", "Forecast revenue", 81234.5),
            ("orders", "Orders", 1234.0),
        ]
    );
    assert!(summary.fetched_at.ends_with('Z') && summary.age_seconds < 5);
    let head = fake.last_head().to_ascii_lowercase();
    assert!(
        head.starts_with("get /api/v1/forge-metrics/summary?horizondays=30 "),
        "{head}"
    );
    assert!(head.contains("authorization: bearer tok-123"), "{head}");
    viewer.upstream_summary(Some(30)).await.expect("cached");
    assert_eq!(fake.hits(), 3, "a fresh answer is served from the cache");
}

#[tokio::test]
async fn a_client_error_is_not_retried() {
    let fake = Fake::start(Reply::Status(404)).await;
    let (_app, viewer) = upstream_app(&fake, &[]).await;
    let (status, code) = failure(viewer.upstream_summary(None).await);
    assert_eq!((status, code.as_str()), (503, "upstream_unavailable"));
    assert_eq!(fake.hits(), 1);
}

#[tokio::test]
async fn the_breaker_stops_calls_after_five_failed_calls() {
    let fake = Fake::start(Reply::Status(500)).await;
    let (app, viewer) = upstream_app(&fake, &[("TESSERA_UPSTREAM_BREAKER_OPEN", "1s")]).await;
    for call in 1..=5 {
        let (status, code) = failure(viewer.upstream_summary(None).await);
        assert_eq!((status, code.as_str()), (503, "upstream_unavailable"));
        assert_eq!(
            fake.hits(),
            call * 4,
            "each call is a request and 3 retries"
        );
    }
    let cookies = app.login_cookies("viewer@tessera.local", PASSWORD).await;
    let response = app
        .http
        .get(app.url("/api/v1/upstream/summary"))
        .header("cookie", cookies)
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), 503);
    assert!(response.headers().contains_key("retry-after"));
    assert_eq!(fake.hits(), 20, "the open breaker does not call");
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    fake.then(Reply::Json(GOOD));
    viewer.upstream_summary(None).await.expect("the trial call");
    assert_eq!(
        fake.hits(),
        21,
        "one trial call once the breaker half-opens"
    );
}

#[tokio::test]
async fn the_last_good_answer_is_served_stale() {
    let fake = Fake::start(Reply::Json(GOOD)).await;
    let (_app, viewer) = upstream_app(&fake, &[("TESSERA_UPSTREAM_TTL", "100ms")]).await;
    let fresh = viewer.upstream_summary(None).await.expect("fresh");
    fake.then(Reply::Status(503));
    tokio::time::sleep(Duration::from_millis(150)).await;
    let stale = viewer.upstream_summary(None).await.expect("stale");
    assert!(stale.stale);
    assert_eq!(stale.stale_reason, Some(StaleReason::Unavailable));
    assert_eq!(
        (stale.figures.clone(), stale.fetched_at.clone()),
        (fresh.figures, fresh.fetched_at)
    );
    assert_eq!(
        fake.hits(),
        5,
        "the TTL passed: it asked again (with retries)"
    );
    let (status, code) = failure(viewer.upstream_summary(Some(7)).await);
    assert_eq!(
        (status, code.as_str()),
        (503, "upstream_unavailable"),
        "nothing to fall back on"
    );
    for _ in 0..3 {
        assert!(viewer.upstream_summary(None).await.expect("stale").stale);
    }
    assert_eq!(fake.hits(), 21, "5 failed calls");
    let paused = viewer.upstream_summary(None).await.expect("stale");
    assert_eq!(paused.stale_reason, Some(StaleReason::CircuitOpen));
    assert_eq!(fake.hits(), 21, "the breaker is open");
}

#[tokio::test]
async fn concurrent_callers_share_one_request() {
    let fake = Fake::start(Reply::Slow(Duration::from_millis(300))).await;
    let (_app, viewer) = upstream_app(&fake, &[]).await;
    let mut callers = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let viewer = viewer.clone();
        callers.spawn(async move { viewer.upstream_summary(Some(30)).await });
    }
    while let Some(result) = callers.join_next().await {
        let summary = result.expect("joined").expect("200");
        assert_eq!(summary.figures.len(), 2);
    }
    assert_eq!(fake.hits(), 1, "one upstream request for 20 callers");
}

#[tokio::test]
async fn malformed_answers_are_502_and_never_cached() {
    let fake = Fake::start(Reply::Garbage).await;
    let (_app, viewer) = upstream_app(&fake, &[]).await;
    let Err(ClientError::Api { status, body }) = viewer.upstream_summary(None).await else {
        panic!("an API error")
    };
    assert_eq!((status, body.code.as_str()), (502, "upstream_malformed"));
    assert!(
        !body.message.to_lowercase().contains("html"),
        "opaque: {}",
        body.message
    );
    assert_eq!(fake.hits(), 1, "a malformed answer is not retried");
    let (status, _) = failure(viewer.upstream_summary(None).await);
    assert_eq!((status, fake.hits()), (502, 2), "and not cached");
    for bad in [r#"{"orders":"12"}"#, "[1,2]"] {
        fake.then(Reply::Json(bad));
        let (status, code) = failure(viewer.upstream_summary(None).await);
        assert_eq!(
            (status, code.as_str()),
            (502, "upstream_malformed"),
            "{bad}"
        );
    }
    // Four failed calls in a row: one more would open the breaker.
    fake.then(Reply::Json(
        r#"{"metrics":[{"name":"fillRate","value":97.5,"unit":"%"}],"asOf":"2026-03-01T00:00:00Z"}"#,
    ));
    let summary = viewer.upstream_summary(None).await.expect("a list answer");
    assert_eq!(summary.figures[0].label, "Fill rate");
    assert_eq!(summary.figures[0].unit.as_deref(), Some("%"));
    assert_eq!(summary.as_of.as_deref(), Some("2026-03-01T00:00:00Z"));
    for bad in [r#"{"orders":null}"#, r#"{"orders":1e999}"#] {
        fake.then(Reply::Json(bad));
        let (status, code) = failure(viewer.upstream_summary(Some(7)).await);
        assert_eq!(
            (status, code.as_str()),
            (502, "upstream_malformed"),
            "{bad}"
        );
    }
    assert_eq!(fake.hits(), 7);
}

#[tokio::test]
async fn viewers_read_it_and_bad_horizons_are_400() {
    let fake = Fake::start(Reply::Json(GOOD)).await;
    let (app, viewer) = upstream_app(&fake, &[]).await;
    let anonymous = app
        .http
        .get(app.url("/api/v1/upstream/summary"))
        .send()
        .await
        .expect("send");
    assert_eq!(anonymous.status(), 401);
    let cookies = app.login_cookies("viewer@tessera.local", PASSWORD).await;
    for query in [
        "horizonDays=0",
        "horizonDays=366",
        "horizonDays=abc",
        "horizonDays=7.5",
    ] {
        let response = viewer_get(&app, &cookies, &format!("?{query}")).await;
        assert_eq!(response.status(), 400, "{query}");
        let body: serde_json::Value = response.json().await.expect("json");
        assert!(
            body["error"]["fields"]["horizonDays"].is_string(),
            "{query}: {body}"
        );
    }
    let response = viewer_get(&app, &cookies, "?horizon=7").await;
    assert_eq!(response.status(), 400, "unknown parameter");
    assert_eq!(fake.hits(), 0, "bad input never reaches the upstream");
    let summary = viewer.upstream_summary(Some(90)).await.expect("viewer");
    assert_eq!(summary.horizon_days, 90);
    assert!(fake.last_head().contains("horizonDays=90"));
    // Every call is an audit read, the rejected ones too.
    let rows = crate::audit::rows_of(&app, "upstream.summary", 6).await;
    let statuses: Vec<_> = rows.iter().map(|r| r.event.status).collect();
    assert_eq!(rows.len(), 6, "{statuses:?}");
    let good = rows
        .iter()
        .find(|r| r.event.status == Some(200))
        .expect("the 200");
    assert_eq!(good.event.context["horizon_days"], 90, "{:?}", good.event);
}

async fn viewer_get(app: &TestApp, cookies: &str, query: &str) -> reqwest::Response {
    app.http
        .get(app.url(&format!("/api/v1/upstream/summary{query}")))
        .header("cookie", cookies)
        .send()
        .await
        .expect("send")
}

#[tokio::test]
async fn without_an_upstream_it_is_404_not_configured() {
    let app = spawn_app_with(Backend::Sqlite, &[("TESSERA_DEMO_PASSWORD", PASSWORD)]).await;
    let viewer = signed_in(&app, "viewer@tessera.local").await;
    let error = viewer.upstream_summary(None).await.expect_err("404");
    assert!(error.is_not_configured(), "{error:?}");
}
