//! Forecast jobs through the API: validation, a run with its result and
//! audit rows, de-duplication, the dashboard's model accuracy, limits,
//! cancel, and who may see what.

use std::time::Duration;

use app::api::{AuditQuery, Filters, ForecastRequest, ForecastResult, JobStatus, ModelAccuracy};
use rstest_reuse::apply;

use super::{admin_client, forecast, jobs_app, signed_in, wait_finished, wait_running};
use crate::helpers::{each_backend, Backend};

#[apply(each_backend)]
#[tokio::test]
async fn every_forecast_validation_error_is_named(backend: Backend) {
    let (app, analyst, _) = jobs_app(backend, &[("TESSERA_JOB_WORKERS", "0")]).await;
    let error = analyst
        .submit_forecast(&ForecastRequest::default())
        .await
        .expect_err("nothing given");
    assert_eq!(error.status(), Some(400));
    let app::api::ClientError::Api { body, .. } = error else {
        panic!("an API error")
    };
    let fields = body.fields.expect("fields");
    assert_eq!(
        fields["target_metric"],
        "target metric is required before running the forecast"
    );
    assert!(fields.contains_key("horizon_days") && fields.contains_key("confidence"));
    let mut bad = forecast("margin", 91);
    bad.confidence = Some(85);
    bad.regions = vec!["atlantis".into()];
    let app::api::ClientError::Api { body, .. } =
        analyst.submit_forecast(&bad).await.expect_err("bad values")
    else {
        panic!("an API error")
    };
    let fields = body.fields.expect("fields");
    for field in ["target_metric", "horizon_days", "confidence", "regions"] {
        assert!(fields.contains_key(field), "{field} not named: {fields:?}");
    }
    drop(app);
}

#[apply(each_backend)]
#[tokio::test]
async fn a_forecast_runs_is_deduplicated_and_feeds_model_accuracy(backend: Backend) {
    let (app, analyst, _) = jobs_app(backend, &[]).await;
    let empty: ModelAccuracy = analyst
        .model_accuracy(&Filters::default())
        .await
        .expect("accuracy");
    assert_eq!(empty.accuracy, None);

    let request = forecast("revenue", 28);
    let first = analyst.submit_forecast(&request).await.expect("submit");
    assert!(!first.deduplicated);
    let again = analyst.submit_forecast(&request).await.expect("resubmit");
    assert!(again.deduplicated, "an identical job is returned");
    assert_eq!(again.job.id, first.job.id);

    let done = wait_finished(&analyst, &first.job.id).await;
    assert_eq!(done.status, JobStatus::Succeeded, "{:?}", done.error);
    assert_eq!(done.progress, 100);
    let result: ForecastResult =
        serde_json::from_value(done.result.clone().expect("result")).expect("forecast result");
    assert_eq!(result.forecast.len(), 28);
    assert_eq!(result.backtest.points.len(), 28);
    assert!(result.history.len() > 365);
    assert!(
        result.model.name.starts_with("ETS("),
        "{}",
        result.model.name
    );
    for point in &result.forecast {
        let (lower, mean, upper) = (
            point.lower.expect("present"),
            point.forecast.expect("present"),
            point.upper.expect("present"),
        );
        assert!(lower <= mean && mean <= upper, "{point:?}");
    }
    let accuracy = result.backtest.accuracy.expect("revenue is never zero");
    assert!((0.0..=100.0).contains(&accuracy), "{accuracy}");

    // Finished, same data: the stored result answers.
    let stored = analyst.submit_forecast(&request).await.expect("after");
    assert!(stored.deduplicated);
    assert_eq!(stored.job.id, first.job.id);

    let accuracy = analyst
        .model_accuracy(&Filters::default())
        .await
        .expect("accuracy");
    assert_eq!(accuracy.accuracy, result.backtest.accuracy);
    assert_eq!(accuracy.job_id.as_deref(), Some(first.job.id.as_str()));
    // Another region's dashboard has no forecast yet.
    let europe = Filters {
        regions: vec!["Europe".into()],
        ..Filters::default()
    };
    assert_eq!(
        analyst.model_accuracy(&europe).await.expect("eu").accuracy,
        None
    );

    let admin = admin_client(&app).await;
    let rows = admin
        .audit_log(&AuditQuery {
            action: Some("job.submit".into()),
            ..AuditQuery::default()
        })
        .await
        .expect("audit");
    assert_eq!(rows.entries.len(), 3, "every submit is a row");
    assert!(rows
        .entries
        .iter()
        .any(|e| e.context["deduplicated"] == serde_json::json!(true)));
}

