//! The audit log as the API shows it: `GET /api/v1/admin/audit` (one page,
//! newest first) and `GET /api/v1/admin/audit/export` (CSV), admin only.

use serde::{Deserialize, Serialize};

use crate::Role;

/// How a recorded action ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuditOutcome {
    /// Done.
    Ok,
    /// Refused: not signed in, not allowed, bad credentials, rate limited.
    Denied,
    /// Failed: invalid input or a server error.
    Error,
}

impl AuditOutcome {
    /// Every outcome.
    pub const ALL: [AuditOutcome; 3] =
        [AuditOutcome::Ok, AuditOutcome::Denied, AuditOutcome::Error];

    /// The lower-case name, as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditOutcome::Ok => "ok",
            AuditOutcome::Denied => "denied",
            AuditOutcome::Error => "error",
        }
    }

    /// Parses `ok`, `denied` or `error`.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == raw)
    }
}

/// Every action Tessera records, with a label for people. The list is the
/// vocabulary of the `action` filter; an action missing here (from a newer
/// server) still shows, labelled by [`action_label`].
pub const AUDIT_ACTIONS: [(&str, &str); 39] = [
    ("auth.login", "Sign-in"),
    ("auth.logout", "Sign-out"),
    ("auth.refresh", "Session renewed"),
    ("auth.token", "Service token issued"),
    ("auth.me", "Checked identity"),
    ("request.denied", "Request refused"),
    ("request.rejected", "Request rejected"),
    ("request.failed", "Request failed"),
    ("request.unnoted", "Unlabelled request"),
    ("analytics.kpis", "Viewed KPIs"),
    ("analytics.timeseries", "Viewed time series"),
    ("analytics.breakdown", "Viewed breakdown"),
    ("analytics.customers", "Viewed customer cohorts"),
    ("orders.list", "Viewed orders"),
    ("data.status", "Viewed data status"),
    ("data.refresh", "Data refreshed"),
    ("data.refresh.finished", "Refresh finished"),
    ("cache.stats", "Viewed cache statistics"),
    ("cache.cleared", "Cache cleared"),
    ("user.list", "Viewed users"),
    ("user.created", "User created"),
    ("user.changed", "User changed"),
    ("user.role_changed", "Role changed"),
    ("user.disabled", "User disabled"),
    ("user.enabled", "User enabled"),
    ("service_account.list", "Viewed service accounts"),
    ("service_account.created", "Service account created"),
    ("service_account.revoked", "Service account revoked"),
    ("audit.list", "Viewed audit log"),
    ("audit.exported", "Audit log exported"),
    ("audit.purged", "Audit log purged"),
    ("audit.unwritable", "Unwritable audit row"),
    ("job.submit", "Job submitted"),
    ("job.cancel", "Job cancelled"),
    ("job.download", "Export downloaded"),
    ("jobs.list", "Viewed jobs"),
    ("jobs.view", "Viewed a job"),
    ("jobs.events", "Followed a job"),
    ("analytics.model_accuracy", "Viewed model accuracy"),
];

/// The label of an action: from [`AUDIT_ACTIONS`], or made from the code
/// (`report.shared` → `Report shared`).
pub fn action_label(action: &str) -> String {
    if let Some((_, label)) = AUDIT_ACTIONS.iter().find(|(code, _)| *code == action) {
        return (*label).to_owned();
    }
    let words = action.replace(['.', '_'], " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// One row of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Position in the hash chain (ascending with time).
    pub id: i64,
    /// When it happened (RFC 3339, UTC).
    pub occurred_at: String,
    /// SHA-256 (hex) of the browser session id, if any.
    pub session: Option<String>,
    /// User email or service account name (the name attempted, for failed sign-ins).
    pub principal: Option<String>,
    /// The principal's role, when known.
    pub role: Option<Role>,
    /// What was done, e.g. `auth.login`, `analytics.kpis`, `user.created`.
    pub action: String,
    /// The filters and parameters in force.
    pub context: serde_json::Value,
    /// How it ended.
    pub outcome: AuditOutcome,
    /// HTTP status of the answer.
    pub status: Option<u16>,
    /// The client's address.
    pub client_ip: Option<String>,
    /// The client's user agent.
    pub user_agent: Option<String>,
    /// The request id (`X-Request-Id`).
    pub request_id: Option<String>,
    /// This row's hash in the chain.
    pub hash: String,
}

/// One page of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    /// Newest first.
    pub entries: Vec<AuditEntry>,
    /// Pass as `cursor` for the next (older) page; `None` on the last page.
    pub next_cursor: Option<String>,
}

/// Filters and paging for the audit log; every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    /// Exactly this principal.
    pub principal: Option<String>,
    /// Exactly this session hash.
    pub session: Option<String>,
    /// Exactly this action.
    pub action: Option<String>,
    /// Exactly this outcome.
    pub outcome: Option<AuditOutcome>,
    /// At or after: RFC 3339 time or `YYYY-MM-DD` (start of that day, UTC).
    pub from: Option<String>,
    /// Up to: RFC 3339 time (exclusive) or `YYYY-MM-DD` (that whole day).
    pub to: Option<String>,
    /// Only rows newer than this event id (to fetch what arrived since a page
    /// was loaded).
    pub after: Option<i64>,
    /// The previous page's `next_cursor` (ignored by the export).
    pub cursor: Option<String>,
    /// Page size, 1 to 500 (default 100; ignored by the export).
    pub limit: Option<u32>,
}

impl AuditQuery {
    /// The filter parameters, as sent in the query string.
    pub fn filter_pairs(&self) -> Vec<(&'static str, String)> {
        [
            ("principal", self.principal.clone()),
            ("session", self.session.clone()),
            ("action", self.action.clone()),
            ("outcome", self.outcome.map(|o| o.as_str().to_owned())),
            ("from", self.from.clone()),
            ("to", self.to.clone()),
            ("after", self.after.map(|id| id.to_string())),
        ]
        .into_iter()
        .filter_map(|(key, value)| value.map(|v| (key, v)))
        .collect()
    }

    /// Filters plus paging, as sent in the query string.
    pub fn query_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = self.filter_pairs();
        if let Some(cursor) = &self.cursor {
            pairs.push(("cursor", cursor.clone()));
        }
        if let Some(limit) = self.limit {
            pairs.push(("limit", limit.to_string()));
        }
        pairs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_round_trip() {
        for outcome in AuditOutcome::ALL {
            assert_eq!(AuditOutcome::parse(outcome.as_str()), Some(outcome));
        }
        assert_eq!(AuditOutcome::parse("fine"), None);
    }

    #[test]
    fn actions_have_labels() {
        assert_eq!(action_label("auth.login"), "Sign-in");
        assert_eq!(action_label("report.shared_link"), "Report shared link");
        assert_eq!(action_label(""), "");
        let mut codes: Vec<_> = AUDIT_ACTIONS.iter().map(|(code, _)| code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), AUDIT_ACTIONS.len(), "no action twice");
    }

    #[test]
    fn only_given_fields_are_sent() {
        let query = AuditQuery {
            action: Some("auth.login".into()),
            outcome: Some(AuditOutcome::Denied),
            limit: Some(10),
            ..AuditQuery::default()
        };
        assert_eq!(
            query.query_pairs(),
            vec![
                ("action", "auth.login".to_owned()),
                ("outcome", "denied".to_owned()),
                ("limit", "10".to_owned()),
            ]
        );
    }
}
