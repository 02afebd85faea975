//! A job's status pill and its progress bar.

use leptos::prelude::*;

use crate::{
    api::{JobStatus, JobView},
    components::error_text::capitalised,
};

/// The job's status as a coloured pill.
#[component]
pub fn StatusBadge(
    /// The status shown.
    #[prop(into)]
    status: Signal<JobStatus>,
) -> impl IntoView {
    view! {
        <span class="job-status" data-status=move || status.get().code() data-testid="job-status">
            {move || status.get().label()}
        </span>
    }
}

/// What the job is doing, its percentage and a bar, while it is queued or
/// running; nothing once it finished.
#[component]
pub fn JobProgress(
    /// The job, as last reported.
    #[prop(into)]
    job: Signal<Option<JobView>>,
) -> impl IntoView {
    let state = Memo::new(move |_| {
        job.with(|j| {
            let j = j.as_ref()?;
            (!j.status.is_finished()).then(|| {
                let retry = j.error.clone().filter(|_| j.status == JobStatus::Queued);
                (j.status, j.progress.min(100), j.message.clone(), retry)
            })
        })
    });
    move || {
        state.get().map(|(status, percent, message, retry)| {
            let queued = status == JobStatus::Queued;
            let text = match (queued, message.is_empty()) {
                (true, _) => "Queued: waiting for a worker…".to_owned(),
                (false, true) => "Starting…".to_owned(),
                (false, false) => capitalised(&message),
            };
            let retry = retry.map(|why| {
                view! { <p class="job-progress__retry">"Retrying after an error: "{why}</p> }
            });
            view! {
                <div class="job-progress" class:job-progress--queued=queued>
                    <div class="job-progress__text">
                        <span class="job-progress__message" data-testid="job-message">{text}</span>
                        <span class="job-progress__percent">{format!("{percent}%")}</span>
                    </div>
                    <div class="job-progress__track" role="progressbar" aria-label="Progress"
                        aria-valuemin="0" aria-valuemax="100" aria-valuenow=percent.to_string()
                        data-testid="job-progress">
                        <svg viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                            <rect class="job-progress__bg" x="0" y="0" width="100" height="6"/>
                            <rect class="job-progress__bar" x="0" y="0" width=percent.max(1).to_string() height="6"/>
                        </svg>
                    </div>
                    {retry}
                </div>
            }
        })
    }
}
