//! The audit table: the first page (rendered on the server), older pages
//! appended on demand, and newer events announced while the page is open
//! ("Show 3 new events") without reloading anything else.

use leptos::prelude::*;

use super::{
    entry_row::EntryRow,
    state::{use_audit, AuditView},
};
use crate::{
    api::{api_client, AuditEntry, AuditPage, ClientError},
    components::{
        admin_users::problem,
        dashboard::widget::{LoadingBar, Skeleton, WidgetError},
        timing::every,
    },
};

/// Rows per page.
const PAGE_SIZE: u32 = 50;
/// How often the server is asked for newer events.
const POLL_MS: u32 = 10_000;
/// At most this many new events are fetched at once; beyond, the list reloads.
const MAX_NEW: u32 = 100;

/// The first page's identity: the filters, and a counter bumped to reload.
type Key = (AuditView, u32);

/// What was loaded after the first page, for one [`Key`].
#[derive(Debug, Clone, Default)]
struct Extra {
    key: Option<Key>,
    /// Shown above the first page, newest first.
    newer: Vec<AuditEntry>,
    /// Shown below it.
    older: Vec<AuditEntry>,
    /// The cursor after `older`, once a page of it was loaded.
    older_cursor: Option<Option<String>>,
    /// Fetched but not shown yet.
    incoming: Vec<AuditEntry>,
    /// More than [`MAX_NEW`] arrived.
    incoming_overflow: bool,
}

impl Extra {
    /// The state for `key`, starting over when it is another one.
    fn for_key(&mut self, key: &Key) -> &mut Self {
        if self.key.as_ref() != Some(key) {
            *self = Extra {
                key: Some(key.clone()),
                ..Extra::default()
            };
        }
        self
    }
}

