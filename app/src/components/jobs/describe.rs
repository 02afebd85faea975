//! A job in words: what it does (from its parameters), how long it took,
//! and the request that runs it again.

use crate::{
    api::{
        ApiClient, ClientError, ExportParams, ExportRequest, ForecastParams, ForecastRequest,
        JobKind, JobView, SubmittedJob,
    },
    components::{
        audit::when::unix_millis,
        format::{duration, long_date, short_date},
    },
};

/// A job's parameters, read from its [`JobView::params`].
#[derive(Debug, Clone, PartialEq)]
pub enum Params {
    /// A forecast's.
    Forecast(ForecastParams),
    /// An export's.
    Export(ExportParams),
}

impl Params {
    /// The parameters of `job`; `None` if they are not what its kind says.
    pub fn of(job: &JobView) -> Option<Self> {
        let params = job.params.clone();
        match job.kind {
            JobKind::Forecast => serde_json::from_value(params).ok().map(Params::Forecast),
            JobKind::Export => serde_json::from_value(params).ok().map(Params::Export),
        }
    }

    /// One line naming what the job does, e.g. "Revenue · 30 days · 90% interval".
    pub fn title(&self) -> String {
        match self {
            Params::Forecast(p) => format!(
                "{} · {} days · {}% interval",
                p.target_metric.label(),
                p.horizon_days,
                p.confidence
            ),
            Params::Export(p) => format!(
                "Orders {} – {} · {}",
                short_date(&p.from),
                long_date(&p.to),
                p.format.label()
            ),
        }
    }

    /// Which data it covers, e.g. "Europe, North America · all categories".
    pub fn scope(&self) -> String {
        let (regions, categories) = match self {
            Params::Forecast(p) => (&p.regions, &p.categories),
            Params::Export(p) => (&p.regions, &p.categories),
        };
        let mut parts = vec![regions_text(regions), categories_text(categories)];
        match self {
            Params::Forecast(p) if !p.include_weekends => parts.push("weekdays only".to_owned()),
            Params::Export(p) => parts.push(columns_text(p.fields.len())),
            Params::Forecast(_) => {}
        }
        parts.join(" · ")
    }

    /// The request that submits the same job again.
    pub fn resubmit(&self) -> Resubmit {
        match self {
            Params::Forecast(p) => Resubmit::Forecast(forecast_request(p)),
            Params::Export(p) => Resubmit::Export(ExportRequest {
                from: Some(p.from.clone()),
                to: Some(p.to.clone()),
                regions: p.regions.clone(),
                categories: p.categories.clone(),
                fields: p.fields.iter().map(|f| f.code().to_owned()).collect(),
                format: Some(p.format.code().to_owned()),
            }),
        }
    }
}

/// A forecast's parameters as the request that asks for them.
pub fn forecast_request(p: &ForecastParams) -> ForecastRequest {
    ForecastRequest {
        target_metric: Some(p.target_metric.code().to_owned()),
        horizon_days: Some(i64::from(p.horizon_days)),
        confidence: Some(i64::from(p.confidence)),
        include_weekends: Some(p.include_weekends),
        regions: p.regions.clone(),
        categories: p.categories.clone(),
    }
}

/// A request that runs a job again.
#[derive(Debug, Clone, PartialEq)]
pub enum Resubmit {
    /// `POST /api/v1/jobs/forecast`.
    Forecast(ForecastRequest),
    /// `POST /api/v1/jobs/export`.
    Export(ExportRequest),
}

impl Resubmit {
    /// Sends it.
    pub async fn send(self, client: ApiClient) -> Result<SubmittedJob, ClientError> {
        match self {
            Resubmit::Forecast(request) => client.submit_forecast(&request).await,
            Resubmit::Export(request) => client.submit_export(&request).await,
        }
    }
}

/// Runs `job` again with the same parameters.
pub async fn run_again(client: ApiClient, job: JobView) -> Result<SubmittedJob, ClientError> {
    let params = Params::of(&job)
        .ok_or_else(|| ClientError::Decode("the job's parameters could not be read".into()))?;
    params.resubmit().send(client).await
}

/// "All regions", one region's name, or several joined.
pub fn regions_text(regions: &[String]) -> String {
    names(regions, "All regions")
}

/// "All categories", one category's name, or several joined.
pub fn categories_text(categories: &[String]) -> String {
    names(categories, "All categories")
}

