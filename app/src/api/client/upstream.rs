//! The typed client's upstream call: the summary of the upstream metrics
//! service, which the dashboard shows as the "From …" cards.

use api_types::{UpstreamSummary, UPSTREAM_NOT_CONFIGURED};

use super::{call::Call, ApiClient, ClientError};

impl ApiClient {
    /// `GET /api/v1/upstream/summary` (viewer and up) for `horizon_days`
    /// (1–365; the server's default, 30, when `None`). Fails with a 404
    /// whose code is `not_configured` when the server has no upstream (see
    /// [`ClientError::is_not_configured`]).
    pub async fn upstream_summary(
        &self,
        horizon_days: Option<u32>,
    ) -> Result<UpstreamSummary, ClientError> {
        let pairs = horizon_days.map(|d| ("horizonDays", d.to_string()));
        self.execute(Call::get("/api/v1/upstream/summary").query(pairs))
            .await
    }
}

impl ClientError {
    /// Whether the server said the feature asked for is not set up there
    /// (404 `not_configured`), e.g. no upstream metrics service.
    pub fn is_not_configured(&self) -> bool {
        matches!(self, ClientError::Api { status: 404, body } if body.code == UPSTREAM_NOT_CONFIGURED)
    }
}
