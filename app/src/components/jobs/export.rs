//! "Export": the orders on screen (their filters and columns) for a period,
//! as a CSV file made by a background job. The panel shows the job's
//! progress and, once done, the download link; the button says how far the
//! export is while the panel is closed.

use std::collections::BTreeMap;

use leptos::{ev::SubmitEvent, prelude::*};
use leptos_router::components::A;

use super::{
    describe::{categories_text, regions_text},
    live::{follow, unfinished},
    progress::JobProgress,
};
use crate::{
    api::{
        ApiClient, ExportFormat, ExportRequest, ExportResult, Filters, JobStatus, JobView,
        OrderField, Period, SubmittedJob,
    },
    components::{
        api_action::api_action,
        controls::{
            date_field::DateField,
            dropdown::Dropdown,
            segmented::{Choice, Segmented},
        },
        error_text::{field_problems, problem},
        form_error::{FieldError, FormError},
        format::{file_size, is_date},
    },
};

/// What is wrong with the dates, field by field (the server's own rules,
/// checked here only to explain them before sending).
fn date_problems(from: &str, to: &str) -> BTreeMap<String, String> {
    let mut problems = BTreeMap::new();
    for (field, value) in [("from", from), ("to", to)] {
        if !is_date(value) {
            problems.insert(field.to_owned(), "Pick a day.".to_owned());
        }
    }
    if problems.is_empty() && to < from {
        problems.insert("to".to_owned(), "Must not be before the start.".to_owned());
    }
    problems
}

/// The Export button and its panel.
#[component]
pub fn ExportOrders(
    /// The period on screen (the dates start from it).
    #[prop(into)]
    period: Signal<Option<Period>>,
    /// The filters on screen: regions and categories are exported.
    #[prop(into)]
    filters: Signal<Filters>,
    /// The columns on screen, in order.
    #[prop(into)]
    fields: Signal<Vec<OrderField>>,
) -> impl IntoView {
    // The latest export, followed while it runs even with the panel closed.
    let job = RwSignal::new(None::<JobView>);
    let reused = RwSignal::new(false);
    follow(
        Signal::derive(move || job.with(|j| j.as_ref().and_then(unfinished))),
        move |view| job.set(Some(view)),
    );
    let label = Signal::derive(move || {
        job.with(|j| match j {
            Some(j) if !j.status.is_finished() => format!("Exporting {}%", j.progress),
            Some(j) if j.status == JobStatus::Succeeded => "Export ready".to_owned(),
            _ => "Export".to_owned(),
        })
    });
    view! {
        <div class="export-orders">
            <Dropdown label name="Export orders" testid="orders-export" align_right=true>
                <ExportForm period filters fields job reused/>
                <ExportJob job reused/>
            </Dropdown>
        </div>
    }
}

