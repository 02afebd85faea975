//! The audit event table: the events that arrived while the page was open,
//! the first page, older pages loaded on demand with the pager's "Load
//! older" button, and what shows when nothing matches.

use leptos::prelude::*;

use super::{
    entry_row::EntryRow,
    log::{Extra, Key, PAGE_SIZE},
    state::{is_filtered, page, use_audit, AuditView},
};
use crate::{
    api::{AuditEntry, AuditPage, AuditQuery, ClientError},
    components::{api_action::api_action, error_text::problem_text},
};

/// The table rows (newer, first page, older) and the pager.
#[component]
pub(super) fn Rows(
    /// The first page.
    page: AuditPage,
    /// The first page's identity.
    key: Memo<Key>,
    /// What was loaded after the first page.
    extra: RwSignal<Extra>,
) -> impl IntoView {
    let first_cursor = page.next_cursor.clone();
    let first_rows = page.entries;
    let this_key = move |e: &Extra| e.key.as_ref() == Some(&key.get());
    // The newer or older rows loaded for this first page (none for another).
    let loaded = move |rows: fn(&Extra) -> &Vec<AuditEntry>| {
        move || {
            extra.with(|e| {
                if this_key(e) {
                    rows(e).clone()
                } else {
                    Vec::new()
                }
            })
        }
    };
    let newer = loaded(|e| &e.newer);
    let older = loaded(|e| &e.older);
    let cursor = Memo::new(move |_| {
        extra.with(|e| match (this_key(e), &e.older_cursor) {
            (true, Some(cursor)) => cursor.clone(),
            _ => first_cursor.clone(),
        })
    });
    let empty = first_rows.is_empty();
    let first_len = first_rows.len();
    let shown = Signal::derive(move || newer().len() + first_len + older().len());

    view! {
        {empty.then(|| view! { <EmptyLog/> })}
        <div class="table-wrap audit-table-wrap" class:audit-table-wrap--empty=empty>
            <table class="table audit-table">
                <thead>
                    <tr>
                        <th scope="col">"Time"</th>
                        <th scope="col">"Who"</th>
                        <th scope="col">"Action"</th>
                        <th scope="col">"Outcome"</th>
                        <th scope="col" class="audit-col--client">"Client"</th>
                        <th scope="col"><span class="visually-hidden">"Details"</span></th>
                    </tr>
                </thead>
                <tbody>
                    <For each=newer key=|entry| entry.id let:entry>
                        <EntryRow entry fresh=true/>
                    </For>
                    {first_rows.into_iter().map(|entry| view! { <EntryRow entry/> }).collect_view()}
                    <For each=older key=|entry| entry.id let:entry>
                        <EntryRow entry/>
                    </For>
                </tbody>
            </table>
        </div>
        <OlderPager key extra cursor shown/>
    }
}

/// How many events are shown, and the "Load older" button.
#[component]
fn OlderPager(
    key: Memo<Key>,
    extra: RwSignal<Extra>,
    cursor: Memo<Option<String>>,
    shown: Signal<usize>,
) -> impl IntoView {
    let load = api_action(move |client, (key, query): (Key, AuditQuery)| async move {
        let older = client.audit_log(&query).await?;
        extra.update(|e| {
            let e = e.for_key(&key);
            e.older.extend(older.entries);
            e.older_cursor = Some(older.next_cursor);
        });
        Ok::<_, ClientError>(())
    });
    let loading = load.pending();
    let error = problem_text(load);
    let load_older = move |_| {
        let Some(next) = cursor.get_untracked() else {
            return;
        };
        let key = key.get_untracked();
        let mut query = page(&key.0, Some(PAGE_SIZE));
        query.cursor = Some(next);
        load.dispatch((key, query));
    };

    view! {
        <nav class="pager" aria-label="Audit log pages">
            <span class="pager__info" data-testid="audit-count" aria-live="polite">
                {move || match shown.get() {
                    1 => "1 event shown".to_owned(),
                    n => format!("{n} events shown"),
                }}
            </span>
            <Show when=move || error.with(Option::is_some)>
                <span class="form__error">{move || error.get()}</span>
            </Show>
            <button type="button" class="button button--ghost" data-testid="audit-older"
                disabled=move || loading.get() || cursor.with(Option::is_none)
                on:click=load_older>
                {move || if loading.get() { "Loading…" } else if cursor.with(Option::is_none) { "No older events" } else { "Load older" }}
            </button>
        </nav>
    }
}

/// Shown when nothing matches.
#[component]
fn EmptyLog() -> impl IntoView {
    let audit = use_audit();
    view! {
        <div class="audit-empty" data-testid="audit-empty">
            <p class="audit-empty__title">"No events match these filters."</p>
            <Show when=move || audit.view.with(is_filtered)>
                <button type="button" class="button button--ghost"
                    on:click=move |_| audit.update(|v| *v = AuditView::default())>
                    "Clear filters"
                </button>
            </Show>
        </div>
    }
}