/// The audit log card.
#[component]
pub fn AuditLog() -> impl IntoView {
    let audit = use_audit();
    let client = api_client();
    let reload = RwSignal::new(0u32);
    let key = Memo::new(move |_| (audit.view.get(), reload.get()));
    let first = Resource::new(
        move || key.get(),
        move |(view, _)| {
            let client = client.clone();
            async move { client.audit_log(&view.page(Some(PAGE_SIZE))).await }
        },
    );
    let extra = RwSignal::new(Extra::default());
    let pending = RwSignal::new(false);

    poll_for_new(key, first, extra);

    let show_new = Callback::new(move |_: leptos::ev::MouseEvent| {
        let key = key.get_untracked();
        if extra.with_untracked(|e| e.key.as_ref() == Some(&key) && e.incoming_overflow) {
            reload.update(|r| *r += 1);
            return;
        }
        extra.update(|e| {
            let e = e.for_key(&key);
            let mut fresh = std::mem::take(&mut e.incoming);
            fresh.append(&mut e.newer);
            e.newer = fresh;
        });
    });

    view! {
        <section class="card audit-card" data-testid="audit-log" aria-labelledby="audit-title"
            aria-busy=move || pending.get().to_string()>
            <LoadingBar pending/>
            <header class="card__header audit-card__header">
                <div>
                    <h2 id="audit-title" class="card__title">"Events"</h2>
                    <p class="dash-card__subtitle">"Newest first. Select a row for its details."</p>
                </div>
                <div class="audit-live" title="Checks for new events every 10 seconds">
                    <span class="audit-live__dot" aria-hidden="true"></span>
                    "Live"
                </div>
            </header>
            <NewEventsButton key extra on_click=show_new/>
            <Transition fallback=|| view! { <AuditSkeleton/> } set_pending=pending.write_only()>
                {move || first.get().map(|answer| match answer {
                    Ok(page) => view! { <Rows page key extra/> }.into_any(),
                    Err(error) => view! { <WidgetError error on_retry=move || first.refetch()/> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

/// Every `POLL_MS` while the tab is visible, asks for events newer than the
/// newest one shown and keeps them in `incoming`.
fn poll_for_new(
    key: Memo<Key>,
    first: Resource<Result<AuditPage, ClientError>>,
    extra: RwSignal<Extra>,
) {
    let client = api_client();
    let busy = StoredValue::new(false);
    every(POLL_MS, move || {
        #[cfg(feature = "hydrate")]
        if document().hidden() {
            return;
        }
        if busy.get_value() {
            return;
        }
        let key = key.get_untracked();
        let Some(Ok(page)) = first.get_untracked() else {
            return;
        };
        let newest = extra
            .with_untracked(|e| {
                (e.key.as_ref() == Some(&key)).then(|| e.newer.first().map(|r| r.id))
            })
            .flatten()
            .or_else(|| page.entries.first().map(|r| r.id))
            .unwrap_or(0);
        let mut query = key.0.page(Some(MAX_NEW));
        query.after = Some(newest);
        let client = client.clone();
        busy.set_value(true);
        leptos::task::spawn_local(async move {
            // A failed check is not worth a message: the next one retries.
            if let Ok(found) = client.audit_log(&query).await {
                extra.update(|e| {
                    let e = e.for_key(&key);
                    e.incoming_overflow = found.next_cursor.is_some();
                    e.incoming = found.entries;
                });
            }
            busy.set_value(false);
        });
    });
}

/// "Show 3 new events", when there are some.
#[component]
fn NewEventsButton(
    key: Memo<Key>,
    extra: RwSignal<Extra>,
    on_click: Callback<leptos::ev::MouseEvent>,
) -> impl IntoView {
    let count = Memo::new(move |_| {
        let key = key.get();
        extra.with(|e| {
            if e.key.as_ref() != Some(&key) {
                return None;
            }
            match e.incoming.len() {
                0 => None,
                n if e.incoming_overflow => Some(format!("Show {n}+ new events")),
                1 => Some("Show 1 new event".to_owned()),
                n => Some(format!("Show {n} new events")),
            }
        })
    });
    view! {
        <Show when=move || count.with(Option::is_some)>
            <button type="button" class="audit-new" data-testid="audit-new-events" on:click=move |e| on_click.run(e)>
                <span aria-hidden="true">"↑ "</span>
                {move || count.get().unwrap_or_default()}
            </button>
        </Show>
    }
}

/// The table rows (newer, first page, older) and the "Load older" button.
#[component]
fn Rows(page: AuditPage, key: Memo<Key>, extra: RwSignal<Extra>) -> impl IntoView {
    let client = api_client();
    let first_cursor = page.next_cursor.clone();
    let first_rows = page.entries;
    let loading = RwSignal::new(false);
    let older_error = RwSignal::new(None::<String>);
    let this_key = move |e: &Extra| e.key.as_ref() == Some(&key.get());
    let newer = move || {
        extra.with(|e| {
            if this_key(e) {
                e.newer.clone()
            } else {
                Vec::new()
            }
        })
    };
    let older = move || {
        extra.with(|e| {
            if this_key(e) {
                e.older.clone()
            } else {
                Vec::new()
            }
        })
    };
    let cursor = {
        let first_cursor = first_cursor.clone();
        move || {
            extra.with(|e| match (this_key(e), &e.older_cursor) {
                (true, Some(cursor)) => cursor.clone(),
                _ => first_cursor.clone(),
            })
        }
    };
    let cursor = Memo::new(move |_| cursor());
    let load_older = move |_| {
        let Some(next) = cursor.get_untracked() else {
            return;
        };
        let key = key.get_untracked();
        let mut query = key.0.page(Some(PAGE_SIZE));
        query.cursor = Some(next);
        let client = client.clone();
        loading.set(true);
        older_error.set(None);
        leptos::task::spawn_local(async move {
            match client.audit_log(&query).await {
                Ok(page) => extra.update(|e| {
                    let e = e.for_key(&key);
                    e.older.extend(page.entries);
                    e.older_cursor = Some(page.next_cursor);
                }),
                Err(error) => older_error.set(Some(problem(&error))),
            }
            loading.set(false);
        });
    };
    let empty = first_rows.is_empty();
    let first_len = first_rows.len();
    let shown = move || newer().len() + first_len + older().len();

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
        <nav class="pager" aria-label="Audit log pages">
            <span class="pager__info" data-testid="audit-count" aria-live="polite">
                {move || match shown() {
                    1 => "1 event shown".to_owned(),
                    n => format!("{n} events shown"),
                }}
            </span>
            <Show when=move || older_error.get().is_some()>
                <span class="form__error">{move || older_error.get()}</span>
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
            <Show when=move || audit.view.with(AuditView::is_filtered)>
                <button type="button" class="button button--ghost"
                    on:click=move |_| audit.update(|v| *v = AuditView::default())>
                    "Clear filters"
                </button>
            </Show>
        </div>
    }
}

/// Grey rows while the first page loads.
#[component]
fn AuditSkeleton() -> impl IntoView {
    view! {
        <div class="audit-skeleton" aria-hidden="true">
            {(0..8).map(|_| view! {
                <div class="audit-skeleton__row">
                    <Skeleton class="skeleton--cell"/>
                    <Skeleton class="skeleton--cell"/>
                    <Skeleton class="skeleton--cell"/>
                    <Skeleton class="skeleton--cell"/>
                </div>
            }).collect_view()}
        </div>
    }
}
