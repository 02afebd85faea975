//! The audit row, defined once: the event and its record, the column list,
//! the chain links, and each row's values in column order. Every way a row
//! is inserted (the JSON array on SQLite's pool, `COPY` on PostgreSQL, the
//! writer's prepared statement on SQLite) renders these values.

use std::borrow::Cow;

use api_types::{AuditOutcome, Role};
use serde_json::Value;
use time::OffsetDateTime;

use super::{
    chain::{canonical_json, row_hash_with},
    db_time,
};

/// The columns an audit row is inserted with, in [`cells`] order.
pub const COLUMNS: &str = "id, occurred_at, session_hash, principal, role, action, context, \
    outcome, status, client_ip, user_agent, request_id, prev_hash, hash";

/// How many columns [`COLUMNS`] names.
pub const COLUMN_COUNT: usize = 14;

/// One action to record, before it has an id and a place in the chain.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEvent {
    /// When it happened (UTC, whole microseconds).
    pub occurred_at: OffsetDateTime,
    /// SHA-256 (hex) of the browser session id, when there was a session.
    pub session_hash: Option<String>,
    /// User email or service account name (or the name attempted).
    pub principal: Option<String>,
    /// The principal's role, when known.
    pub role: Option<Role>,
    /// What was done, e.g. `auth.login`, `analytics.kpis`, `user.created`.
    pub action: String,
    /// The filters and parameters in force (a JSON object).
    pub context: Value,
    /// Ok, denied or error.
    pub outcome: AuditOutcome,
    /// HTTP status of the answer, for requests.
    pub status: Option<u16>,
    /// The client's address (behind trusted proxies: the forwarded one).
    pub client_ip: Option<String>,
    /// The client's `User-Agent`, shortened.
    pub user_agent: Option<String>,
    /// The request's id (`X-Request-Id`).
    pub request_id: Option<String>,
}

impl AuditEvent {
    /// An event happening now, with no request details.
    pub fn now(action: impl Into<String>, outcome: AuditOutcome, context: Value) -> Self {
        Self {
            occurred_at: now_micros(),
            session_hash: None,
            principal: None,
            role: None,
            action: action.into(),
            context,
            outcome,
            status: None,
            client_ip: None,
            user_agent: None,
            request_id: None,
        }
    }
}

/// An event as stored: with its id and its links in the chain.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRecord {
    /// Position in the chain (ascending, gap-free until purged).
    pub id: i64,
    /// The recorded event.
    pub event: AuditEvent,
    /// Hash of the previous row (or the anchor, for the first row kept).
    pub prev_hash: String,
    /// Hash of this row's content and `prev_hash`.
    pub hash: String,
}

/// The current time, truncated to whole microseconds (what PostgreSQL keeps).
pub fn now_micros() -> OffsetDateTime {
    let now = OffsetDateTime::now_utc();
    now.replace_nanosecond(now.nanosecond() / 1_000 * 1_000)
        .unwrap_or(now)
}

/// One value of a row: a number or text (either may be NULL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell<'a> {
    /// An integer column.
    Int(Option<i64>),
    /// A text column.
    Text(Option<Cow<'a, str>>),
}

impl serde::Serialize for Cell<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Cell::Int(value) => value.serialize(serializer),
            Cell::Text(value) => value.serialize(serializer),
        }
    }
}

fn text(value: &Option<String>) -> Cell<'_> {
    Cell::Text(value.as_deref().map(Cow::Borrowed))
}

/// The values of `event` at `link`, in [`COLUMNS`] order.
pub fn cells<'a>(event: &'a AuditEvent, link: &'a Link) -> [Cell<'a>; COLUMN_COUNT] {
    [
        Cell::Int(Some(link.id)),
        Cell::Text(Some(Cow::Owned(db_time(event.occurred_at)))),
        text(&event.session_hash),
        text(&event.principal),
        Cell::Text(event.role.map(|r| Cow::Borrowed(Role::as_str(r)))),
        Cell::Text(Some(Cow::Borrowed(&event.action))),
        Cell::Text(Some(Cow::Borrowed(&link.context))),
        Cell::Text(Some(Cow::Borrowed(event.outcome.as_str()))),
        Cell::Int(event.status.map(i64::from)),
        text(&event.client_ip),
        text(&event.user_agent),
        text(&event.request_id),
        Cell::Text(Some(Cow::Borrowed(&link.prev))),
        Cell::Text(Some(Cow::Borrowed(&link.hash))),
    ]
}

/// One event's place in the chain.
pub struct Link {
    /// Its id.
    pub id: i64,
    /// The predecessor's hash.
    pub prev: String,
    /// Its own hash.
    pub hash: String,
    /// Its context as canonical JSON (hashed and stored as this text).
    pub context: String,
}

/// Each event's id, predecessor hash and hash, following the head.
pub fn link(events: &[AuditEvent], last_id: i64, last_hash: String) -> Vec<Link> {
    let mut prev = last_hash;
    (1..)
        .zip(events)
        .map(|(offset, event)| {
            let id = last_id + offset;
            let context = canonical_json(&event.context);
            let hash = row_hash_with(id, event, &context, &prev);
            Link {
                id,
                prev: std::mem::replace(&mut prev, hash.clone()),
                hash,
                context,
            }
        })
        .collect()
}
