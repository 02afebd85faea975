//! The jobs table: one row per job with its status, live progress, times
//! and actions (cancel, download, view, run again).
//!
//! Each unfinished row follows its job's event stream, but at most
//! [`MAX_STREAMS`] at once (running jobs first): a browser keeps only six
//! connections per server over HTTP/1.1, and each stream holds one. When a
//! followed job finishes, the next unfinished one is followed.

use leptos::prelude::*;
use leptos_router::components::A;

use super::{
    describe::{run_time, Params},
    live::{follow, unfinished},
    progress::{JobProgress, StatusBadge},
};
use crate::{
    api::{ApiClient, ExportResult, JobKind, JobStatus, JobView},
    components::{
        api_action::api_action,
        audit::when::{absolute, relative, unix_millis},
        error_text::problem_text,
        forecast::state::job_href,
        form_error::FormError,
        format::{count, file_size},
        icons::Icon,
        timing::{every, now_millis},
    },
};

/// Event streams open at once on the Jobs page.
const MAX_STREAMS: usize = 3;

/// The ids to follow: unfinished jobs, running ones first, at most
/// [`MAX_STREAMS`].
fn to_follow(jobs: &[(String, JobStatus)]) -> Vec<String> {
    let running = jobs.iter().filter(|(_, s)| *s == JobStatus::Running);
    let queued = jobs.iter().filter(|(_, s)| *s == JobStatus::Queued);
    running
        .chain(queued)
        .take(MAX_STREAMS)
        .map(|(id, _)| id.clone())
        .collect()
}