/// The period and the format; the rest comes from the dashboard.
#[component]
fn ExportForm(
    period: Signal<Option<Period>>,
    filters: Signal<Filters>,
    fields: Signal<Vec<OrderField>>,
    job: RwSignal<Option<JobView>>,
    reused: RwSignal<bool>,
) -> impl IntoView {
    // Dates typed in the panel; `None` follows the period on screen.
    let from = RwSignal::new(None::<String>);
    let to = RwSignal::new(None::<String>);
    let from_shown = Signal::derive(move || {
        from.get()
            .or_else(|| period.get().map(|p| p.from))
            .unwrap_or_default()
    });
    let to_shown = Signal::derive(move || {
        to.get()
            .or_else(|| period.get().map(|p| p.to))
            .unwrap_or_default()
    });
    let format = RwSignal::new(ExportFormat::Csv);
    let server = RwSignal::new(BTreeMap::<String, String>::new());
    let submit = api_action(move |client, request: ExportRequest| async move {
        let answer = client.submit_export(&request).await;
        match &answer {
            Ok(SubmittedJob {
                deduplicated,
                job: view,
            }) => {
                reused.set(*deduplicated);
                job.set(Some(view.clone()));
            }
            Err(error) => server.set(field_problems(error)),
        }
        answer
    });
    let pending = submit.pending();
    let local = Memo::new(move |_| date_problems(&from_shown.get(), &to_shown.get()));
    let problem_of = move |field: &'static str| {
        Signal::derive(move || {
            local
                .with(|l| l.get(field).cloned())
                .or_else(|| server.with(|s| s.get(field).cloned()))
        })
    };
    let other_problem = Signal::derive(move || {
        if pending.get() {
            return None;
        }
        let error = submit.value().get()?.err()?;
        let named = field_problems(&error);
        let shown = !named.is_empty() && named.keys().all(|k| k == "from" || k == "to");
        (!shown).then(|| problem(&error))
    });
    let running = move || job.with(|j| j.as_ref().is_some_and(|j| !j.status.is_finished()));
    let blocked = move || pending.get() || running() || !local.with(BTreeMap::is_empty);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if untrack(blocked) {
            return;
        }
        server.set(BTreeMap::new());
        let filters = filters.get_untracked();
        submit.dispatch(ExportRequest {
            from: Some(from_shown.get_untracked()),
            to: Some(to_shown.get_untracked()),
            regions: filters.regions,
            categories: filters.categories,
            fields: fields
                .get_untracked()
                .iter()
                .map(|f| f.code().to_owned())
                .collect(),
            format: Some(format.get_untracked().code().to_owned()),
        });
    };
    let scope = move || {
        let f = filters.get();
        let columns = fields.with(Vec::len);
        format!(
            "{} · {} · {columns} columns",
            regions_text(&f.regions),
            categories_text(&f.categories)
        )
    };
    let formats = Choice::each(
        ExportFormat::ALL.iter().copied(),
        ExportFormat::label,
        |f| match f {
            ExportFormat::Csv => "csv",
            ExportFormat::CsvGz => "csv-gz",
        },
    );
    view! {
        <form class="export-form" on:submit=on_submit novalidate>
            <p class="export-form__title">"Export these orders"</p>
            <p class="export-form__scope">{scope}</p>
            <div class="export-form__dates">
                <DateField label="From" testid="export-from" value=from_shown
                    on_change=move |day| { from.set(Some(day)); server.update(|s| { s.remove("from"); }); }/>
                <DateField label="To" testid="export-to" value=to_shown
                    on_change=move |day| { to.set(Some(day)); server.update(|s| { s.remove("to"); }); }/>
            </div>
            <FieldError message=problem_of("from") id="export-error-from"/>
            <FieldError message=problem_of("to") id="export-error-to"/>
            <Segmented label="File format" testid="export-format" choices=formats
                current=Signal::from(format) on_select=Callback::new(move |f| format.set(f))/>
            <button type="submit" class="button button--primary" data-testid="export-submit" disabled=blocked>
                {move || if pending.get() { "Starting…" } else { "Start export" }}
            </button>
            <FormError message=other_problem/>
        </form>
    }
}

/// The export's progress, its file, or why it failed.
#[component]
fn ExportJob(job: RwSignal<Option<JobView>>, reused: RwSignal<bool>) -> impl IntoView {
    let finished = Memo::new(move |_| job.with(|j| j.as_ref().map(|j| (j.status, j.downloadable))));
    let outcome = move || {
        // Read (not only tracked): a memo nobody reads never updates.
        let (status, downloadable) = finished.get()?;
        let j = job.get_untracked()?;
        let view = match status {
            JobStatus::Succeeded if downloadable => {
                let result = j
                    .result
                    .and_then(|r| serde_json::from_value::<ExportResult>(r).ok())?;
                let size = format!("{} · {}", result.file_name, file_size(result.bytes));
                view! {
                    <a class="button button--primary export-job__download" href=ApiClient::job_download_path(&j.id)
                        download=result.file_name.clone() data-testid="export-download">
                        "Download"
                    </a>
                    <span class="export-job__file">{size}</span>
                }
                .into_any()
            }
            JobStatus::Failed => {
                let why = j.error.unwrap_or_else(|| "The export failed.".to_owned());
                view! { <p class="jobs-row__error">{why}</p> }.into_any()
            }
            JobStatus::Cancelled => {
                view! { <p class="muted">"The export was cancelled."</p> }.into_any()
            }
            _ => return None,
        };
        Some(view)
    };
    view! {
        <Show when=move || job.with(Option::is_some)>
            <div class="export-job" data-testid="export-job" aria-live="polite">
                <Show when=move || reused.get()>
                    <p class="export-job__note">"An identical export was already under way: this is it."</p>
                </Show>
                <JobProgress job/>
                {outcome}
                <A href="/jobs" attr:class="export-job__all">"All jobs"</A>
            </div>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::date_problems;

    #[test]
    fn dates_must_be_days_in_order() {
        assert!(date_problems("2026-01-01", "2026-01-31").is_empty());
        assert!(date_problems("2026-01-01", "2026-01-01").is_empty());
        assert_eq!(date_problems("", "2026-01-31").len(), 1);
        assert!(date_problems("2026-02-01", "2026-01-31").contains_key("to"));
    }
}
