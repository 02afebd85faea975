//! What a use case says about itself in the audit log, defined once beside
//! the use case: the HTTP handler puts it on its request's note (the audit
//! middleware adds the request details), a command appends it with
//! [`cli_principal`](super::cli_principal) as the principal.

use api_types::AuditOutcome;
use serde_json::Value;

use super::{cli_principal, AuditEvent};

/// An audit row's action and context, as the use case describes them.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditDescription {
    /// What was done, e.g. `user.created`.
    pub action: &'static str,
    /// The parameters and the target (a JSON object).
    pub context: Value,
}

impl AuditDescription {
    /// `action` with `context`.
    pub fn new(action: &'static str, context: Value) -> Self {
        Self { action, context }
    }

    /// The row a command run on the server's machine appends for it: done
    /// (outcome ok), by [`cli_principal`], with no request details.
    pub fn by_cli(self) -> AuditEvent {
        let mut event = AuditEvent::now(self.action, AuditOutcome::Ok, self.context);
        event.principal = Some(cli_principal());
        event
    }
}

/// A use case's result with the description of its audit row.
#[derive(Debug)]
pub struct Audited<T> {
    /// What the use case produced.
    pub value: T,
    /// Its audit row's action and context.
    pub audit: AuditDescription,
}
