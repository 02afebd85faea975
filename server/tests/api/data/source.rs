//! The PostgreSQL warehouse source: a source database made by the test
//! feeds two refreshes and only new rows move; the source is never
//! written; an unreachable source keeps the data and says why, without
//! the password.

use app::api::Role;
use rstest_reuse::apply;
use serde_json::Value;
use sqlx::Connection as _;

use super::{bearer, get_json, order_count};
use crate::{
    analytics::{scalar, PASSWORD},
    helpers::{database_url, each_backend, postgres_admin_url, spawn_app_with, Backend, TestApp},
};

/// A throwaway source database with a `shop_orders` table, dropped on drop.
struct SourceDb {
    admin: String,
    name: String,
    url: String,
}

impl SourceDb {
    async fn create(admin: &str) -> SourceDb {
        let name = format!("tessera_source_{}", uuid::Uuid::new_v4().simple());
        let mut conn = sqlx::PgConnection::connect(admin).await.expect("admin");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .expect("create source database");
        let url = database_url(admin, &name);
        let source = SourceDb {
            admin: admin.to_owned(),
            name,
            url,
        };
        source
            .execute(
                "CREATE TABLE shop_orders (order_no BIGSERIAL PRIMARY KEY, \
                 created TIMESTAMPTZ NOT NULL, client BIGINT NOT NULL, region TEXT NOT NULL, \
                 category TEXT NOT NULL, product TEXT NOT NULL, quantity INT NOT NULL, \
                 unit_price NUMERIC(12, 2) NOT NULL, unit_cost NUMERIC(12, 2) NOT NULL, \
                 status TEXT NOT NULL)",
            )
            .await;
        source
    }

    async fn execute(&self, sql: &str) {
        let mut conn = sqlx::PgConnection::connect(&self.url)
            .await
            .expect("source");
        sqlx::query(sql).execute(&mut conn).await.expect(sql);
    }

    /// Adds `n` orders (ids follow on), over November 2026.
    async fn add(&self, n: usize) {
        self.execute(&format!(
            "INSERT INTO shop_orders (created, client, region, category, product, quantity, \
             unit_price, unit_cost, status) \
             SELECT TIMESTAMPTZ '2026-11-01 00:00:00+00' + (i % 28) * INTERVAL '1 day' \
                    + (i % 24) * INTERVAL '1 hour', 1 + i % 50, \
                    (ARRAY['Zürich \"Nord\", Süd', 'Île-de-France', 'O''Higgins'])[1 + i % 3], \
                    'Café ''Crème''', 'Thing', 1 + i % 4, 12.50 + i % 7, 4.25, \
                    CASE WHEN i % 10 = 0 THEN 'cancelled' ELSE 'completed' END \
             FROM generate_series(1, {n}) AS i"
        ))
        .await;
    }

    /// Rows, their ids and the newest row version (`xmin` moves on any
    /// insert or update).
    async fn fingerprint(&self) -> String {
        let mut conn = sqlx::PgConnection::connect(&self.url)
            .await
            .expect("source");
        sqlx::query_scalar(
            "SELECT COUNT(*) || '/' || COALESCE(SUM(order_no), 0) || '/' || \
             COALESCE(MAX(CAST(CAST(xmin AS TEXT) AS BIGINT)), 0) FROM shop_orders",
        )
        .fetch_one(&mut conn)
        .await
        .expect("fingerprint")
    }
}

impl Drop for SourceDb {
    fn drop(&mut self) {
        let (admin, name) = (self.admin.clone(), self.name.clone());
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                let mut conn = sqlx::PgConnection::connect(&admin).await.ok()?;
                sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn)
                    .await
                    .ok()
            })
        })
        .join();
    }
}

fn source_settings(url: &str) -> Vec<(&'static str, String)> {
    vec![
        ("TESSERA_DEMO_PASSWORD", PASSWORD.to_owned()),
        ("TESSERA_SOURCE_URL", url.to_owned()),
        ("TESSERA_SOURCE_TABLE", "shop_orders".into()),
        (
            "TESSERA_SOURCE_COLUMNS",
            "id=order_no,ordered_at=created,customer_id=client,discount=-".into(),
        ),
        ("TESSERA_SOURCE_WATERMARK", "order_no".into()),
        ("TESSERA_SOURCE_INTERVAL", "1h".into()),
        ("TESSERA_SOURCE_BATCH", "100".into()),
    ]
}

async fn refresh(app: &TestApp, token: &str) -> Value {
    let response = app
        .http
        .post(app.url("/api/v1/data/refresh"))
        .bearer_auth(token)
        .send()
        .await
        .expect("refresh");
    assert_eq!(response.status(), 200);
    get_json(app, token, "/api/v1/data/status").await.1
}

#[apply(each_backend)]
#[tokio::test]
async fn two_refreshes_move_only_the_new_rows(backend: Backend) {
    let Some(admin) = postgres_admin_url() else {
        eprintln!("skipped: the source is PostgreSQL");
        return;
    };
    let source = SourceDb::create(&admin).await;
    source.add(250).await;
    let settings = source_settings(&source.url);
    let pairs: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let app = spawn_app_with(backend, &pairs).await;
    let token = bearer(&app, Role::Analyst).await;
    let before = source.fingerprint().await;

    let status = refresh(&app, &token).await;
    assert_eq!(
        source.fingerprint().await,
        before,
        "Tessera never writes to the source"
    );
    let db = app.db().connect().await;
    assert_eq!(order_count(&db).await, 250, "{status}");
    assert_eq!(status["source"]["state"], "ok", "{status}");
    assert_eq!(status["source"]["rows_pulled"], 250);
    assert_eq!(status["source"]["watermark"], "250");
    assert_eq!(status["orders_rolled_up"], 250);

    source.add(70).await;
    let status = refresh(&app, &token).await;
    assert_eq!(order_count(&db).await, 320);
    assert_eq!(status["source"]["last_pull_rows"], 70, "{status}");
    assert_eq!(status["source"]["rows_pulled"], 320);
    let quoted = scalar(
        &db,
        "SELECT COUNT(*) FROM orders WHERE region = 'Zürich \"Nord\", Süd' \
         AND category = 'Café ''Crème''' AND unit_price >= 1250",
    )
    .await;
    assert_eq!(quoted, 83 + 23, "values arrive as the source holds them");
    let (_, dims) = get_json(&app, &token, "/api/v1/data/dimensions").await;
    assert_eq!(dims["regions"].as_array().map(Vec::len), Some(3), "{dims}");
    let again = refresh(&app, &token).await;
    assert_eq!(again["source"]["last_pull_rows"], 0);

    // An unreachable source: the data stays, the reason shows, never the password.
    let mut broken = url::Url::parse(&source.url).expect("url");
    broken.set_port(Some(1)).expect("port");
    broken.set_password(Some("s3cret-pass")).expect("password");
    let mut settings = source_settings(broken.as_str());
    settings.retain(|(k, _)| *k != "TESSERA_DEMO_PASSWORD");
    let pairs: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let other = app.spawn_another(&pairs).await;
    let status = refresh(&other, &token).await;
    assert_eq!(status["source"]["state"], "failing", "{status}");
    let error = status["source"]["last_error"].as_str().unwrap_or("");
    assert!(error.contains("could not connect"), "{error}");
    assert!(!status.to_string().contains("s3cret-pass"));
    assert_eq!(order_count(&db).await, 320);
    db.close().await;
}
