//! The shared cache: one database load for a thousand concurrent misses,
//! invalidation by dataset version, ETag revalidation, stale answers while
//! the database is away, and the admin endpoints.

use app::api::{CacheStats, Filters, RangePreset, Role};
use futures_util::future::join_all;
use rstest_reuse::apply;

use super::{seeded_app, service_client, PASSWORD};
use crate::{
    helpers::{database_url, each_backend, postgres_admin_url, spawn_on, Backend, TestDb},
    proxy::TcpProxy,
};

fn loads(stats: &CacheStats, class: &str) -> u64 {
    stats
        .classes
        .iter()
        .find(|c| c.class == class)
        .map_or(0, |c| c.loads)
}

#[apply(each_backend)]
#[tokio::test]
async fn a_thousand_concurrent_misses_make_one_database_load(backend: Backend) {
    let (app, _) = seeded_app(backend, 3_000, &[]).await;
    let service = service_client(&app, Role::Viewer).await;
    let admin = service_client(&app, Role::Admin).await;
    let before = admin.cache_stats().await.expect("stats");
    let filters = Filters {
        range: Some(RangePreset::Last90),
        ..Filters::default()
    };
    let requests = (0..1_000).map(|_| {
        let (service, filters) = (service.clone(), filters.clone());
        tokio::spawn(async move { service.kpis(&filters).await })
    });
    let answers: Vec<_> = join_all(requests)
        .await
        .into_iter()
        .map(|r| r.expect("task").expect("kpis"))
        .collect();
    assert!(
        answers.windows(2).all(|w| w[0] == w[1]),
        "{backend:?}: one answer for all"
    );
    let after = admin.cache_stats().await.expect("stats");
    assert_eq!(
        loads(&after, "kpis") - loads(&before, "kpis"),
        1,
        "{backend:?}: exactly one load"
    );
    let kpis = after
        .classes
        .iter()
        .find(|c| c.class == "kpis")
        .expect("kpis class");
    assert_eq!(
        kpis.hits + kpis.misses,
        1_000,
        "{backend:?}: every request counted"
    );
}

#[apply(each_backend)]
#[tokio::test]
async fn a_refresh_changes_the_version_and_with_it_every_key(backend: Backend) {
    let (app, analyst) = seeded_app(backend, 2_000, &[]).await;
    let admin = service_client(&app, Role::Admin).await;
    let filters = Filters::default();
    let first = analyst.kpis(&filters).await.expect("kpis");
    analyst.kpis(&filters).await.expect("kpis again");
    assert_eq!(
        loads(&admin.cache_stats().await.expect("stats"), "kpis"),
        1,
        "{backend:?}: second is a hit"
    );
    app.execute_sql(
        "INSERT INTO orders (id, ordered_at, customer_id, region, category, product, quantity, \
         unit_price, unit_cost, discount, total, status) VALUES \
         (1000000, 1763596800, 1, 'eu', 'toys', 'Plush Bear', 2, 2500, 900, 0, 5000, 'completed')",
    )
    .await;
    let outcome = analyst.refresh_data().await.expect("refresh");
    assert_eq!(outcome.ingested, 1);
    let second = analyst.kpis(&filters).await.expect("kpis after refresh");
    assert_eq!(second.meta.dataset_version, first.meta.dataset_version + 1);
    assert_eq!(
        loads(&admin.cache_stats().await.expect("stats"), "kpis"),
        2,
        "{backend:?}: new version, new load"
    );
    let again = analyst.refresh_data().await.expect("refresh without news");
    assert!(!again.changed && again.status.dataset_version == second.meta.dataset_version);
}

#[apply(each_backend)]
#[tokio::test]
async fn etags_revalidate_with_304(backend: Backend) {
    let (app, _) = seeded_app(backend, 1_000, &[]).await;
    let cookies = app.login_cookies("viewer@tessera.local", PASSWORD).await;
    let url = app.url("/api/v1/analytics/breakdown?dimension=region&range=90d");
    let first = app
        .http
        .get(&url)
        .header("cookie", &cookies)
        .send()
        .await
        .expect("get");
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["cache-control"], "private, no-cache");
    let etag = first.headers()["etag"].to_str().expect("etag").to_owned();
    let body: serde_json::Value = first.json().await.expect("json");
    assert!(
        body["meta"]["dataset_version"].as_i64().is_some()
            && body["meta"]["data_as_of"].is_string()
    );
    let again = app
        .http
        .get(&url)
        .header("cookie", &cookies)
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("get");
    assert_eq!(again.status(), 304, "{backend:?}");
    assert_eq!(again.headers()["etag"].to_str().expect("etag"), etag);
    let other = app
        .http
        .get(&url)
        .header("cookie", &cookies)
        .header("if-none-match", "\"nope\"")
        .send()
        .await
        .expect("get");
    assert_eq!(other.status(), 200);
}