#[apply(each_backend)]
#[tokio::test]
async fn the_per_user_queue_limit_is_429_with_retry_after(backend: Backend) {
    let settings = [
        ("TESSERA_JOB_WORKERS", "0"),
        ("TESSERA_JOB_USER_QUEUED", "2"),
    ];
    let (app, analyst, token) = jobs_app(backend, &settings).await;
    for horizon in [7, 8] {
        analyst
            .submit_forecast(&forecast("orders", horizon))
            .await
            .expect("queued");
    }
    let response = app
        .http
        .post(app.url("/api/v1/jobs/forecast"))
        .bearer_auth(&token)
        .json(&forecast("orders", 9))
        .send()
        .await
        .expect("send");
    // The service account is another owner: its queue is empty.
    assert_eq!(response.status(), 202);
    let error = analyst
        .submit_forecast(&forecast("orders", 9))
        .await
        .expect_err("over the limit");
    assert_eq!(error.status(), Some(429));
    let raw = app
        .http
        .post(app.url("/api/v1/jobs/forecast"))
        .bearer_auth(&token)
        .json(&forecast("orders", 10))
        .send()
        .await
        .expect("send");
    assert_eq!(raw.status(), 202);
    let third = app
        .http
        .post(app.url("/api/v1/jobs/forecast"))
        .bearer_auth(&token)
        .json(&forecast("orders", 11))
        .send()
        .await
        .expect("send");
    assert_eq!(third.status(), 429);
    assert!(third.headers().contains_key("retry-after"));
    let body: serde_json::Value = third.json().await.expect("json");
    assert_eq!(body["error"]["code"], "queue_full");
}

#[apply(each_backend)]
#[tokio::test]
async fn cancel_stops_queued_jobs_at_once_and_running_ones_within_a_second(backend: Backend) {
    // Slow steps keep the export running long enough to cancel it.
    let settings = [
        ("TESSERA_JOB_STEP_PAUSE", "2s"),
        ("TESSERA_JOB_WORKERS", "1"),
    ];
    let (app, analyst, _) = jobs_app(backend, &settings).await;
    let export = app::api::ExportRequest {
        from: Some("2023-11-21".into()),
        to: Some("2026-11-20".into()),
        ..Default::default()
    };
    let running = analyst.submit_export(&export).await.expect("export");
    wait_running(&analyst, &running.job.id).await;
    // The single worker is busy: this one waits.
    let queued = analyst
        .submit_forecast(&forecast("revenue", 14))
        .await
        .expect("forecast");
    let cancelled = analyst
        .cancel_job(&queued.job.id)
        .await
        .expect("cancel queued");
    assert_eq!(cancelled.status, JobStatus::Cancelled);

    let asked = tokio::time::Instant::now();
    analyst
        .cancel_job(&running.job.id)
        .await
        .expect("cancel running");
    let stopped = wait_finished(&analyst, &running.job.id).await;
    assert_eq!(stopped.status, JobStatus::Cancelled);
    let took = asked.elapsed();
    assert!(took < Duration::from_millis(1500), "cancel took {took:?}");
    let again = analyst
        .cancel_job(&running.job.id)
        .await
        .expect_err("finished");
    assert_eq!(again.status(), Some(409));
    drop(app);
}

#[apply(each_backend)]
#[tokio::test]
async fn other_users_jobs_are_404_and_viewers_cannot_submit(backend: Backend) {
    let (app, analyst, token) = jobs_app(backend, &[("TESSERA_JOB_WORKERS", "0")]).await;
    let job = analyst
        .submit_forecast(&forecast("aov", 7))
        .await
        .expect("submit")
        .job;
    let viewer = signed_in(&app, "viewer@tessera.local").await;
    assert_eq!(
        viewer.job(&job.id).await.expect_err("hidden").status(),
        Some(404)
    );
    assert_eq!(
        viewer
            .cancel_job(&job.id)
            .await
            .expect_err("hidden")
            .status(),
        Some(404)
    );
    assert_eq!(
        viewer
            .submit_forecast(&forecast("aov", 7))
            .await
            .expect_err("viewer")
            .status(),
        Some(403)
    );
    assert!(viewer.jobs(false).await.expect("own list").jobs.is_empty());
    assert_eq!(
        viewer.jobs(true).await.expect_err("all").status(),
        Some(403)
    );
    for path in ["events", "download"] {
        let response = app
            .http
            .get(app.url(&format!("/api/v1/jobs/{}/{path}", job.id)))
            .bearer_auth(&token)
            .send()
            .await
            .expect("send");
        assert_eq!(response.status(), 404, "{path}");
    }
    let admin = admin_client(&app).await;
    assert_eq!(admin.job(&job.id).await.expect("admins see all").id, job.id);
    assert!(admin
        .jobs(true)
        .await
        .expect("all")
        .jobs
        .iter()
        .any(|j| j.id == job.id));
    assert_eq!(
        analyst
            .job("not-a-uuid")
            .await
            .expect_err("bad id")
            .status(),
        Some(404)
    );
}
