//! Following a job while it runs: the browser's `EventSource` on
//! `/api/v1/jobs/{id}/events` (events `status`, `progress` and `done`, each
//! a [`JobView`]), or, where there is no `EventSource` or the stream fails,
//! `GET /api/v1/jobs/{id}` once a second. Nothing happens on the server:
//! the page it renders shows the job as it was then, and the browser takes
//! over after hydration.

use leptos::prelude::*;

use crate::{
    api::JobView,
    components::{api_action::api_action, timing::every},
};

/// How often the job is read when there is no event stream.
const POLL_MS: u32 = 1_000;

/// The id of `job` while it can still change: what [`follow`] follows.
pub fn unfinished(job: &JobView) -> Option<String> {
    (!job.status.is_finished()).then(|| job.id.clone())
}

/// Follows the job `target` names for as long as it names one: every state
/// the server reports is passed to `on_update`. Changing `target` (or
/// setting it to `None`, e.g. once the job finished) closes the stream or
/// stops the polling; so does the end of the calling component.
pub fn follow(
    target: Signal<Option<String>>,
    on_update: impl Fn(JobView) + Copy + Send + Sync + 'static,
) {
    // A failed check is not worth a message: the next one retries.
    let poll = api_action(move |client, id: String| async move {
        if let Ok(view) = client.job(&id).await {
            on_update(view);
        }
    });
    let polling = poll.pending();
    // The job whose stream failed: from then on it is polled.
    let broken = RwSignal::new(None::<String>);
    // Only a change of job (not every change of its state) reopens.
    let target = Memo::new(move |_| target.get());
    // Effects run in the browser only. Each run owns what it started; the
    // next run (or the component's end) drops it, which closes the stream
    // or cancels the timer.
    Effect::new(move |_| {
        let Some(id) = target.get() else {
            return;
        };
        let failed = broken.with(|b| b.as_ref() == Some(&id));
        if !failed && stream::open(&id, on_update, broken) {
            return;
        }
        // Read it at once, then every second.
        poll.dispatch(id.clone());
        every(POLL_MS, move || {
            if !polling.get_untracked() {
                poll.dispatch(id.clone());
            }
        });
    });
}

#[cfg(feature = "hydrate")]
mod stream {
    use leptos::prelude::*;
    use wasm_bindgen::{closure::Closure, JsCast};
    use web_sys::{EventSource, MessageEvent};

    use crate::api::{ApiClient, JobView};

    /// The names of the events that carry the job.
    const EVENTS: [&str; 3] = ["status", "progress", "done"];

    /// An open stream; dropping it closes it.
    struct Stream {
        source: EventSource,
        _on_event: Closure<dyn FnMut(MessageEvent)>,
        _on_error: Closure<dyn FnMut(web_sys::Event)>,
    }

    impl Drop for Stream {
        fn drop(&mut self) {
            self.source.close();
        }
    }

    /// Opens the job's event stream, owned by the current reactive owner;
    /// `false` when the browser has no `EventSource` or refuses the URL.
    pub fn open(
        id: &str,
        on_update: impl Fn(JobView) + Copy + Send + Sync + 'static,
        broken: RwSignal<Option<String>>,
    ) -> bool {
        let has_event_source =
            js_sys::Reflect::has(&window(), &"EventSource".into()).unwrap_or(false);
        if !has_event_source {
            return false;
        }
        let Ok(source) = EventSource::new(&ApiClient::job_events_path(id)) else {
            return false;
        };
        // After `done` the server ends the stream: close it rather than let
        // the browser reconnect.
        let finished = source.clone();
        let on_event = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if event.type_() == "done" {
                finished.close();
            }
            let job = event
                .data()
                .as_string()
                .and_then(|text| serde_json::from_str::<JobView>(&text).ok());
            if let Some(job) = job {
                on_update(job);
            }
        });
        for name in EVENTS {
            let _ =
                source.add_event_listener_with_callback(name, on_event.as_ref().unchecked_ref());
        }
        // Any failure (the server refused, the connection dropped, the
        // stream reached its time limit) hands over to polling, which
        // cannot get stuck reconnecting.
        let failed = source.clone();
        let id = id.to_owned();
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            failed.close();
            broken.set(Some(id.clone()));
        });
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let stream = Stream {
            source,
            _on_event: on_event,
            _on_error: on_error,
        };
        let _ = StoredValue::new_local(stream);
        true
    }
}

#[cfg(not(feature = "hydrate"))]
mod stream {
    use leptos::prelude::*;

    use crate::api::JobView;

    /// No streams on the server.
    pub fn open(
        _id: &str,
        _on_update: impl Fn(JobView) + Copy + Send + Sync + 'static,
        _broken: RwSignal<Option<String>>,
    ) -> bool {
        false
    }
}