/// The table of jobs, newest first.
#[component]
pub fn JobsTable(
    /// The jobs, as the list answered.
    jobs: Vec<JobView>,
    /// Whether to show each job's owner (everyone's jobs).
    show_owner: bool,
    /// Runs a job again.
    on_rerun: Callback<JobView>,
) -> impl IntoView {
    let live: Vec<RwSignal<JobView>> = jobs.into_iter().map(RwSignal::new).collect();
    let statuses = live.clone();
    let followed = Memo::new(move |_| {
        let jobs: Vec<(String, JobStatus)> = statuses
            .iter()
            .map(|job| job.with(|j| (j.id.clone(), j.status)))
            .collect();
        to_follow(&jobs)
    });
    // Running times and "3 min ago" stay true while the page is open.
    let (now, set_now) = signal(now_millis());
    every(1_000, move || set_now.set(now_millis()));
    let rows = live
        .into_iter()
        .map(|job| view! { <JobRow job followed show_owner on_rerun now/> })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="table jobs-table" class:jobs-table--owners=show_owner data-testid="jobs-table">
                <thead>
                    <tr>
                        <th scope="col">"Job"</th>
                        {show_owner.then(|| view! { <th scope="col">"Owner"</th> })}
                        <th scope="col">"Status"</th>
                        <th scope="col">"Submitted"</th>
                        <th scope="col">"Duration"</th>
                        <th scope="col" class="table__actions"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

#[component]
fn JobRow(
    job: RwSignal<JobView>,
    followed: Memo<Vec<String>>,
    show_owner: bool,
    on_rerun: Callback<JobView>,
    now: ReadSignal<i64>,
) -> impl IntoView {
    let open = Memo::new(move |_| job.with(unfinished));
    let target = Signal::derive(move || open.get().filter(|id| followed.with(|f| f.contains(id))));
    follow(target, move |view| job.set(view));
    let cancel = api_action(move |client, id: String| async move {
        let cancelled = client.cancel_job(&id).await;
        if let Ok(view) = &cancelled {
            job.set(view.clone());
        }
        cancelled
    });
    let first = job.get_untracked();
    let params = Params::of(&first);
    let (title, scope) = params.as_ref().map_or_else(
        || (first.kind.label().to_owned(), String::new()),
        |p| (p.title(), p.scope()),
    );
    let kind = first.kind;
    let status = Memo::new(move |_| job.with(|j| j.status));
    let submitted = first.created_at.clone();
    let submitted_at = unix_millis(&submitted);
    let duration = move || {
        job.with(|j| {
            let now = if j.status.is_finished() { 0 } else { now.get() };
            run_time(j, now).unwrap_or_else(|| "—".to_owned())
        })
    };
    view! {
        <tr class="jobs-row" data-testid="job-row" data-job=first.id.clone() data-kind=kind.code()
            data-status=move || status.get().code()>
            <td class="jobs-row__job">
                <div class="job-title">
                    <span class="job-kind" data-kind=kind.code() aria-hidden="true">{kind_icon(kind).view()}</span>
                    <div>
                        <div class="table__primary">{kind.label()}": "{title}</div>
                        <div class="table__secondary">{scope}</div>
                    </div>
                </div>
            </td>
            {show_owner.then(|| view! { <td class="jobs-row__owner table__secondary">{first.owner.clone()}</td> })}
            <td class="jobs-row__status">
                <StatusBadge status/>
                <JobProgress job=Signal::derive(move || Some(job.get()))/>
                <Outcome job status/>
                <FormError message=problem_text(cancel)/>
            </td>
            <td class="jobs-row__when">
                <time datetime=submitted.clone() title=absolute(&submitted)>
                    {move || submitted_at.map_or_else(String::new, |at| relative(at, now.get()))}
                </time>
            </td>
            <td class="jobs-row__duration">{duration}</td>
            <td class="table__actions jobs-row__actions">
                <Actions job cancel on_rerun/>
            </td>
        </tr>
    }
}

fn kind_icon(kind: JobKind) -> Icon {
    match kind {
        JobKind::Forecast => Icon::Forecast,
        JobKind::Export => Icon::Jobs,
    }
}

/// What a finished job left: the export's size, or why it failed.
#[component]
fn Outcome(job: RwSignal<JobView>, status: Memo<JobStatus>) -> impl IntoView {
    move || {
        let status = status.get();
        job.with_untracked(|j| match status {
            JobStatus::Failed => {
                let why = j
                    .error
                    .clone()
                    .unwrap_or_else(|| "The job failed.".to_owned());
                Some(
                    view! { <p class="jobs-row__error" data-testid="job-error">{why}</p> }
                        .into_any(),
                )
            }
            JobStatus::Succeeded if j.kind == JobKind::Export => {
                let result = j
                    .result
                    .clone()
                    .and_then(|r| serde_json::from_value::<ExportResult>(r).ok())?;
                let rows = if result.rows == 1 { "row" } else { "rows" };
                let text = format!(
                    "{} {rows} · {}",
                    count(result.rows as f64),
                    file_size(result.bytes)
                );
                Some(view! { <p class="jobs-row__note">{text}</p> }.into_any())
            }
            _ => None,
        })
    }
}

/// Cancel while it runs; download, view and run again once it finished.
#[component]
fn Actions(
    job: RwSignal<JobView>,
    cancel: Action<String, Result<JobView, crate::api::ClientError>>,
    on_rerun: Callback<JobView>,
) -> impl IntoView {
    let cancelling = cancel.pending();
    // Redrawn when the status or the file's availability changes, not on
    // every progress step (which would take the focus off Cancel).
    let phase = Memo::new(move |_| job.with(|j| (j.status, j.downloadable)));
    move || {
        let (status, _) = phase.get();
        let j = job.get_untracked();
        if !status.is_finished() {
            let id = j.id.clone();
            return view! {
                <button type="button" class="button button--danger" data-testid="job-cancel"
                    disabled=move || cancelling.get() on:click=move |_| { cancel.dispatch(id.clone()); }>
                    "Cancel"
                </button>
            }
            .into_any();
        }
        let primary = finished_link(&j);
        view! {
            {primary}
            <button type="button" class="button button--ghost" data-testid="job-rerun"
                on:click=move |_| on_rerun.run(job.get_untracked())>
                "Run again"
            </button>
        }
        .into_any()
    }
}

/// The export's download link (or why there is none), or the forecast's page.
fn finished_link(job: &JobView) -> Option<AnyView> {
    match (job.kind, job.status) {
        (JobKind::Export, JobStatus::Succeeded) if job.downloadable => {
            let name = job
                .result
                .clone()
                .and_then(|r| serde_json::from_value::<ExportResult>(r).ok())
                .map(|r| r.file_name);
            Some(view! {
                <a class="button button--primary button--small" href=ApiClient::job_download_path(&job.id)
                    download=name data-testid="job-download">
                    "Download"
                </a>
            }.into_any())
        }
        (JobKind::Export, JobStatus::Succeeded) => Some(view! {
            <span class="badge badge--muted" title="Export files are kept for a limited time">"Expired"</span>
        }.into_any()),
        (JobKind::Forecast, JobStatus::Succeeded) => Some(view! {
            <A href=job_href(&job.id) attr:class="button button--ghost" attr:data-testid="job-view">
                "View"
            </A>
        }.into_any()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_jobs_are_followed_first_and_streams_are_capped() {
        let jobs: Vec<(String, JobStatus)> = [
            ("a", JobStatus::Queued),
            ("b", JobStatus::Succeeded),
            ("c", JobStatus::Running),
            ("d", JobStatus::Queued),
            ("e", JobStatus::Queued),
            ("f", JobStatus::Running),
        ]
        .into_iter()
        .map(|(id, s)| (id.to_owned(), s))
        .collect();
        assert_eq!(to_follow(&jobs), vec!["c", "f", "a"]);
        assert!(to_follow(&jobs[1..2]).is_empty());
    }
}
