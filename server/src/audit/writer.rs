//! The writer task: drains the queue in batches, appends each batch to the
//! chain in one transaction, and confirms durable events once committed.

use std::time::Duration;

use tokio::sync::{mpsc, oneshot};

use super::AuditEvent;
use crate::storage::{AuditAppender, Db};

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
///
/// While it waits the writer does not listen to the queue: sending a read
/// then costs a push, with no task to wake and no timer to re-arm per
/// event. Whoever needs the batch written sooner rings [`Urgent`].
const LINGER: Duration = Duration::from_millis(50);

/// Rung by senders whose event must not wait out the linger.
pub type Urgent = std::sync::Arc<tokio::sync::Notify>;

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
                // Cleaned before it is hashed: no client text can make the
                // database refuse the row (see `super::clean`).
                self.events.push(event.cleaned());
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

    /// Adds everything already queued (written in transactions of at most
    /// [`BATCH`] events).
    fn take_queued(&mut self, receiver: &mut mpsc::Receiver<Message>) {
        while let Ok(message) = receiver.try_recv() {
            self.add(message, receiver);
        }
    }
}

/// Runs until [`Message::Stop`] or until every sender is gone.
pub async fn run(db: Db, mut receiver: mpsc::Receiver<Message>, urgent: Urgent) {
    let mut sink = db.audit_appender();
    while let Some(first) = receiver.recv().await {
        let mut batch = Batch::default();
        batch.add(first, &mut receiver);
        batch.take_queued(&mut receiver);
        if !batch.ready() {
            let deadline = tokio::time::Instant::now() + LINGER;
            tokio::select! {
                () = tokio::time::sleep_until(deadline) => {}
                () = urgent.notified() => {}
            }
            batch.take_queued(&mut receiver);
        }
        let mut written = true;
        let mut rest = batch.events;
        while !rest.is_empty() {
            let tail = rest.split_off(rest.len().min(BATCH));
            written &= write(&mut sink, rest).await;
            rest = tail;
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

/// Appends `events`: the batch in one transaction, and when the database
/// refuses it, row by row, so that one row it refuses cannot take the
/// others with it (a refused row is replaced by an `audit.unwritable` row).
/// While the database cannot be reached, retries with backoff; `false` if
/// the events were given up.
async fn write(sink: &mut AuditAppender, mut events: Vec<AuditEvent>) -> bool {
    let mut delay = Duration::from_millis(50);
    for attempt in 1..=ATTEMPTS {
        if events.is_empty() {
            return true;
        }
        let result;
        (events, result) = sink.append(events).await;
        let Err(error) = result else { return true };
        if events.is_empty() {
            tracing::error!(%error, "audit events lost: the writer failed");
            return false;
        }
        tracing::warn!(%error, attempt, events = events.len(), "audit batch refused; writing its rows one by one");
        events = match write_rows(sink, events).await {
            Ok(()) => return true,
            Err(rest) => rest,
        };
        if attempt < ATTEMPTS {
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(Duration::from_secs(2));
        }
    }
    tracing::error!(
        events = events.len(),
        "audit events lost: the database kept refusing them"
    );
    false
}

/// Writes each event in a transaction of its own. An event refused twice
/// is replaced by its [`AuditEvent::unwritable`] row. Stops at the first
/// event for which the replacement is refused too (the database is
/// unreachable, not the row at fault) and gives back it and the rest.
async fn write_rows(
    sink: &mut AuditAppender,
    events: Vec<AuditEvent>,
) -> Result<(), Vec<AuditEvent>> {
    let mut events = events.into_iter();
    while let Some(event) = events.next() {
        let mut row = vec![event];
        let mut refused = None;
        for _ in 0..2 {
            let result;
            (row, result) = sink.append(row).await;
            match result {
                Ok(()) => {
                    refused = None;
                    break;
                }
                Err(error) => refused = Some(error),
            }
            if row.is_empty() {
                break;
            }
        }
        let (Some(error), Some(event)) = (refused, row.pop()) else {
            continue;
        };
        let (_, replaced) = sink.append(vec![event.unwritable()]).await;
        match replaced {
            Ok(()) => tracing::error!(
                %error,
                action = %event.action,
                "an audit row was refused by the database; recorded as audit.unwritable"
            ),
            Err(_) => {
                let mut rest = vec![event];
                rest.extend(events);
                return Err(rest);
            }
        }
    }
    Ok(())
}
