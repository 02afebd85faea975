//! CSV imports through the API and the command line.

use app::api::Role;
use rstest_reuse::apply;
use serde_json::json;
use server::analytics::calendar;

use super::{bearer, get_json, import_app, order_count, small_file, upload};
use crate::{
    analytics::{
        correctness::{check_kpis, Case},
        customers::Tally,
        scalar, service_client,
    },
    audit::one_row,
    helpers::{each_backend, output_text, run_tessera, Backend},
};

pub const REGIONS: [&str; 3] = ["Zürich \"Nord\", Süd", "Île-de-France", "O'Higgins"];

#[apply(each_backend)]
#[tokio::test]
async fn a_good_file_loads_and_every_figure_follows(backend: Backend) {
    let (app, token) = import_app(backend, &[]).await;
    let db = app.db().connect().await;
    let file = small_file(1, 40, &REGIONS);
    let (status, body) = upload(&app, &token, ("orders (1).csv", file.into_bytes()), None).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["status"], "succeeded");
    assert_eq!(
        (body["rows"].as_i64(), body["inserted"].as_i64()),
        (Some(40), Some(40))
    );
    assert_eq!(body["file_name"], "orders (1).csv");
    assert_eq!(order_count(&db).await, 40);
    // Generated ids follow the file's own.
    assert_eq!(scalar(&db, "SELECT MAX(id) FROM orders").await, 40 + 40);
    // Money is exact cents: 1.50 discount on every third row.
    assert_eq!(
        scalar(&db, "SELECT CAST(SUM(discount) AS BIGINT) FROM orders").await,
        14 * 150
    );

    let (_, dims) = get_json(&app, &token, "/api/v1/data/dimensions").await;
    let regions: Vec<&str> = dims["regions"]
        .as_array()
        .expect("regions")
        .iter()
        .map(|v| v["value"].as_str().expect("value"))
        .collect();
    for region in REGIONS {
        assert!(regions.contains(&region), "{region} in {regions:?}");
    }
    assert_eq!(dims["categories"].as_array().map(Vec::len), Some(2));

    // Filtered figures equal SQL over the raw rows, for a value with a
    // quote, a comma and accents.
    let api = service_client(&app, Role::Viewer).await;
    let day = |d: &str| calendar::parse_day(d).expect("day");
    for regions in [
        vec![REGIONS[0].to_owned()],
        vec![REGIONS[2].to_owned(), REGIONS[1].to_owned()],
    ] {
        let case = Case {
            from: day("2026-11-01"),
            to: day("2026-11-30"),
            regions,
            categories: vec!["Café 'Crème'".into()],
        };
        check_kpis(
            &db,
            &api,
            &case,
            &format!("{backend:?}"),
            &mut Tally::default(),
        )
        .await;
    }
    let unknown = app
        .http
        .get(app.url("/api/v1/analytics/kpis?region=Atlantis"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("kpis");
    assert_eq!(unknown.status(), 400);
    let body: serde_json::Value = unknown.json().await.expect("json");
    assert!(body["error"]["fields"]["region"]
        .as_str()
        .unwrap_or("")
        .contains("Atlantis"));

    let row = one_row(&app, "data.import").await;
    assert_eq!(row.event.context["file_name"], "orders (1).csv");
    assert_eq!(row.event.context["rows"], 40);
    assert_eq!(row.event.context["outcome"], "succeeded");
    assert!(row.event.context["size_bytes"].as_i64().unwrap_or(0) > 1000);
    let leftovers = std::fs::read_dir(format!("{}/imports", app.db().data_dir()))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(leftovers, 0, "the upload is deleted");
    db.close().await;
}

/// Re-importing with upsert changes nothing; changed prices for orders
/// already rolled up are folded into the rollups.
#[apply(each_backend)]
#[tokio::test]
async fn upsert_is_idempotent_and_rewrites_rolled_up_orders(backend: Backend) {
    let (app, token) = import_app(backend, &[]).await;
    let db = app.db().connect().await;
    let file = small_file(1, 30, &REGIONS);
    assert_eq!(
        upload(&app, &token, ("a.csv", file.clone().into_bytes()), None)
            .await
            .0,
        201
    );
    let api = service_client(&app, Role::Viewer).await;
    let day = |d: &str| calendar::parse_day(d).expect("day");
    let case = Case {
        from: day("2026-11-01"),
        to: day("2026-11-30"),
        regions: Vec::new(),
        categories: Vec::new(),
    };
    let first = api.kpis(&case.filters()).await.expect("kpis").data;
    // The same file again, ids with it: rows without an id are new orders.
    let with_ids: String = file
        .lines()
        .enumerate()
        .filter(|(i, l)| *i == 0 || !l.starts_with(','))
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    for _ in 0..2 {
        let (status, body) = upload(
            &app,
            &token,
            ("a.csv", with_ids.clone().into_bytes()),
            Some("upsert"),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(
            (body["inserted"].as_i64(), body["updated"].as_i64()),
            (Some(0), Some(24)),
            "{body}"
        );
    }
    let again = api.kpis(&case.filters()).await.expect("kpis").data;
    assert_eq!(again.revenue.value, first.revenue.value);
    assert_eq!(again.orders.value, first.orders.value);
    // Doubled prices and a new region for the rows with ids.
    let changed = with_ids
        .replace("Île-de-France", "Bretagne")
        .replace(",4.25,", ",8.50,");
    let (status, body) = upload(
        &app,
        &token,
        ("b.csv", changed.into_bytes()),
        Some("upsert"),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    check_kpis(
        &db,
        &api,
        &case,
        &format!("{backend:?} after upsert"),
        &mut Tally::default(),
    )
    .await;
    let bretagne = Case {
        regions: vec!["Bretagne".into()],
        ..case
    };
    check_kpis(
        &db,
        &api,
        &bretagne,
        &format!("{backend:?} Bretagne"),
        &mut Tally::default(),
    )
    .await;
    let (_, dims) = get_json(&app, &token, "/api/v1/data/dimensions").await;
    assert!(dims["regions"]
        .as_array()
        .expect("regions")
        .iter()
        .any(|v| v["value"] == "Bretagne"));
    db.close().await;
}

#[apply(each_backend)]
#[tokio::test]
async fn imports_are_for_analysts_and_each_sees_their_own(backend: Backend) {
    let (app, token) = import_app(backend, &[]).await;
    let viewer = bearer(&app, Role::Viewer).await;
    let (status, _) = upload(
        &app,
        &viewer,
        ("a.csv", small_file(1, 3, &REGIONS).into_bytes()),
        None,
    )
    .await;
    assert_eq!(status, 403);
    let (status, body) = upload(
        &app,
        &token,
        ("a.csv", small_file(1, 3, &REGIONS).into_bytes()),
        None,
    )
    .await;
    assert_eq!(status, 201);
    let id = body["id"].as_i64().expect("id");
    let other = bearer(&app, Role::Analyst).await;
    assert_eq!(
        get_json(&app, &other, &format!("/api/v1/data/imports/{id}"))
            .await
            .0,
        404
    );
    assert_eq!(
        get_json(&app, &other, "/api/v1/data/imports").await.1["imports"],
        json!([])
    );
    let admin = bearer(&app, Role::Admin).await;
    assert_eq!(
        get_json(&app, &admin, &format!("/api/v1/data/imports/{id}"))
            .await
            .0,
        200
    );
    assert_eq!(
        get_json(&app, &token, "/api/v1/data/imports/not-a-number")
            .await
            .0,
        404
    );
}

/// `tessera import FILE` loads as the API does and leaves an audit row.
#[apply(each_backend)]
#[tokio::test]
async fn the_command_line_imports_too(backend: Backend) {
    let (app, _) = import_app(backend, &[]).await;
    let path = format!("{}/cli.csv", app.db().data_dir());
    std::fs::write(&path, small_file(1, 12, &REGIONS)).expect("write");
    let output = run_tessera(&app.db().url, app.db(), &["import", &path], "");
    assert!(output.status.success(), "{}", output_text(&output));
    assert!(
        output_text(&output).contains("12 orders added"),
        "{}",
        output_text(&output)
    );
    let output = run_tessera(&app.db().url, app.db(), &["import", &path], "");
    assert!(!output.status.success());
    assert!(
        output_text(&output).contains("already in the warehouse"),
        "{}",
        output_text(&output)
    );
    let db = app.db().connect().await;
    assert_eq!(order_count(&db).await, 12);
    db.close().await;
}

/// A file above `TESSERA_IMPORT_BACKGROUND_ABOVE` is answered 202 at once
/// and loads in the background; its end is an audit row of its own.
#[apply(each_backend)]
#[tokio::test]
async fn a_large_file_loads_in_the_background(backend: Backend) {
    let (app, token) = import_app(backend, &[("TESSERA_IMPORT_BACKGROUND_ABOVE", "1KB")]).await;
    let (status, body) = upload(
        &app,
        &token,
        ("big.csv", small_file(1, 60, &REGIONS).into_bytes()),
        None,
    )
    .await;
    assert_eq!(status, 202, "{body}");
    assert_eq!(body["status"], "running");
    let id = body["id"].as_i64().expect("id");
    let mut done = json!(null);
    for _ in 0..200 {
        done = get_json(&app, &token, &format!("/api/v1/data/imports/{id}"))
            .await
            .1;
        if done["status"] != "running" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(done["status"], "succeeded", "{done}");
    assert_eq!(done["inserted"], 60);
    let db = app.db().connect().await;
    assert_eq!(order_count(&db).await, 60);
    db.close().await;
    let finished = one_row(&app, "data.import.finished").await;
    assert_eq!(finished.event.context["outcome"], "succeeded");
    assert_eq!(one_row(&app, "data.import").await.event.status, Some(202));
}
