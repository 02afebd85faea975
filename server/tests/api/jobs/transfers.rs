//! Exports: the file's rows against SQL, gzip, the download's headers and
//! who may fetch it, expiry (410), and progress as Server-Sent Events.

use std::{io::Read, time::Duration};

use app::api::{ExportRequest, ExportResult, JobStatus};
use rstest_reuse::apply;

use super::{jobs_app, signed_in, wait_finished};
use crate::{
    analytics::scalar,
    helpers::{each_backend, Backend},
};

fn export(format: &str) -> ExportRequest {
    ExportRequest {
        from: Some("2026-01-01".into()),
        to: Some("2026-06-30".into()),
        regions: vec!["Europe".into(), "North America".into()],
        categories: Vec::new(),
        fields: vec![
            "id".into(),
            "ordered_at".into(),
            "region".into(),
            "total".into(),
            "status".into(),
        ],
        format: Some(format.into()),
    }
}

#[apply(each_backend)]
#[tokio::test]
async fn an_export_downloads_once_ready_and_expires(backend: Backend) {
    let (app, analyst, token) = jobs_app(backend, &[("TESSERA_JOB_DOWNLOAD_TTL", "3s")]).await;
    let submitted = analyst
        .submit_export(&export("csv.gz"))
        .await
        .expect("submit");
    let job = wait_finished(&analyst, &submitted.job.id).await;
    assert_eq!(job.status, JobStatus::Succeeded, "{:?}", job.error);
    assert!(job.downloadable);
    let result: ExportResult =
        serde_json::from_value(job.result.clone().expect("result")).expect("export result");

    // The owner of the job is the analyst; the service token (another
    // analyst) may not download it.
    let url = app.url(&format!("/api/v1/jobs/{}/download", job.id));
    let other = app
        .http
        .get(&url)
        .bearer_auth(&token)
        .send()
        .await
        .expect("send");
    assert_eq!(other.status(), 404);
    let admin = signed_in(&app, "admin@tessera.local").await;
    let cookie = app
        .login_cookies("admin@tessera.local", crate::analytics::PASSWORD)
        .await;
    drop(admin);
    let response = app
        .http
        .get(&url)
        .header("cookie", &cookie)
        .send()
        .await
        .expect("download");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/gzip");
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .expect("present")
        .to_owned();
    assert_eq!(
        disposition,
        "attachment; filename=\"tessera-orders-2026-01-01-to-2026-06-30.csv.gz\""
    );
    let bytes = response.bytes().await.expect("body");
    assert_eq!(bytes.len() as u64, result.bytes);
    let mut text = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut text)
        .expect("gzip");
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("id,ordered_at,region,total,status"));
    let rows: Vec<&str> = lines.collect();
    let db = app.db().connect().await;
    let expected = scalar(
        &db,
        "SELECT COUNT(*) FROM orders WHERE ordered_at >= 1767225600 AND ordered_at < 1782864000 \
         AND region IN ('Europe', 'North America')",
    )
    .await;
    assert_eq!(rows.len() as i64, expected);
    assert_eq!(result.rows as i64, expected);
    assert!(rows
        .iter()
        .all(|r| r.split(',').count() == 5
            && (r.contains(",Europe,") || r.contains(",North America,"))));
    let total_cents = scalar(
        &db,
        "SELECT CAST(COALESCE(SUM(total), 0) AS BIGINT) FROM orders WHERE ordered_at >= 1767225600 \
         AND ordered_at < 1782864000 AND region IN ('Europe', 'North America')",
    )
    .await;
    let exported: i64 = rows
        .iter()
        .map(|r| {
            let total = r.split(',').nth(3).expect("present");
            let (units, cents) = total.split_once('.').expect("present");
            units.parse::<i64>().expect("present") * 100 + cents.parse::<i64>().expect("present")
        })
        .sum();
    assert_eq!(exported, total_cents, "money is exact");

    let audit = app::api::AuditQuery {
        action: Some("job.download".into()),
        ..Default::default()
    };
    let admin = signed_in(&app, "admin@tessera.local").await;
    let rows = admin.audit_log(&audit).await.expect("audit").entries;
    assert!(
        rows.iter().any(|r| r.status == Some(200)),
        "the download is audited"
    );
    assert!(
        rows.iter().any(|r| r.status == Some(404)),
        "the refused one too"
    );

    tokio::time::sleep(Duration::from_millis(3_200)).await;
    let expired = app
        .http
        .get(&url)
        .header("cookie", &cookie)
        .send()
        .await
        .expect("send");
    assert_eq!(expired.status(), 410);
    let body: serde_json::Value = expired.json().await.expect("json");
    assert_eq!(body["error"]["code"], "gone");
    assert!(!analyst.job(&job.id).await.expect("job").downloadable);
    db.close().await;
}

