//! What an upload did: its progress while it is sent, then the rows loaded,
//! the rows refused (a table by line), why the file was refused, or — for a
//! large file — the background import's progress, polled once a second.

use leptos::prelude::*;

use super::{is_finished, use_data_page};
use crate::{
    api::{api_client, ClientError, ImportStatus, ImportView, RowProblem},
    components::{error_text::import_message, format::count, timing::every},
};

/// The progress, then the outcome, of the latest upload.
#[component]
pub fn UploadOutcome(
    /// Whether the upload is under way.
    pending: Memo<bool>,
    /// Share of the file sent, percent.
    sent: RwSignal<Option<f64>>,
    /// The latest answer.
    answer: Signal<Option<Result<ImportView, ClientError>>>,
    /// The file's name.
    name: Signal<Option<String>>,
) -> impl IntoView {
    move || {
        if pending.get() {
            return view! { <Sending sent name/> }.into_any();
        }
        match answer.get() {
            None => ().into_any(),
            Some(Ok(view)) if is_finished(view.status) => view! { <Finished view/> }.into_any(),
            Some(Ok(view)) => view! { <Background view/> }.into_any(),
            Some(Err(error)) => refused(&error),
        }
    }
}

/// The upload's progress bar: bytes sent, then the server's check.
#[component]
fn Sending(sent: RwSignal<Option<f64>>, name: Signal<Option<String>>) -> impl IntoView {
    let percent = move || sent.get().unwrap_or(0.0).round() as i64;
    let text = move || {
        let name = name.get().unwrap_or_default();
        if percent() >= 100 {
            format!("Checking and loading {name}…")
        } else {
            format!("Uploading {name}…")
        }
    };
    view! {
        <div class="job-progress data-progress" data-testid="upload-progress">
            <div class="job-progress__text">
                <span class="job-progress__message">{text}</span>
                <span class="job-progress__percent">{move || format!("{}%", percent())}</span>
            </div>
            <div class="job-progress__track" role="progressbar" aria-label="Upload progress"
                aria-valuemin="0" aria-valuemax="100" aria-valuenow=move || percent().to_string()>
                <svg viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                    <rect class="job-progress__bg" x="0" y="0" width="100" height="6"/>
                    <rect class="job-progress__bar" x="0" y="0" width=move || percent().max(1).to_string() height="6"/>
                </svg>
            </div>
        </div>
    }
}

/// A finished import: loaded, refused row by row, or failed.
#[component]
fn Finished(view: ImportView) -> impl IntoView {
    match view.status {
        ImportStatus::Succeeded => view! { <Loaded view/> }.into_any(),
        ImportStatus::Rejected => {
            let heading = view
                .message
                .clone()
                .unwrap_or_else(|| "The file has problems; nothing was loaded.".to_owned());
            view! { <ProblemReport heading problems=view.problems more=view.more_problems/> }
                .into_any()
        }
        _ => {
            let why = view
                .message
                .unwrap_or_else(|| "The import failed; nothing was loaded.".to_owned());
            view! { <p class="data-outcome data-outcome--error" role="alert" data-testid="upload-error">{why}</p> }
                .into_any()
        }
    }
}

/// Why the upload was refused: the rows (422) or one message.
fn refused(error: &ClientError) -> AnyView {
    if let ClientError::Api { status: 422, body } = error {
        if let Some(problems) = body.problems.clone().filter(|p| !p.is_empty()) {
            let heading = crate::components::error_text::capitalised(&body.message);
            let more = body.more_problems.unwrap_or(0);
            return view! { <ProblemReport heading problems more/> }.into_any();
        }
    }
    view! {
        <p class="data-outcome data-outcome--error" role="alert" data-testid="upload-error">{import_message(error)}</p>
    }
    .into_any()
}

