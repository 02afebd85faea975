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

/// Runs until [`Message::Stop`] or until every sender is gone.
pub async fn run(db: Db, mut receiver: mpsc::Receiver<Message>) {
    while let Some(first) = receiver.recv().await {
        let mut events = Vec::new();
        let mut waiters = Vec::new();
        let mut stop = None;
        let mut next = Some(first);
        while let Some(message) = next.take() {
            match message {
                Message::Event(event, waiter) => {
                    events.push(*event);
                    waiters.extend(waiter);
                }
                Message::Stop(ack) => {
                    // Take everything already queued behind the stop too.
                    receiver.close();
                    stop = Some(ack);
                }
            }
            if stop.is_some() || events.len() < BATCH {
                next = receiver.try_recv().ok();
            }
        }
        let mut written = true;
        for chunk in events.chunks(BATCH) {
            written &= write(&db, chunk).await;
        }
        for waiter in waiters {
            let _ = waiter.send(written.then_some(()).ok_or(()));
        }
        if let Some(ack) = stop {
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
