//! Bringing data in: CSV imports (good files, every kind of bad one,
//! upserts, roles, the command line) and the property test over a large
//! imported file.

mod imports;
mod property;
mod refusals;
mod source;

use std::fmt::Write as _;

use app::api::{ApiClient, Role};
use serde_json::Value;
use server::storage::Db;

use crate::{
    analytics::{scalar, PASSWORD},
    helpers::{spawn_app_with, Backend, TestApp},
};

pub const HEADER: &str =
    "id,ordered_at,customer_id,region,category,product,quantity,unit_price,unit_cost,discount,status";

/// An app with an empty warehouse and an analyst's bearer token.
pub async fn import_app(backend: Backend, settings: &[(&str, &str)]) -> (TestApp, String) {
    let mut all = vec![("TESSERA_DEMO_PASSWORD", PASSWORD)];
    all.extend_from_slice(settings);
    let app = spawn_app_with(backend, &all).await;
    let token = bearer(&app, Role::Analyst).await;
    (app, token)
}

/// A fresh service account's bearer token.
pub async fn bearer(app: &TestApp, role: Role) -> String {
    let admin = ApiClient::with_cookie_jar(app.base.clone());
    admin
        .login("admin@tessera.local", PASSWORD)
        .await
        .expect("admin login");
    let name = format!("svc-{}", uuid::Uuid::new_v4().simple());
    app.service_account_token(&admin, &name, role).await.1
}

/// `POST /api/v1/data/imports` with `bytes` as the file: status and body.
pub async fn upload(
    app: &TestApp,
    token: &str,
    (name, bytes): (&str, Vec<u8>),
    mode: Option<&str>,
) -> (u16, Value) {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned());
    let form = reqwest::multipart::Form::new().part("file", part);
    let query = mode.map(|m| format!("?mode={m}")).unwrap_or_default();
    // A large file takes minutes in a debug build on a busy machine.
    let http = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(900))
        .build()
        .expect("client");
    let response = http
        .post(app.url(&format!("/api/v1/data/imports{query}")))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("upload");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// [`upload`], and for a `202` (a large file loading in the background)
/// the import once it has finished.
pub async fn upload_and_wait(
    app: &TestApp,
    token: &str,
    file: (&str, Vec<u8>),
    mode: Option<&str>,
) -> (u16, Value) {
    let (status, body) = upload(app, token, file, mode).await;
    if status != 202 {
        return (status, body);
    }
    let path = format!("/api/v1/data/imports/{}", body["id"]);
    loop {
        let (_, now) = get_json(app, token, &path).await;
        if now["status"] != "running" {
            return (status, now);
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

/// `GET path` with a bearer token: status and JSON body.
pub async fn get_json(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    let response = app
        .http
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .expect("get");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Orders in the warehouse.
pub async fn order_count(db: &Db) -> i64 {
    scalar(db, "SELECT COUNT(*) FROM orders").await
}

/// One CSV row (fields quoted when they need it).
pub fn csv_row(fields: &[&str]) -> String {
    let mut line = String::new();
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        if field.contains([',', '"', '\n', '\r']) {
            let _ = write!(line, "\"{}\"", field.replace('"', "\"\""));
        } else {
            line.push_str(field);
        }
    }
    line.push('\n');
    line
}

/// A small clean file: `rows` completed orders with ids from `first_id`
/// (every fifth without an id), on days before 2026-11-20.
pub fn small_file(first_id: i64, rows: usize, regions: &[&str]) -> String {
    let mut text = format!("{HEADER}\n");
    for i in 0..rows {
        let id = if i % 5 == 4 {
            String::new()
        } else {
            (first_id + i as i64).to_string()
        };
        let day = 10 + (i % 18);
        let at = format!("2026-11-{day:02} 1{}:00:00", i % 10);
        let region = regions[i % regions.len()];
        let category = ["Books & Media", "Café 'Crème'"][i % 2];
        let price = format!("{}.{:02}", 10 + i % 7, (i * 37) % 100);
        text += &csv_row(&[
            &id,
            &at,
            &(1 + i % 9).to_string(),
            region,
            category,
            "Widget, large",
            &(1 + i % 3).to_string(),
            &price,
            "4.25",
            if i % 3 == 0 { "1.50" } else { "" },
            "completed",
        ]);
    }
    text
}
