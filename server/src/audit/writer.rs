//! The writer task: drains the queue in batches, appends each batch to the
//! chain in one transaction, and confirms durable events once committed.

use std::time::Duration;

use tokio::sync::{mpsc, oneshot};

use super::AuditEvent;
use crate::storage::Db;

/// Most events appended in one transaction.
const BATCH: usize = 500;
/// Attempts per batch before it is given up (logged with its size).
const ATTEMPTS: u32 = 8;

/// What the writer receives.
#[derive(Debug)]
pub enum Message {
    /// An event, with a waiter to confirm to when it is durable.
    Event(Box<AuditEvent>, Option<oneshot::Sender<Result<(), ()>>>),
    /// Write what is queued, confirm, and stop.
    Stop(oneshot::Sender<()>),
}

/// How long the writer waits for more events before writing a batch that
/// holds only reads. Appending costs mostly per transaction, so under load
/// a short wait turns many tiny transactions into a few large ones. Events
/// someone waits for (security events) and a stop are written at once.
const LINGER: Duration = Duration::from_millis(50);

/// One batch being gathered.
#[derive(Default)]
struct Batch {
    events: Vec<AuditEvent>,
    waiters: Vec<oneshot::Sender<Result<(), ()>>>,
    stop: Option<oneshot::Sender<()>>,
}

impl Batch {
    fn add(&mut self, message: Message, receiver: &mut mpsc::Receiver<Message>) {
        match message {
            Message::Event(event, waiter) => {
                self.events.push(*event);
                self.waiters.extend(waiter);
            }
            Message::Stop(ack) => {
                // Nothing new gets in; what is queued behind the stop is
                // still received (and written) before the channel ends.
                receiver.close();
                self.stop = Some(ack);
            }
        }
    }

    /// Write now: full, someone is waiting, or stopping.
    fn ready(&self) -> bool {
        self.events.len() >= BATCH || !self.waiters.is_empty() || self.stop.is_some()
    }
}

/// Runs until [`Message::Stop`] or until every sender is gone.
pub async fn run(db: Db, mut receiver: mpsc::Receiver<Message>) {
    while let Some(first) = receiver.recv().await {
        let mut batch = Batch::default();
        batch.add(first, &mut receiver);
        let deadline = tokio::time::Instant::now() + LINGER;
        while !batch.ready() {
            match tokio::time::timeout_at(deadline, receiver.recv()).await {
                Ok(Some(message)) => batch.add(message, &mut receiver),
                // The channel has ended, or the wait is over.
                Ok(None) | Err(_) => break,
            }
        }
        // Take what is already queued: everything when stopping, otherwise
        // up to a full batch.
        while batch.stop.is_some() || batch.events.len() < BATCH {
            match receiver.try_recv() {
                Ok(message) => batch.add(message, &mut receiver),
                Err(_) => break,
            }
        }
        let mut written = true;
        for chunk in batch.events.chunks(BATCH) {
            written &= write(&db, chunk).await;
        }
        for waiter in batch.waiters {
            let _ = waiter.send(written.then_some(()).ok_or(()));
        }
        if let Some(ack) = batch.stop {
            let _ = ack.send(());
            return;
        }
    }
}

/// Appends `events`, retrying with backoff; `false` if they were given up.
async fn write(db: &Db, events: &[AuditEvent]) -> bool {
    if events.is_empty() {
        return true;
    }
    let mut delay = Duration::from_millis(50);
    for attempt in 1..=ATTEMPTS {
        match db.append_audit(events).await {
            Ok(()) => return true,
            Err(error) if attempt < ATTEMPTS => {
                tracing::warn!(%error, attempt, events = events.len(), "audit write failed; retrying");
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(2));
            }
            Err(error) => {
                tracing::error!(%error, events = events.len(), "audit events lost: writing failed");
            }
        }
    }
    false
}
