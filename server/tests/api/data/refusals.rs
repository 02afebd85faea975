//! Files an import refuses: each bad input gets its status and an answer
//! that says what is wrong, and loads nothing.

use rstest_reuse::apply;

use super::{csv_row, get_json, import_app, order_count, small_file, upload, HEADER};
use crate::helpers::{each_backend, Backend};

const REGIONS: [&str; 3] = super::imports::REGIONS;

/// Every bad input gets its status and an answer that says what is wrong,
/// and loads nothing.
#[apply(each_backend)]
#[tokio::test]
async fn bad_files_get_their_status_and_load_nothing(backend: Backend) {
    let (app, token) = import_app(backend, &[("TESSERA_IMPORT_MAX_BYTES", "64KB")]).await;
    let db = app.db().connect().await;
    let (status, _) = upload(
        &app,
        &token,
        ("base.csv", small_file(1, 10, &REGIONS).into_bytes()),
        None,
    )
    .await;
    assert_eq!(status, 201);
    let before = order_count(&db).await;

    // A Europe/Toys kite order: id, time, quantity, unit price, status.
    let kite = |id: &str, at: &str, quantity: &str, price: &str, status: &str| {
        csv_row(&[
            id, at, "1", "Europe", "Toys", "Kite", quantity, price, "1", "", status,
        ])
    };
    let bad_rows = format!(
        "{HEADER}\n{}{}",
        kite("100", "2026-11-02", "-3", "2.00", "completed"),
        kite("101", "02/11/2026", "1", "2.001", "shipped")
    );
    let mut many = format!("{HEADER}\n");
    for i in 0..150 {
        many += &kite(&(200 + i).to_string(), "never", "1", "1", "completed");
    }
    let repeated = format!(
        "{HEADER}\n{}{}",
        kite("300", "2026-11-02", "1", "1", "completed"),
        kite("300", "2026-11-03", "1", "1", "completed")
    );
    let big = small_file(1000, 2000, &REGIONS);
    assert!(big.len() > 64 << 10);
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        ("big.csv", big.into_bytes(), 413, "payload_too_large"),
        (
            "a.zip",
            b"PK\x03\x04\x14\x00rest of a zip".to_vec(),
            415,
            "unsupported_media_type",
        ),
        (
            "a.pdf",
            b"%PDF-1.7\n...".to_vec(),
            415,
            "unsupported_media_type",
        ),
        (
            "a.png",
            b"\x89PNG\r\n\x1a\n....".to_vec(),
            415,
            "unsupported_media_type",
        ),
        (
            "a.csv",
            b"\x7fELF\x02\x01\x01".to_vec(),
            415,
            "unsupported_media_type",
        ),
        (
            "latin1.csv",
            format!("{HEADER}\n1,2026-11-02,1,R")
                .into_bytes()
                .into_iter()
                .chain(*b"\xe9gion,Toys,Kite,1,1,1,,completed\n")
                .collect(),
            415,
            "unsupported_media_type",
        ),
        (
            "cols.csv",
            b"id,ordered_at,region\n1,2026-11-02,Europe\n".to_vec(),
            400,
            "bad_request",
        ),
        ("rows.csv", bad_rows.into_bytes(), 422, "invalid_rows"),
        ("many.csv", many.into_bytes(), 422, "invalid_rows"),
        ("repeat.csv", repeated.into_bytes(), 422, "invalid_rows"),
        (
            "again.csv",
            small_file(1, 10, &REGIONS).into_bytes(),
            409,
            "conflict",
        ),
        ("empty.csv", Vec::new(), 400, "bad_request"),
    ];
    for (name, bytes, want, code) in cases {
        let (status, body) = upload(&app, &token, (name, bytes), None).await;
        assert_eq!(status, want, "{backend:?} {name}: {body}");
        assert_eq!(body["error"]["code"], code, "{name}: {body}");
        assert_eq!(order_count(&db).await, before, "{name} loaded nothing");
        match name {
            "cols.csv" => assert!(
                body["error"]["message"]
                    .as_str()
                    .unwrap_or("")
                    .contains("customer_id"),
                "{body}"
            ),
            "rows.csv" => {
                let problems = body["error"]["problems"].as_array().expect("problems");
                let found: Vec<_> = problems
                    .iter()
                    .map(|p| (p["line"].as_i64(), p["column"].as_str()))
                    .collect();
                assert_eq!(
                    found,
                    [
                        (Some(2), Some("quantity")),
                        (Some(3), Some("ordered_at")),
                        (Some(3), Some("unit_price")),
                        (Some(3), Some("status")),
                    ],
                    "{body}"
                );
                assert_eq!(problems[0]["value"], "-3");
            }
            "many.csv" => {
                assert_eq!(
                    body["error"]["problems"].as_array().map(Vec::len),
                    Some(100)
                );
                assert_eq!(body["error"]["more_problems"], 50);
            }
            "repeat.csv" => assert_eq!(body["error"]["problems"][0]["line"], 3, "{body}"),
            "again.csv" => {
                assert_eq!(
                    body["error"]["problems"].as_array().map(Vec::len),
                    Some(8),
                    "{body}"
                );
                assert!(body["error"]["message"]
                    .as_str()
                    .unwrap_or("")
                    .contains("upsert"));
            }
            _ => {}
        }
    }
    // Not multipart at all.
    let response = app
        .http
        .post(app.url("/api/v1/data/imports"))
        .bearer_auth(&token)
        .header("content-type", "text/csv")
        .body(small_file(500, 3, &REGIONS))
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 415);
    let (_, list) = get_json(&app, &token, "/api/v1/data/imports").await;
    let statuses: Vec<_> = list["imports"]
        .as_array()
        .expect("list")
        .iter()
        .map(|i| i["status"].as_str().unwrap_or("").to_owned())
        .collect();
    assert!(
        statuses.iter().filter(|s| *s == "rejected").count() >= 5,
        "{statuses:?}"
    );
    let leftovers = std::fs::read_dir(format!("{}/imports", app.db().data_dir()))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(leftovers, 0, "no upload is kept");
    db.close().await;
}
