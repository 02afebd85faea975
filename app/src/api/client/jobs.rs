//! The typed client's job calls: submit forecasts and exports, list, read
//! and cancel jobs, and the dashboard's model accuracy. Progress streams
//! (`/jobs/{id}/events`) and downloads are plain browser requests: see
//! [`ApiClient::job_events_path`] and [`ApiClient::job_download_path`].

use api_types::{
    ExportRequest, Filters, ForecastRequest, JobList, JobView, ModelAccuracy, SubmittedJob,
};

use super::{call::Call, ApiClient, ClientError};

impl ApiClient {
    /// `POST /api/v1/jobs/forecast` (analyst and up).
    pub async fn submit_forecast(
        &self,
        request: &ForecastRequest,
    ) -> Result<SubmittedJob, ClientError> {
        self.execute(Call::post("/api/v1/jobs/forecast").json(request))
            .await
    }

    /// `POST /api/v1/jobs/export` (analyst and up).
    pub async fn submit_export(
        &self,
        request: &ExportRequest,
    ) -> Result<SubmittedJob, ClientError> {
        self.execute(Call::post("/api/v1/jobs/export").json(request))
            .await
    }

    /// `GET /api/v1/jobs`: the caller's jobs, or everyone's (`all`, admins).
    pub async fn jobs(&self, all: bool) -> Result<JobList, ClientError> {
        let pairs = [("all", all.to_string())];
        self.execute(Call::get("/api/v1/jobs").query(pairs)).await
    }

    /// `GET /api/v1/jobs/{id}`.
    pub async fn job(&self, id: &str) -> Result<JobView, ClientError> {
        self.get(&format!("/api/v1/jobs/{}", encode(id))).await
    }

    /// `POST /api/v1/jobs/{id}/cancel`.
    pub async fn cancel_job(&self, id: &str) -> Result<JobView, ClientError> {
        let path = format!("/api/v1/jobs/{}/cancel", encode(id));
        self.execute(Call::post(path)).await
    }

    /// `GET /api/v1/analytics/model-accuracy` for the dashboard's filters.
    pub async fn model_accuracy(&self, filters: &Filters) -> Result<ModelAccuracy, ClientError> {
        let call = Call::get("/api/v1/analytics/model-accuracy").query(filters.query_pairs());
        self.execute(call).await
    }

    /// The path of a job's Server-Sent Events, for `EventSource`.
    pub fn job_events_path(id: &str) -> String {
        format!("/api/v1/jobs/{}/events", encode(id))
    }

    /// The path of an export's file, for a download link.
    pub fn job_download_path(id: &str) -> String {
        format!("/api/v1/jobs/{}/download", encode(id))
    }
}

/// A job id as one path segment (ids are UUIDs; anything else is escaped).
fn encode(id: &str) -> String {
    id.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}
