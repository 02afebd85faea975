//! The audit log: one row per action with its principal and context,
//! admin-only access, the hash chain (verify, tampering, purge), no loss on
//! a graceful restart under load, and the CSV export.

mod access;
mod chain;
mod hostile;
mod outside;
mod records;
mod restart;
mod routes;

use std::time::Duration;

use app::api::{ApiClient, AuditEntry, AuditOutcome};
use server::{
    audit::AuditRecord,
    storage::{AuditFilter, Db},
};

use crate::helpers::{spawn_app_with, Backend, TestApp};

pub const PASSWORD: &str = "audit-test-password";

/// An app with the demo accounts (password [`PASSWORD`]).
pub async fn audited_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, &[("TESSERA_DEMO_PASSWORD", PASSWORD)]).await
}

/// A client signed in as `who@tessera.local`.
pub async fn signed_in(app: &TestApp, who: &str) -> ApiClient {
    let client = ApiClient::with_cookie_jar(app.base.clone());
    client
        .login(&format!("{who}@tessera.local"), PASSWORD)
        .await
        .expect("login");
    client
}

/// Every row, oldest first, read straight from the database.
pub async fn all_rows(db: &Db) -> Vec<AuditRecord> {
    let mut rows = db
        .audit_page(&AuditFilter::default(), None, 10_000)
        .await
        .expect("read audit log");
    rows.reverse();
    rows
}

/// The rows of `action`, waiting (for batched reads) until there are at
/// least `at_least`.
pub async fn rows_of(app: &TestApp, action: &str, at_least: usize) -> Vec<AuditRecord> {
    let db = app.db().connect().await;
    let filter = AuditFilter {
        action: Some(action.into()),
        ..AuditFilter::default()
    };
    for _ in 0..100 {
        let rows = db.audit_page(&filter, None, 10_000).await.expect("read");
        if rows.len() >= at_least {
            db.close().await;
            return rows;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("fewer than {at_least} {action} rows");
}

/// The one row of `action`; fails if there are more or none.
pub async fn one_row(app: &TestApp, action: &str) -> AuditRecord {
    let mut rows = rows_of(app, action, 1).await;
    assert_eq!(rows.len(), 1, "exactly one {action} row: {rows:#?}");
    rows.remove(0)
}

/// `(principal, role, outcome, status)` of a row, for compact assertions.
pub fn summary(row: &AuditRecord) -> (Option<&str>, Option<&str>, AuditOutcome, Option<u16>) {
    let e = &row.event;
    (
        e.principal.as_deref(),
        e.role.map(|r| r.as_str()),
        e.outcome,
        e.status,
    )
}

/// The entries the API lists for `action`.
pub fn actions(entries: &[AuditEntry]) -> Vec<&str> {
    entries.iter().map(|e| e.action.as_str()).collect()
}