#[apply(each_backend)]
#[tokio::test]
async fn progress_arrives_as_server_sent_events(backend: Backend) {
    let (app, analyst, token) = jobs_app(backend, &[("TESSERA_JOB_STEP_PAUSE", "300ms")]).await;
    // The service account's own export, followed with its token.
    let response = app
        .http
        .post(app.url("/api/v1/jobs/export"))
        .bearer_auth(&token)
        .json(&ExportRequest {
            from: Some("2023-11-21".into()),
            to: Some("2026-11-20".into()),
            format: Some("csv".into()),
            ..Default::default()
        })
        .send()
        .await
        .expect("submit");
    assert_eq!(response.status(), 202);
    let submitted: app::api::SubmittedJob = response.json().await.expect("json");
    let events = app
        .http
        .get(app.url(&format!("/api/v1/jobs/{}/events", submitted.job.id)))
        .bearer_auth(&token)
        .send()
        .await
        .expect("events");
    assert_eq!(events.status(), 200);
    assert!(events.headers()["content-type"]
        .to_str()
        .expect("present")
        .starts_with("text/event-stream"));
    // The stream ends by itself after `done`.
    let text = events.text().await.expect("stream");
    let names: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("event: "))
        .collect();
    assert_eq!(names.first(), Some(&"status"), "{text}");
    assert_eq!(names.last(), Some(&"done"), "{text}");
    assert!(names.contains(&"progress"), "{names:?}");
    let last = text
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .next_back()
        .expect("data");
    let job: app::api::JobView = serde_json::from_str(last).expect("a job");
    assert_eq!(job.status, JobStatus::Succeeded);
    drop(analyst);
}

#[apply(each_backend)]
#[tokio::test]
async fn the_retention_sweep_removes_finished_jobs_and_their_files(backend: Backend) {
    let (app, analyst, _) = jobs_app(backend, &[]).await;
    let submitted = analyst.submit_export(&export("csv")).await.expect("submit");
    let done = wait_finished(&analyst, &submitted.job.id).await;
    assert_eq!(done.status, JobStatus::Succeeded, "{:?}", done.error);
    let file = std::path::Path::new(app.db().data_dir())
        .join("exports")
        .join(format!("{}.csv", done.id));
    assert!(file.is_file());
    let db = app.db().connect().await;
    let mut settings = server::config::JobSettings::from_lookup(&|_: &str| None).expect("defaults");
    let swept =
        server::jobs::retention::sweep(&db, &settings, std::path::Path::new(app.db().data_dir()))
            .await
            .expect("sweep");
    assert_eq!(swept.files, 0, "nothing is old enough yet");
    assert!(file.is_file());
    settings.retention = Duration::ZERO;
    let swept =
        server::jobs::retention::sweep(&db, &settings, std::path::Path::new(app.db().data_dir()))
            .await
            .expect("sweep");
    assert_eq!(swept.files, 1);
    assert!(!file.exists(), "the file went with its job");
    assert_eq!(
        analyst.job(&done.id).await.expect_err("gone").status(),
        Some(404)
    );
    db.close().await;
}
