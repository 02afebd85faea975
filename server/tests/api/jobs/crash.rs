//! Real `tessera` processes: one killed with SIGKILL mid-forecast and
//! mid-export, whose jobs finish correctly after a restart; and two
//! `tessera worker` processes on one PostgreSQL that never run a job twice.

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
    sync::Arc,
    time::Duration,
};

use app::api::{ApiClient, ExportRequest, ExportResult, JobStatus};
use rstest_reuse::apply;
use server::{
    analytics::Analytics,
    config::{AnalyticsSettings, JobSettings},
    jobs::worker::{JobContext, Progress},
};

use super::{forecast, jobs_app, wait_finished, wait_until};
use crate::{
    analytics::{scalar, PASSWORD},
    helpers::{each_backend, postgres_or_skip, Backend, TestDb},
};

/// A `tessera` child process, killed when dropped.
struct Tessera {
    child: Child,
    base: String,
}

impl Drop for Tessera {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn tessera(db: &TestDb, args: &[&str], settings: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tessera"));
    command
        .args(args)
        .env("TESSERA_DATABASE_URL", &db.url)
        .env("TESSERA_DATA_DIR", db.data_dir())
        .env("TESSERA_SITE_ROOT", db.data_dir())
        .env("TESSERA_BIND", "127.0.0.1:0")
        .env("TESSERA_MODE", "demo")
        .env("TESSERA_DEMO_PASSWORD", PASSWORD)
        .env("TESSERA_DEMO_ORDERS", "12000")
        .env("TESSERA_REFRESH_INTERVAL", "off")
        .env("TESSERA_LOG", "info")
        .env("TESSERA_LOG_FORMAT", "json")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    for (key, value) in settings {
        command.env(key, value);
    }
    command
}

/// Starts `tessera serve` and waits for its address; its log keeps being
/// read (and dropped) so the pipe never fills.
fn serve(db: &TestDb, settings: &[(&str, &str)]) -> Tessera {
    let mut child = tessera(db, &["serve"], settings)
        .spawn()
        .expect("spawn tessera");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let addr = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| {
            line.split("listening on http://")
                .nth(1)
                .map(|rest| rest[..rest.find('"').unwrap_or(rest.len())].to_owned())
        })
        .expect("listening line");
    std::thread::spawn(move || lines.for_each(drop));
    Tessera {
        child,
        base: format!("http://{addr}"),
    }
}

async fn analyst_of(process: &Tessera) -> ApiClient {
    let client = ApiClient::with_cookie_jar(process.base.clone());
    client
        .login("analyst@tessera.local", PASSWORD)
        .await
        .expect("login");
    client
}

fn kill_9(process: &mut Tessera) {
    let status = Command::new("kill")
        .args(["-KILL", &process.child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let _ = process.child.wait();
}

#[apply(each_backend)]
#[tokio::test]
async fn jobs_of_a_killed_process_finish_correctly_after_a_restart(backend: Backend) {
    let db = TestDb::create(backend).await;
    let settings = [
        ("TESSERA_JOB_WORKERS", "2"),
        ("TESSERA_JOB_LEASE", "2s"),
        ("TESSERA_JOB_STEP_PAUSE", "1500ms"),
    ];
    let mut first = serve(&db, &settings);
    let analyst = analyst_of(&first).await;
    let forecast_job = analyst
        .submit_forecast(&forecast("revenue", 21))
        .await
        .expect("forecast")
        .job;
    let export_job = analyst
        .submit_export(&ExportRequest {
            from: Some("2020-01-01".into()),
            to: Some("2030-12-31".into()),
            ..Default::default()
        })
        .await
        .expect("export")
        .job;
    for id in [&forecast_job.id, &export_job.id] {
        wait_until(&analyst, id, Duration::from_secs(60), |j| {
            j.status == JobStatus::Running && j.progress > 0
        })
        .await;
    }
    kill_9(&mut first);

    let second = serve(&db, &settings);
    let analyst = analyst_of(&second).await;
    let forecast_done = wait_finished(&analyst, &forecast_job.id).await;
    let export_done = wait_finished(&analyst, &export_job.id).await;
    for job in [&forecast_done, &export_done] {
        assert_eq!(job.status, JobStatus::Succeeded, "{:?}", job.error);
        assert_eq!(job.attempts, 2, "taken again after the lease expired");
    }

    // The export holds every order exactly once.
    let store = db.connect().await;
    let orders = scalar(&store, "SELECT COUNT(*) FROM orders").await;
    let result: ExportResult =
        serde_json::from_value(export_done.result.clone().expect("result")).expect("export");
    assert_eq!(result.rows as i64, orders);
    let path = std::path::Path::new(db.data_dir())
        .join("exports")
        .join(format!("{}.csv", export_done.id));
    let text = std::fs::read_to_string(&path).expect("export file");
    let ids: std::collections::BTreeSet<&str> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().expect("present"))
        .collect();
    assert_eq!(ids.len() as i64, orders, "no order missing or repeated");

    // The forecast equals one computed in this process, uninterrupted.
    let row = store
        .job(&forecast_done.id)
        .await
        .expect("read")
        .expect("row");
    let context = JobContext {
        db: store.clone(),
        settings: JobSettings::from_lookup(&|_: &str| None).expect("defaults"),
        analytics: Arc::new(Analytics::new(
            &AnalyticsSettings::from_lookup(&|_: &str| None).expect("defaults"),
        )),
        data_dir: db.data_dir().into(),
    };
    let fresh = server::jobs::forecast::run(&context, &row, &Progress::default())
        .await
        .expect("forecast");
    let mut expected = fresh.result;
    let mut stored = forecast_done.result.clone().expect("result");
    for value in [&mut expected, &mut stored] {
        value["fit_ms"] = serde_json::Value::Null;
    }
    assert_eq!(stored, expected);
    store.close().await;
    drop(second);
}

#[tokio::test]
async fn two_worker_processes_on_postgresql_never_run_a_job_twice() {
    let Some(backend) = postgres_or_skip() else {
        return;
    };
    let (app, analyst, _) = jobs_app(backend, &[("TESSERA_JOB_WORKERS", "0")]).await;
    let metrics = ["revenue", "orders", "profit", "aov", "active_customers"];
    let mut ids = Vec::new();
    for (i, horizon) in (7..19).enumerate() {
        let job = analyst
            .submit_forecast(&forecast(metrics[i % metrics.len()], horizon))
            .await
            .expect("submit");
        ids.push(job.job.id);
    }
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let mut command = tessera(app.db(), &["worker", "--workers", "2"], &[]);
            command.stdout(Stdio::null());
            Tessera {
                child: command.spawn().expect("spawn worker"),
                base: String::new(),
            }
        })
        .collect();
    for id in &ids {
        let job = wait_finished(&analyst, id).await;
        assert_eq!(job.status, JobStatus::Succeeded, "{:?}", job.error);
        assert_eq!(job.attempts, 1, "job {id} ran {} times", job.attempts);
    }
    drop(workers);
}
