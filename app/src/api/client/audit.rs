//! The typed client's audit log calls (admin only).

use api_types::{AuditPage, AuditQuery};

use super::{call::Call, ApiClient, ClientError};

impl ApiClient {
    /// `GET /api/v1/admin/audit`: one page, newest first.
    pub async fn audit_log(&self, query: &AuditQuery) -> Result<AuditPage, ClientError> {
        let call = Call::get("/api/v1/admin/audit").query(query.query_pairs());
        self.execute(call).await
    }

    /// `GET /api/v1/admin/audit/export`: the filtered rows as CSV text,
    /// with a header line.
    pub async fn audit_export_csv(&self, query: &AuditQuery) -> Result<String, ClientError> {
        let call = Call::get("/api/v1/admin/audit/export").query(query.filter_pairs());
        self.execute_text(call).await
    }
}