#[apply(each_backend)]
#[tokio::test]
async fn admins_see_and_clear_the_cache_and_others_may_not(backend: Backend) {
    // The version poller (and with it the sketch warmer) stays idle, so
    // only the requests below fill the caches.
    let quiet = [("TESSERA_VERSION_POLL", "300s")];
    let (app, analyst) = seeded_app(backend, 1_000, &quiet).await;
    analyst.kpis(&Filters::default()).await.expect("kpis");
    assert_eq!(
        analyst.cache_stats().await.expect_err("analyst").status(),
        Some(403)
    );
    assert_eq!(
        analyst.clear_cache().await.expect_err("analyst").status(),
        Some(403)
    );
    let admin = service_client(&app, Role::Admin).await;
    let stats = admin.cache_stats().await.expect("stats");
    assert_eq!(
        stats.classes.iter().map(|c| c.entries).sum::<u64>(),
        1,
        "{backend:?}"
    );
    assert!(stats.weighted_bytes > 0 && stats.max_bytes == 64 * 1024 * 1024);
    // The KPI answer kept the customer sketches it merged.
    let sketches = &stats.sketches;
    assert!(
        sketches.entries > 0 && sketches.bytes > 0,
        "{backend:?}: {sketches:?}"
    );
    assert_eq!(sketches.max_bytes, 256 * 1024 * 1024);
    admin.clear_cache().await.expect("clear");
    let stats = admin.cache_stats().await.expect("stats");
    assert_eq!(
        stats.classes.iter().map(|c| c.entries).sum::<u64>(),
        0,
        "{backend:?}: cleared"
    );
    assert_eq!(
        (stats.sketches.entries, stats.sketches.warmed_version),
        (0, 0),
        "{backend:?}: sketches cleared"
    );
}

/// PostgreSQL behind a proxy the test controls: with the database away, a
/// question answered before comes back with `stale: true`; a new one is 503.
#[tokio::test]
async fn the_last_good_answer_is_served_stale_while_the_database_is_away() {
    let Some(admin_url) = postgres_admin_url() else {
        eprintln!("skipped: TESSERA_TEST_POSTGRES_URL not set");
        return;
    };
    let target = url::Url::parse(&admin_url).expect("url");
    let addr = format!(
        "{}:{}",
        target.host_str().expect("host"),
        target.port().unwrap_or(5432)
    );
    let proxy = TcpProxy::start(addr.parse().expect("addr")).await;
    let mut db = TestDb::create(crate::helpers::Backend::Postgres).await;
    let name = url::Url::parse(&db.url)
        .expect("url")
        .path()
        .trim_start_matches('/')
        .to_owned();
    let mut via_proxy = url::Url::parse(&database_url(&admin_url, &name)).expect("url");
    via_proxy.set_port(Some(proxy.addr.port())).expect("port");
    via_proxy.set_host(Some("127.0.0.1")).expect("host");
    db.url = via_proxy.to_string();
    let app = spawn_on(
        db,
        &[
            ("TESSERA_DEMO_PASSWORD", PASSWORD),
            ("TESSERA_CACHE_TTL", "kpis=1s"),
        ],
    )
    .await;
    let service = service_client(&app, Role::Viewer).await;
    let filters = Filters {
        range: Some(RangePreset::Last7),
        ..Filters::default()
    };
    let fresh = service.kpis(&filters).await.expect("kpis");
    assert!(!fresh.meta.stale);

    proxy.down();
    // The fresh entry lives one second; after that the load fails.
    tokio::time::sleep(std::time::Duration::from_millis(1_500)).await;
    let stale = service.kpis(&filters).await.expect("stale kpis");
    assert!(stale.meta.stale, "served stale");
    assert_eq!(stale.data, fresh.data);
    let never = Filters {
        range: Some(RangePreset::Year),
        ..Filters::default()
    };
    let error = service.kpis(&never).await.expect_err("never loaded");
    assert_eq!(error.status(), Some(503));
    match error {
        app::api::ClientError::Api { body, .. } => {
            assert_eq!(body.code, "unavailable");
            assert!(
                !body.message.contains("sqlx") && !body.message.contains("connection"),
                "{}",
                body.message
            );
        }
        other => panic!("{other:?}"),
    }
    proxy.up();
}
