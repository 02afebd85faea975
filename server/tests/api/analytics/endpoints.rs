//! Parameters, roles and the data endpoints.

use app::api::{Filters, RangePreset, Role};
use rstest_reuse::apply;

use super::{seeded_app, service_client, PASSWORD};
use crate::helpers::{each_backend, Backend};

#[apply(each_backend)]
#[tokio::test]
async fn bad_parameters_get_a_400_naming_each_field(backend: Backend) {
    let (app, _) = seeded_app(backend, 500, &[]).await;
    let cookies = app.login_cookies("viewer@tessera.local", PASSWORD).await;
    for (path, fields) in [
        (
            "/analytics/kpis?regions=Europe,atlantis&colour=red",
            vec!["colour", "regions"],
        ),
        (
            "/analytics/kpis?from=2026-02-30&to=2026-03-01",
            vec!["from"],
        ),
        ("/analytics/kpis?from=2026-03-01&to=2026-02-01", vec!["to"]),
        (
            "/analytics/timeseries?metric=happiness&granularity=hour",
            vec!["granularity", "metric"],
        ),
        ("/analytics/breakdown?metric=revenue", vec!["dimension"]),
        (
            "/analytics/breakdown?dimension=region&limit=0",
            vec!["limit"],
        ),
        (
            "/analytics/customers?granularity=day&range=year&from=2026-01-01&to=2026-02-01",
            vec!["range"],
        ),
        (
            "/analytics/customers?granularity=day&from=2020-01-01&to=2026-01-01",
            vec!["granularity"],
        ),
        (
            "/orders?limit=501&sort=price&fields=id,secret",
            vec!["fields", "limit", "sort"],
        ),
        ("/orders?cursor=bm90LWEtY3Vyc29y", vec!["cursor"]),
    ] {
        let response = app
            .http
            .get(app.url(&format!("/api/v1{path}")))
            .header("cookie", &cookies)
            .send()
            .await
            .expect("get");
        assert_eq!(response.status(), 400, "{backend:?} {path}");
        let body: serde_json::Value = response.json().await.expect("json");
        let named: Vec<&str> = body["error"]["fields"]
            .as_object()
            .expect("fields")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(named, fields, "{backend:?} {path}");
    }
}

#[apply(each_backend)]
#[tokio::test]
async fn viewers_read_analysts_refresh(backend: Backend) {
    let (app, analyst) = seeded_app(backend, 500, &[]).await;
    let viewer = service_client(&app, Role::Viewer).await;
    let filters = Filters {
        range: Some(RangePreset::Year),
        ..Filters::default()
    };
    viewer.kpis(&filters).await.expect("viewer reads kpis");
    viewer
        .orders(&filters, &Default::default())
        .await
        .expect("viewer reads orders");
    assert_eq!(
        viewer.refresh_data().await.expect_err("viewer").status(),
        Some(403),
        "{backend:?}"
    );
    analyst.refresh_data().await.expect("analyst refreshes");
    let anonymous = app.api.clone();
    assert_eq!(
        anonymous
            .kpis(&filters)
            .await
            .expect_err("anonymous")
            .status(),
        Some(401)
    );
    assert_eq!(
        anonymous
            .data_status()
            .await
            .expect_err("anonymous")
            .status(),
        Some(401)
    );
}

#[apply(each_backend)]
#[tokio::test]
async fn data_status_reports_what_the_rollups_hold(backend: Backend) {
    let (app, analyst) = seeded_app(backend, 4_000, &[]).await;
    let status = analyst.data_status().await.expect("status");
    assert_eq!(status.orders, 4_000, "{backend:?}");
    assert_eq!(status.orders_rolled_up, 4_000);
    assert_eq!(status.dataset_version, 2, "two refreshes");
    assert!(status.customers > 100 && status.rollup_rows > 1_000);
    assert_eq!(
        status.data_as_of.as_deref().map(|t| &t[..10]),
        Some("2026-11-20")
    );
    assert!(status.last_refresh_ms.is_some() && status.last_refresh_at.is_some());
    let kpis = analyst.kpis(&Filters::default()).await.expect("kpis");
    assert_eq!(
        kpis.data.period.to, "2026-11-20",
        "presets end on the last day with data"
    );
    assert_eq!(kpis.data.period.from, "2026-10-22");
    // A few thousand orders: every cell's customer set is exact.
    assert!(kpis.data.approximate.fields.is_empty());
    assert_eq!(
        kpis.data.approximate.exact,
        ["active_customers", "churn_rate"]
    );
    drop(app);
}
