//! The audit log card: the first page (rendered on the server; the table
//! and its older pages are [`super::table`]'s), and newer events announced
//! while the page is open ("Show 3 new events") without reloading anything
//! else.

use leptos::prelude::*;

use super::{
    state::{page, use_audit, AuditView},
    table::Rows,
};
use crate::{
    api::{api_client, AuditEntry, AuditPage, AuditQuery, ClientError},
    components::{
        api_action::api_action,
        card::{answer_or_retry, LoadingCard},
        skeleton::Skeleton,
        timing::every,
    },
};

/// Rows per page.
pub(super) const PAGE_SIZE: u32 = 50;
/// How often the server is asked for newer events.
const POLL_MS: u32 = 10_000;
/// At most this many new events are fetched at once; beyond, the list reloads.
const MAX_NEW: u32 = 100;

/// The first page's identity: the filters, and a counter bumped to reload.
pub type Key = (AuditView, u32);

/// What was loaded after the first page, for one [`Key`].
#[derive(Debug, Clone, Default)]
pub struct Extra {
    pub(super) key: Option<Key>,
    /// Shown above the first page, newest first.
    pub(super) newer: Vec<AuditEntry>,
    /// Shown below it.
    pub(super) older: Vec<AuditEntry>,
    /// The cursor after `older`, once a page of it was loaded.
    pub(super) older_cursor: Option<Option<String>>,
    /// Fetched but not shown yet.
    incoming: Vec<AuditEntry>,
    /// More than [`MAX_NEW`] arrived.
    incoming_overflow: bool,
}

impl Extra {
    /// The state for `key`, starting over when it is another one.
    pub(super) fn for_key(&mut self, key: &Key) -> &mut Self {
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
            async move { client.audit_log(&page(&view, Some(PAGE_SIZE))).await }
        },
    );
    let extra = RwSignal::new(Extra::default());

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

    let content = move || {
        first.get().map(|answer| {
            answer_or_retry(
                answer,
                move || first.refetch(),
                |page| view! { <Rows page key extra/> },
            )
        })
    };

    view! {
        <LoadingCard class="card audit-card" testid="audit-log" labelled_by="audit-title" busy_bar=true
            fallback=|| view! { <AuditSkeleton/> } content>
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
        </LoadingCard>
    }
}

/// Every `POLL_MS` while the tab is visible, asks for events newer than the
/// newest one shown and keeps them in `incoming`.
fn poll_for_new(
    key: Memo<Key>,
    first: Resource<Result<AuditPage, ClientError>>,
    extra: RwSignal<Extra>,
) {
    let check = api_action(move |client, (key, query): (Key, AuditQuery)| async move {
        // A failed check is not worth a message: the next one retries.
        if let Ok(found) = client.audit_log(&query).await {
            extra.update(|e| {
                let e = e.for_key(&key);
                e.incoming_overflow = found.next_cursor.is_some();
                e.incoming = found.entries;
            });
        }
    });
    let checking = check.pending();
    every(POLL_MS, move || {
        #[cfg(feature = "hydrate")]
        if document().hidden() {
            return;
        }
        if checking.get_untracked() {
            return;
        }
        let key = key.get_untracked();
        let Some(Ok(first_page)) = first.get_untracked() else {
            return;
        };
        let newest = extra
            .with_untracked(|e| {
                (e.key.as_ref() == Some(&key)).then(|| e.newer.first().map(|r| r.id))
            })
            .flatten()
            .or_else(|| first_page.entries.first().map(|r| r.id))
            .unwrap_or(0);
        let mut query = page(&key.0, Some(MAX_NEW));
        query.after = Some(newest);
        check.dispatch((key, query));
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

/// Grey rows while the first page loads.
#[component]
fn AuditSkeleton() -> impl IntoView {
    view! {
        <div class="audit-skeleton" aria-hidden="true">
            {(0..8).map(|_| view! {
                <div class="audit-skeleton__row">
                    {[(); 4].map(|()| view! { <Skeleton class="skeleton--cell"/> })}
                </div>
            }).collect_view()}
        </div>
    }
}
