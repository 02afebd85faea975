//! The audit log: who did what, when, from where, with which filters, and
//! how it ended. Rows are append-only and hash-chained ([`chain`]); a
//! background [`writer`] inserts them in batches so requests do not wait,
//! except for security events, whose record call waits until they are
//! durable. Handlers describe their action with one call on [`AuditNote`];
//! the [`layer`] gathers the request context and records one row per action.

pub mod clean;
pub mod csv;
pub mod entry;
pub mod writer;

use tokio::sync::{mpsc, oneshot};

pub use self::entry::{AuditDescription, Audited};
use self::writer::{Message, Urgent};
pub use crate::storage::audit::{chain, now_micros, AuditEvent, AuditRecord};
use crate::storage::Db;

/// How many events may wait for the writer before recording waits too.
const QUEUE: usize = 65_536;
/// The longest a security event waits to become durable before the request
/// goes on without it (the event stays queued and is retried).
const DURABLE_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

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

/// Appends `event` (cleaned) at once, outside any server, the way the
/// writer appends: for commands (`tessera create-user`, …) that act without
/// the writer task.
pub async fn append_now(db: &Db, event: AuditEvent) -> Result<(), AuditError> {
    let (_, result) = db.audit_appender().append(vec![event.cleaned()]).await;
    result.map_err(|error| {
        tracing::error!(%error, "appending to the audit log failed");
        AuditError::WriteFailed
    })
}

/// The principal recorded for commands run on the server's machine:
/// `cli` and the operating-system user who ran it, when known.
pub fn cli_principal() -> String {
    match std::env::var("USER").or_else(|_| std::env::var("LOGNAME")) {
        Ok(user) if !user.is_empty() => format!("cli:{user}"),
        _ => "cli".to_owned(),
    }
}

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
    db.walk_audit_chain(written_down.map(|hash| hash.0.as_str()))
        .await
}