/// The values as the data holds them; a value with a comma is quoted, so
/// the list stays readable.
fn names(items: &[String], all: &str) -> String {
    if items.is_empty() {
        return all.to_owned();
    }
    items
        .iter()
        .map(|i| {
            if i.contains(',') {
                format!("“{i}”")
            } else {
                i.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn columns_text(count: usize) -> String {
    if count == 1 {
        "1 column".to_owned()
    } else {
        format!("{count} columns")
    }
}

/// How long the job ran (or has been running, seen from `now`, Unix ms);
/// `None` before it started.
pub fn run_time(job: &JobView, now: i64) -> Option<String> {
    let started = unix_millis(job.started_at.as_deref()?)?;
    let ended = match job.finished_at.as_deref() {
        Some(finished) => unix_millis(finished)?,
        None if job.status.is_finished() => return None,
        None => now,
    };
    Some(duration(ended - started))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{ExportFormat, ForecastMetric, JobStatus, OrderField};

    fn job(kind: JobKind, params: serde_json::Value) -> JobView {
        JobView {
            id: "j1".into(),
            kind,
            params,
            owner: "ana@example.com".into(),
            status: JobStatus::Running,
            progress: 40,
            message: String::new(),
            attempts: 1,
            dataset_version: 1,
            created_at: "2026-03-09T10:00:00Z".into(),
            started_at: Some("2026-03-09T10:00:02Z".into()),
            finished_at: None,
            error: None,
            result: None,
            downloadable: false,
            download_expires_at: None,
        }
    }

    #[test]
    fn forecasts_are_described_and_resubmitted_as_they_ran() {
        let params = ForecastParams {
            target_metric: ForecastMetric::Revenue,
            horizon_days: 30,
            confidence: 90,
            include_weekends: false,
            regions: vec!["Europe".to_owned()],
            categories: Vec::new(),
        };
        let view = job(
            JobKind::Forecast,
            serde_json::to_value(&params).expect("json"),
        );
        let read = Params::of(&view).expect("forecast params");
        assert_eq!(read.title(), "Revenue · 30 days · 90% interval");
        assert_eq!(read.scope(), "Europe · All categories · weekdays only");
        let Resubmit::Forecast(request) = read.resubmit() else {
            panic!("a forecast is resubmitted as a forecast");
        };
        assert_eq!(request.target_metric.as_deref(), Some("revenue"));
        assert_eq!(
            (request.horizon_days, request.confidence),
            (Some(30), Some(90))
        );
        assert_eq!(request.regions, vec!["Europe".to_owned()]);
        assert_eq!(request.include_weekends, Some(false));
    }

    #[test]
    fn exports_name_their_period_and_format() {
        let params = ExportParams {
            from: "2026-01-01".into(),
            to: "2026-01-31".into(),
            regions: Vec::new(),
            categories: vec!["Toys, games".to_owned(), "Books".to_owned()],
            fields: vec![OrderField::Id, OrderField::Total],
            format: ExportFormat::CsvGz,
        };
        let view = job(
            JobKind::Export,
            serde_json::to_value(&params).expect("json"),
        );
        let read = Params::of(&view).expect("export params");
        assert_eq!(read.title(), "Orders 1 Jan – 31 Jan 2026 · CSV (gzip)");
        assert_eq!(
            read.scope(),
            "All regions · “Toys, games”, Books · 2 columns"
        );
        let Resubmit::Export(request) = read.resubmit() else {
            panic!("an export is resubmitted as an export");
        };
        assert_eq!(request.format.as_deref(), Some("csv.gz"));
        assert_eq!(request.fields, vec!["id".to_owned(), "total".to_owned()]);
        assert!(Params::of(&job(JobKind::Export, serde_json::json!({}))).is_none());
    }

    #[test]
    fn run_times_tick_until_the_job_ends() {
        let mut view = job(JobKind::Export, serde_json::json!({}));
        let started = unix_millis("2026-03-09T10:00:02Z").expect("time");
        assert_eq!(run_time(&view, started + 12_340).as_deref(), Some("12.3 s"));
        view.finished_at = Some("2026-03-09T10:00:03.5Z".into());
        assert_eq!(run_time(&view, 0).as_deref(), Some("1.5 s"));
        view.started_at = None;
        assert_eq!(run_time(&view, 0), None);
    }
}
