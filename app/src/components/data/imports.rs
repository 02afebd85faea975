//! The past imports, newest first (everyone's for admins): file, who, when,
//! mode, rows, outcome and how long it took. Fetched again after an upload.

use leptos::prelude::*;

use super::use_data_page;
use crate::{
    api::{api_client, ImportStatus, ImportView},
    components::{
        audit::when::{absolute, relative, ticking_clock, unix_millis},
        card::{answer_or_retry, LoadingCard},
        format::{count, duration, file_size},
        icons::Icon,
        skeleton::Skeleton,
    },
};

/// The past imports card.
#[component]
pub fn ImportsCard() -> impl IntoView {
    let page = use_data_page();
    let client = api_client();
    let imports = Resource::new(
        move || page.version.get(),
        move |_| {
            let client = client.clone();
            async move { client.imports().await }
        },
    );
    let now = ticking_clock();
    let content = move || {
        imports.get().map(|answer| {
            answer_or_retry(
                answer,
                move || imports.refetch(),
                move |list| {
                    if list.imports.is_empty() {
                        view! { <NoImports/> }.into_any()
                    } else {
                        view! { <ImportsTable imports=list.imports now/> }.into_any()
                    }
                },
            )
        })
    };
    view! {
        <LoadingCard class="card dash-card data-imports" testid="imports" labelled_by="imports-title" busy_bar=true
            fallback=|| view! { <ImportsSkeleton/> } content>
            <header class="card__header dash-card__header">
                <div>
                    <h2 id="imports-title" class="card__title">"Past imports"</h2>
                    <p class="dash-card__subtitle">"Newest first. A refused file loads nothing."</p>
                </div>
            </header>
        </LoadingCard>
    }
}

#[component]
fn ImportsTable(imports: Vec<ImportView>, now: ReadSignal<i64>) -> impl IntoView {
    let rows = imports
        .into_iter()
        .map(|import| view! { <ImportRow import now/> })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="table data-imports__table" data-testid="imports-table">
                <thead>
                    <tr>
                        <th scope="col">"File"</th>
                        <th scope="col">"By"</th>
                        <th scope="col">"When"</th>
                        <th scope="col">"Mode"</th>
                        <th scope="col" class="numeric">"Rows"</th>
                        <th scope="col">"Outcome"</th>
                        <th scope="col" class="numeric">"Duration"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

#[component]
fn ImportRow(import: ImportView, now: ReadSignal<i64>) -> impl IntoView {
    let created = import.created_at.clone();
    let created_at = unix_millis(&created);
    let took = import
        .finished_at
        .as_deref()
        .and_then(unix_millis)
        .zip(created_at)
        .map_or_else(|| "—".to_owned(), |(end, start)| duration(end - start));
    let rows = count(import.rows as f64);
    let note = outcome_note(&import);
    let size = u64::try_from(import.size_bytes).unwrap_or(0);
    view! {
        <tr class="data-import" data-testid="import-row" data-status=import.status.code()>
            <td class="data-import__file">
                <div class="table__primary data-import__name">{import.file_name.clone()}</div>
                <div class="table__secondary">{file_size(size)}</div>
            </td>
            <td class="data-import__by table__secondary">{import.created_by.clone()}</td>
            <td class="data-import__when">
                <time datetime=created.clone() title=absolute(&created)>
                    {move || created_at.map_or_else(String::new, |at| relative(at, now.get()))}
                </time>
            </td>
            <td class="data-import__mode">{import.mode.label()}</td>
            <td class="numeric data-import__rows">{rows}</td>
            <td class="data-import__outcome">
                <span class="import-status" data-status=import.status.code() data-testid="import-status">
                    {import.status.label()}
                </span>
                {note.map(|text| view! { <p class="data-import__note">{text}</p> })}
            </td>
            <td class="numeric data-import__duration">{took}</td>
        </tr>
    }
}

/// The line under the badge: what was added, or why it was refused.
fn outcome_note(import: &ImportView) -> Option<String> {
    match import.status {
        ImportStatus::Succeeded => Some(format!(
            "{} added · {} replaced",
            count(import.inserted as f64),
            count(import.updated as f64)
        )),
        ImportStatus::Rejected => {
            let found = import.problems.len() as i64 + import.more_problems;
            let noun = if found == 1 { "problem" } else { "problems" };
            Some(
                import
                    .message
                    .clone()
                    .unwrap_or_else(|| format!("{} {noun}", count(found as f64))),
            )
        }
        _ => import.message.clone(),
    }
}

/// No imports yet.
#[component]
fn NoImports() -> impl IntoView {
    view! {
        <div class="jobs-empty" data-testid="imports-empty">
            <div class="empty-state__icon" aria-hidden="true">{Icon::Data.view()}</div>
            <p class="jobs-empty__title">"No imports yet"</p>
            <p class="jobs-empty__text">"Files you upload above are listed here with their outcome."</p>
        </div>
    }
}

/// Grey rows while the list loads.
#[component]
fn ImportsSkeleton() -> impl IntoView {
    view! {
        <div class="audit-skeleton" aria-hidden="true">
            {(0..3).map(|_| view! {
                <div class="audit-skeleton__row">
                    {[(); 4].map(|()| view! { <Skeleton class="skeleton--cell"/> })}
                </div>
            }).collect_view()}
        </div>
    }
}
