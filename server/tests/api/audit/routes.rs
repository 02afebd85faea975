//! Route by route: every route in the API's route table leaves exactly one
//! audit row per call, except the probes on the explicit unrecorded list;
//! so do requests no route takes, and work that outlives its client.

use std::time::Duration;

use app::api::Role;
use reqwest::Method;
use rstest_reuse::apply;
use serde_json::json;
use server::http::middleware::audit::UNRECORDED;

use super::{audited_app, signed_in, PASSWORD};
use crate::helpers::{each_backend, Backend, TestApp};

async fn count(app: &TestApp) -> usize {
    let db = app.db().connect().await;
    let rows = super::all_rows(&db).await.len();
    db.close().await;
    rows
}

/// Waits until the log holds more than `before` rows (reads are batched),
/// then a little longer, and returns how many rows were added.
async fn added_since(app: &TestApp, before: usize) -> usize {
    for _ in 0..60 {
        if count(app).await > before {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(250)).await;
    count(app).await - before
}

/// A body that the route accepts (or at least parses).
fn body_for(method: &Method, path: &str) -> Option<serde_json::Value> {
    let unique = uuid::Uuid::new_v4().simple().to_string();
    match (method.as_str(), path) {
        ("POST", "/auth/login") => {
            Some(json!({"email": "viewer@tessera.local", "password": PASSWORD}))
        }
        ("POST", "/auth/token") => Some(json!({"client_id": "nobody", "client_secret": "x"})),
        ("POST", "/admin/users") => Some(json!({
            "email": format!("{unique}@example.com"),
            "display_name": "Route test",
            "role": "viewer",
            "password": PASSWORD,
        })),
        ("PATCH", "/admin/users/{id}") => Some(json!({"role": "analyst"})),
        ("POST", "/admin/service-accounts") => Some(json!({"name": unique, "role": "viewer"})),
        _ => None,
    }
}

#[apply(each_backend)]
#[tokio::test]
async fn every_route_leaves_exactly_one_row_per_call(backend: Backend) {
    let app = audited_app(backend).await;
    let admin = signed_in(&app, "admin").await;
    let (service_id, token) = app.service_account_token(&admin, "ops", Role::Admin).await;
    let table = server::http::routes().table();
    assert!(table.len() >= 20, "the whole table: {table:?}");
    for route in table {
        let path = route.path.replace("{id}", &service_id.to_string());
        let path = if route.path.starts_with("/admin/users/") {
            route.path.replace("{id}", "1")
        } else {
            path
        };
        let url = app.url(&format!("/api/v1{path}"));
        let method = Method::from_bytes(route.method.as_str().as_bytes()).expect("method");
        let mut request = app.http.request(method.clone(), url).bearer_auth(&token);
        if let Some(body) = body_for(&method, route.path) {
            request = request.json(&body);
        }
        let before = count(&app).await;
        let status = request.send().await.expect("send").status();
        let full = format!("/api/v1{}", route.path);
        let expected = usize::from(!UNRECORDED.contains(&full.as_str()));
        assert_eq!(
            added_since(&app, before).await,
            expected,
            "{} {} answered {status}",
            route.method,
            route.path
        );
    }
}

#[apply(each_backend)]
#[tokio::test]
async fn requests_no_handler_took_are_recorded_too(backend: Backend) {
    let app = audited_app(backend).await;
    let cases: [(reqwest::RequestBuilder, &str, u16); 3] = [
        (
            app.http.get(app.url("/api/v1/no-such-route")),
            "request.rejected",
            404,
        ),
        (
            app.http
                .post(app.url("/api/v1/auth/login"))
                .header("content-type", "application/json")
                .body("{not json"),
            "request.rejected",
            400,
        ),
        (
            app.http.delete(app.url("/api/v1/me")),
            "request.rejected",
            405,
        ),
    ];
    for (request, action, status) in cases {
        let before = count(&app).await;
        assert_eq!(request.send().await.expect("send").status(), status);
        assert_eq!(added_since(&app, before).await, 1, "{action} {status}");
        let row = super::all_rows(&app.db().connect().await)
            .await
            .pop()
            .expect("row");
        assert_eq!(
            (row.event.action.as_str(), row.event.status),
            (action, Some(status))
        );
        assert!(row.event.context["path"].is_string(), "{row:?}");
    }
}

#[apply(each_backend)]
#[tokio::test]
async fn a_refresh_outlives_its_client_and_both_are_recorded(backend: Backend) {
    let (app, analyst, days) = crate::analytics::unseeded_app(backend, 40_000, &[]).await;
    let half = days.len() / 2;
    crate::analytics::load_and_refresh(&app, &analyst, &days[..half]).await;
    // New orders to roll up, and a client that gives up at once.
    let db = app.db().connect().await;
    let orders: Vec<_> = days[half..]
        .iter()
        .flat_map(|(o, _)| o.iter().cloned())
        .collect();
    let customers: Vec<_> = days[half..]
        .iter()
        .flat_map(|(_, c)| c.iter().cloned())
        .collect();
    db.insert_batch(&customers, &orders).await.expect("insert");
    let impatient = reqwest::Client::builder()
        .timeout(Duration::from_millis(100))
        .build()
        .expect("client");
    let cookies = app
        .login_cookies("analyst@tessera.local", crate::analytics::PASSWORD)
        .await;
    let gone = impatient
        .post(app.url("/api/v1/data/refresh"))
        .header("cookie", cookies)
        .header("sec-fetch-site", "same-origin")
        .send()
        .await;
    assert!(gone.is_err(), "the client gave up: {gone:?}");
    let refreshes = super::rows_of(&app, "data.refresh", 2).await;
    assert_eq!(refreshes[0].event.status, Some(499), "{refreshes:#?}");
    let finished = super::rows_of(&app, "data.refresh.finished", 1).await;
    let ingested = finished[0].event.context["ingested"].as_i64();
    assert_eq!(
        ingested,
        Some(i64::try_from(orders.len()).expect("count")),
        "{finished:?}"
    );
    assert_eq!(
        finished[0].event.principal.as_deref(),
        Some("analyst@tessera.local")
    );
    db.close().await;
}

#[apply(each_backend)]
#[tokio::test]
async fn a_refresh_cut_by_the_request_timeout_is_recorded_and_finishes(backend: Backend) {
    let (app, _, days) = crate::analytics::unseeded_app(backend, 40_000, &[]).await;
    // A second instance on the same database with the shortest timeout
    // (sign-in happens on the first: hashing may take longer than that).
    let hasty = app
        .spawn_another(&[("TESSERA_REQUEST_TIMEOUT", "100ms")])
        .await;
    let db = app.db().connect().await;
    let orders: Vec<_> = days.iter().flat_map(|(o, _)| o.iter().cloned()).collect();
    let customers: Vec<_> = days.iter().flat_map(|(_, c)| c.iter().cloned()).collect();
    db.insert_batch(&customers, &orders).await.expect("insert");
    let cookies = app
        .login_cookies("analyst@tessera.local", crate::analytics::PASSWORD)
        .await;
    let timed_out = hasty
        .http
        .post(hasty.url("/api/v1/data/refresh"))
        .header("cookie", cookies)
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .expect("answer");
    assert_eq!(timed_out.status(), 503);
    let cut = super::rows_of(&app, "data.refresh", 1).await;
    assert_eq!(
        (cut[0].event.status, cut[0].event.outcome),
        (Some(503), app::api::AuditOutcome::Error)
    );
    let finished = super::rows_of(&app, "data.refresh.finished", 1).await;
    let ingested = finished[0].event.context["ingested"].as_i64();
    assert_eq!(ingested, i64::try_from(orders.len()).ok(), "{finished:?}");
    db.close().await;
}

#[apply(each_backend)]
#[tokio::test]
async fn a_page_that_renews_the_access_cookie_records_it(backend: Backend) {
    let app = audited_app(backend).await;
    let cookies = app.login_cookies("viewer@tessera.local", PASSWORD).await;
    // The access token has lapsed (the browser dropped the cookie);
    // the session lives on.
    let session_only: String = cookies
        .split("; ")
        .filter(|pair| pair.contains("session"))
        .collect();
    let page = app
        .http
        .get(app.url("/"))
        .header("cookie", &session_only)
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), 200);
    assert!(page.headers().get("set-cookie").is_some(), "a fresh cookie");
    let renewed = super::one_row(&app, "auth.refresh").await;
    assert_eq!(renewed.event.context, json!({"via": "page"}));
    assert_eq!(
        renewed.event.principal.as_deref(),
        Some("viewer@tessera.local")
    );
    assert!(renewed.event.session_hash.is_some());
}