/// The figures of a loaded import.
#[component]
fn Loaded(view: ImportView) -> impl IntoView {
    let figure = |label: &'static str, value: String, testid: &'static str| {
        view! {
            <div class="data-figure">
                <dt>{label}</dt>
                <dd data-testid=testid>{value}</dd>
            </div>
        }
    };
    let version = view
        .dataset_version
        .map_or_else(|| "—".to_owned(), |v| v.to_string());
    let headline = view
        .message
        .clone()
        .unwrap_or_else(|| format!("{} loaded.", view.file_name));
    view! {
        <div class="data-outcome data-outcome--ok" role="status" data-testid="upload-success">
            <p class="data-outcome__title">
                <span class="data-outcome__check" aria-hidden="true">"✓"</span>
                {headline}
            </p>
            <dl class="data-figures">
                {figure("Rows", count(view.rows as f64), "upload-rows")}
                {figure("Added", count(view.inserted as f64), "upload-inserted")}
                {figure("Replaced", count(view.updated as f64), "upload-updated")}
                {figure("Dataset version", version, "upload-version")}
            </dl>
        </div>
    }
}

/// The rows a file was refused for: line, column, value, problem.
#[component]
fn ProblemReport(heading: String, problems: Vec<RowProblem>, more: i64) -> impl IntoView {
    let more = (more > 0).then(|| {
        let noun = if more == 1 { "problem" } else { "problems" };
        view! { <p class="data-report__more" data-testid="import-more-problems">{format!("…and {} more {noun}.", count(more as f64))}</p> }
    });
    let rows = problems
        .into_iter()
        .map(|p| {
            let dash = || "—".to_owned();
            view! {
                <tr data-testid="import-problem" data-line=p.line.to_string()>
                    <td class="numeric mono">{p.line.to_string()}</td>
                    <td class="mono">{p.column.unwrap_or_else(dash)}</td>
                    <td class="mono data-report__value">{p.value.unwrap_or_else(dash)}</td>
                    <td>{p.message}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="data-outcome data-outcome--error data-report" role="alert" data-testid="import-report">
            <p class="data-outcome__title">{heading}</p>
            <div class="table-wrap">
                <table class="table data-report__table" data-testid="import-problems">
                    <thead>
                        <tr>
                            <th scope="col" class="numeric">"Line"</th>
                            <th scope="col">"Column"</th>
                            <th scope="col">"Value"</th>
                            <th scope="col">"Problem"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {more}
        </div>
    }
}

/// A large file loading as a background job: polled once a second until it
/// has finished, then shown as any finished import.
#[component]
fn Background(view: ImportView) -> impl IntoView {
    let page = use_data_page();
    let current = RwSignal::new(view);
    let failure = RwSignal::new(None::<String>);
    let client = api_client();
    let in_flight = StoredValue::new(false);
    every(1_000, move || {
        if in_flight.get_value() || current.with_untracked(|v| is_finished(v.status)) {
            return;
        }
        in_flight.set_value(true);
        let (client, id) = (client.clone(), current.with_untracked(|v| v.id));
        leptos::task::spawn_local(async move {
            let answer = client.import(id).await;
            in_flight.set_value(false);
            match answer {
                Ok(next) => {
                    let done = is_finished(next.status);
                    failure.set(None);
                    current.set(next);
                    if done {
                        page.changed();
                    }
                }
                Err(error) => failure.set(Some(import_message(&error))),
            }
        });
    });
    let finished = Memo::new(move |_| current.with(|v| is_finished(v.status)));
    move || {
        if finished.get() {
            return view! { <Finished view=current.get_untracked()/> }.into_any();
        }
        let v = current.get();
        let rows = format!("{} rows read so far", count(v.rows as f64));
        let state = if v.status == ImportStatus::Queued {
            "Waiting for a worker"
        } else {
            "Loading"
        };
        view! {
            <div class="data-outcome data-outcome--busy" role="status" data-testid="upload-background">
                <p class="data-outcome__title">
                    <span class="data-spinner" aria-hidden="true"></span>
                    "Loading in the background"
                </p>
                <p class="data-outcome__text">
                    {format!(
                        "{} is large, so it loads in the background: you can leave this page. {state}: {rows}.",
                        v.file_name,
                    )}
                </p>
                {move || failure.get().map(|why| view! { <p class="data-outcome__text data-outcome__warn">{why}" Still trying…"</p> })}
            </div>
        }
        .into_any()
    }
}
