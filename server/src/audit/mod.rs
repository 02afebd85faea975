//! The audit log: who did what, when, from where, with which filters, and
//! how it ended. Rows are append-only and hash-chained ([`chain`]); a
//! background [`writer`] inserts them in batches so requests do not wait,
//! except for security events, whose record call waits until they are
//! durable. Handlers describe their action with one call on [`AuditNote`];
//! the [`layer`] gathers the request context and records one row per action.

pub mod chain;
pub mod clean;
pub mod layer;
pub mod writer;

use app::api::{AuditOutcome, Role};
use serde_json::Value;
use time::OffsetDateTime;
use tokio::sync::{mpsc, oneshot};

pub use self::layer::AuditNote;
use self::writer::{Message, Urgent};
use crate::storage::Db;

/// How many events may wait for the writer before recording waits too.
const QUEUE: usize = 65_536;
/// The longest a security event waits to become durable before the request
/// goes on without it (the event stays queued and is retried).
const DURABLE_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

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

/// A recording could not be confirmed durable.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// The writer has stopped (shutdown) or auditing is off.
    #[error("the audit writer is not running")]
    Stopped,
    /// The batch holding the event failed to be written.
    #[error("writing the audit log failed")]
    WriteFailed,
    /// Not durable within the wait; it stays queued.
    #[error("the audit log did not confirm the write in time")]
    Timeout,
}

/// The handle every part of the server records through. Cheap to clone;
/// with auditing off (`TESSERA_AUDIT=off`) every call does nothing.
#[derive(Clone, Debug)]
pub struct Audit {
    sender: Option<mpsc::Sender<Message>>,
    urgent: Urgent,
}

impl Audit {
    /// Starts the writer task on `db`; the handle and the task to await at
    /// shutdown (after [`Audit::shutdown`]).
    pub fn start(db: Db) -> (Self, tokio::task::JoinHandle<()>) {
        let (sender, receiver) = mpsc::channel(QUEUE);
        let urgent = Urgent::default();
        let task = tokio::spawn(writer::run(db, receiver, urgent.clone()));
        (
            Self {
                sender: Some(sender),
                urgent,
            },
            task,
        )
    }

    /// A handle that records nothing.
    pub fn disabled() -> Self {
        Self {
            sender: None,
            urgent: Urgent::default(),
        }
    }

    /// Whether events are recorded at all.
    pub fn enabled(&self) -> bool {
        self.sender.is_some()
    }

    /// Queues `event`; it is written with the next batch. Waits only when
    /// the queue is full.
    pub async fn record(&self, event: AuditEvent) {
        if let Some(sender) = &self.sender {
            if sender
                .send(Message::Event(Box::new(event), None))
                .await
                .is_err()
            {
                tracing::error!("audit event lost: the audit writer has stopped");
            }
        }
    }

    /// Queues `event` without waiting, from code that cannot (a drop). When
    /// the queue is full the event is lost, and that is logged.
    pub fn record_detached(&self, event: AuditEvent) {
        if let Some(sender) = &self.sender {
            if sender
                .try_send(Message::Event(Box::new(event), None))
                .is_err()
            {
                tracing::error!("audit event lost: the audit queue is full or stopped");
            }
            self.urgent.notify_one();
        }
    }

    /// Records `event` and waits until it is committed.
    pub async fn record_durable(&self, event: AuditEvent) -> Result<(), AuditError> {
        let Some(sender) = &self.sender else {
            return Ok(());
        };
        let (ack, done) = oneshot::channel();
        sender
            .send(Message::Event(Box::new(event), Some(ack)))
            .await
            .map_err(|_| AuditError::Stopped)?;
        self.urgent.notify_one();
        match tokio::time::timeout(DURABLE_WAIT, done).await {
            Ok(Ok(Ok(()))) => Ok(()),
            Ok(Ok(Err(()))) => Err(AuditError::WriteFailed),
            Ok(Err(_)) => Err(AuditError::Stopped),
            Err(_) => Err(AuditError::Timeout),
        }
    }

    /// Writes everything queued so far and stops the writer. Call once the
    /// HTTP server has drained; later events are lost (and logged).
    pub async fn shutdown(&self) {
        let Some(sender) = &self.sender else { return };
        let (ack, done) = oneshot::channel();
        if sender.send(Message::Stop(ack)).await.is_ok() {
            self.urgent.notify_one();
            let _ = done.await;
        }
    }
}

/// Appends `event` (cleaned) at once, outside any server: for commands
/// (`tessera create-user`, …) that act without the writer task.
pub async fn append_now(db: &Db, event: AuditEvent) -> Result<(), sqlx::Error> {
    db.append_audit(&[event.cleaned()]).await
}

/// The principal recorded for commands run on the server's machine:
/// `cli` and the operating-system user who ran it, when known.
pub fn cli_principal() -> String {
    match std::env::var("USER").or_else(|_| std::env::var("LOGNAME")) {
        Ok(user) if !user.is_empty() => format!("cli:{user}"),
        _ => "cli".to_owned(),
    }
}

/// Rows read per query while verifying.
const VERIFY_CHUNK: i64 = 1_000;

/// A head hash written down earlier (`tessera audit head`): 64 hex digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadHash(String);

impl HeadHash {
    /// Accepts a SHA-256 hex digest (any case).
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim().to_ascii_lowercase();
        if raw.len() == 64 && raw.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(Self(raw))
        } else {
            Err("must be a head hash as printed by `tessera audit head` (64 hex digits)".into())
        }
    }
}

/// Walks the whole chain from its anchor to its head: the number of rows if
/// every link and every row's content match, otherwise the first that does
/// not. Rows appended while walking are left for the next run.
pub async fn verify(db: &Db) -> Result<Result<u64, chain::Broken>, sqlx::Error> {
    verify_from(db, None).await
}

/// [`verify`], and when `written_down` is given, the chain must still hold
/// the row with that hash (or be anchored after it by a purge): a head
/// noted outside the database catches the newest rows removed together
/// with the head rewritten to match.
pub async fn verify_from(
    db: &Db,
    written_down: Option<&HeadHash>,
) -> Result<Result<u64, chain::Broken>, sqlx::Error> {
    let head = db.audit_head().await?;
    let mut verifier = chain::Verifier::new(&head.anchor_hash);
    let mut found = written_down.is_none_or(|hash| hash.0 == head.anchor_hash);
    let mut after = 0;
    loop {
        let rows = db.audit_rows(after, head.last_id, VERIFY_CHUNK).await?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        for row in &rows {
            if let Err(broken) = verifier.check(row) {
                return Ok(Err(broken));
            }
            found = found || written_down.is_some_and(|hash| hash.0 == row.hash);
        }
    }
    let result = verifier.finish(head.last_id, &head.last_hash);
    if result.is_ok() && !found {
        return Ok(Err(chain::Broken {
            id: head.last_id,
            reason: "the head written down is not in the log: rows at its end were removed and \
                the head rewritten to match (or a purge removed that row: note a new head after \
                each purge)"
                .into(),
        }));
    }
    Ok(result)
}
