//! The orders list: sortable, paged with keyset cursors, columns to choose.
//! The resource depends on filters, sort, columns and the page's cursor.
//!
//! Pages are a stack of cursors tagged with the query they belong to: when
//! filters, sort or columns change, the stack no longer matches and the
//! first page is asked for, in one request (no reset-then-refetch).

use leptos::prelude::*;

use super::{
    card_parts::CardMeta,
    orders_table::{OrdersTable, TableSkeleton},
    query::with_id,
    state::use_dashboard,
};
use crate::{
    api::{
        api_client, ClientError, Envelope, Filters, OrderField, OrdersPage, OrdersQuery, Role,
        SortColumn,
    },
    components::{
        card::{answer_or_retry, LoadingCard},
        controls::dropdown::Dropdown,
        jobs::export::ExportOrders,
    },
    session::use_current_user,
};

/// Rows per page.
const PAGE_SIZE: u32 = 25;

type PageKey = (Filters, (SortColumn, bool), Vec<OrderField>);

/// One page as it was asked for: its columns, its sort and the answer.
type Page = (Vec<OrderField>, (SortColumn, bool), Envelope<OrdersPage>);

/// Cursors of the pages after the first, for one query.
#[derive(Debug, Clone, PartialEq)]
struct Pages {
    key: PageKey,
    cursors: Vec<String>,
}

/// Where the card is in the list: the query's key and its stack of cursors.
#[derive(Debug, Clone, Copy)]
struct Paging {
    key: Memo<PageKey>,
    pages: RwSignal<Option<Pages>>,
    stack: Memo<Vec<String>>,
}

impl Paging {
    fn new() -> Self {
        let dash = use_dashboard();
        let pages = RwSignal::new(None::<Pages>);
        let key = Memo::new(move |_| (dash.filters.get(), dash.sort.get(), dash.fields.get()));
        let stack = Memo::new(move |_| {
            key.with(|key| {
                pages.with(|p| {
                    p.as_ref()
                        .filter(|p| &p.key == key)
                        .map(|p| p.cursors.clone())
                        .unwrap_or_default()
                })
            })
        });
        // Forget the pages of a query that is no longer shown (the cursor is
        // already `None` for it, so this fetches nothing).
        Effect::new(move |_| {
            let current = key.get();
            if pages.with_untracked(|p| p.as_ref().is_some_and(|p| p.key != current)) {
                pages.set(None);
            }
        });
        Self { key, pages, stack }
    }

    /// 1 for the first page.
    fn number(self) -> usize {
        self.stack.with(Vec::len) + 1
    }

    /// Goes to the page after `cursor`.
    fn next(self, cursor: String) {
        let mut cursors = self.stack.get_untracked();
        cursors.push(cursor);
        self.go(cursors);
    }

    /// Goes back one page.
    fn previous(self) {
        let mut cursors = self.stack.get_untracked();
        cursors.pop();
        self.go(cursors);
    }

    fn go(self, cursors: Vec<String>) {
        let key = self.key.get_untracked();
        self.pages.set(Some(Pages { key, cursors }));
    }
}

/// The orders card.
#[component]
pub fn OrdersCard() -> impl IntoView {
    let dash = use_dashboard();
    let client = api_client();
    let paging = Paging::new();
    // Exports are jobs, which analysts and admins run.
    let may_export = use_current_user().may(Some(Role::Analyst));
    let cursor = Memo::new(move |_| paging.stack.with(|s| s.last().cloned()));
    let orders = Resource::new(
        move || (paging.key.get(), cursor.get(), dash.data_version.get()),
        move |((filters, (sort, descending), fields), cursor, _)| {
            let client = client.clone();
            let query = OrdersQuery {
                sort,
                descending,
                limit: PAGE_SIZE,
                cursor,
                fields,
            };
            // The answer carries the columns and sort it was asked with, so
            // the old page keeps its own headers while the next one loads.
            async move {
                let page = client.orders(&filters, &query).await?;
                Ok::<_, ClientError>((query.fields, (query.sort, query.descending), page))
            }
        },
    );
    let content = move || {
        orders.get().map(|answer| {
            answer_or_retry(
                answer,
                move || orders.refetch(),
                |page| view! { <OrdersPageView page paging/> },
            )
        })
    };

    view! {
        <LoadingCard class="card dash-card" testid="orders-table" labelled_by="orders-title" busy_bar=true
            fallback=move || view! { <TableSkeleton columns=dash.fields.get_untracked().len()/> } content>
            <header class="card__header dash-card__header">
                <div>
                    <h2 id="orders-title" class="card__title">"Orders"</h2>
                    <p class="dash-card__subtitle">"Individual orders in the selected period."</p>
                </div>
                <div class="orders-tools">
                    <ColumnChooser/>
                    {may_export.then(|| view! {
                        <ExportOrders period=dash.period filters=dash.filters fields=dash.fields/>
                    })}
                </div>
            </header>
        </LoadingCard>
    }
}

/// One page: the stale-data row, the table and the pager.
#[component]
fn OrdersPageView(page: Page, paging: Paging) -> impl IntoView {
    let dash = use_dashboard();
    let (fields, sort, answer) = page;
    let sort_by = Callback::new(move |column: SortColumn| {
        dash.update(|view| {
            if view.sort == column {
                view.descending = !view.descending;
            } else {
                view.sort = column;
                view.descending = true;
            }
        });
    });
    let next_cursor = answer.data.next_cursor.clone();
    let has_next = next_cursor.is_some();
    let rows = answer.data.items.len();
    view! {
        <CardMeta stale=answer.meta.stale/>
        <OrdersTable rows=answer.data.items fields sort on_sort=sort_by/>
        <nav class="pager" aria-label="Orders pages">
            <button type="button" class="button button--ghost" data-testid="orders-previous"
                disabled=move || paging.number() == 1 on:click=move |_| paging.previous()>
                "← Previous"
            </button>
            <span class="pager__info" data-testid="orders-page" aria-live="polite">
                {format!("Page {}", paging.number())}
                <span class="pager__count">{format!(" · {rows} orders")}</span>
            </span>
            <button type="button" class="button button--ghost" data-testid="orders-next"
                disabled=!has_next
                on:click=move |_| if let Some(c) = next_cursor.clone() { paging.next(c) }>
                "Next →"
            </button>
        </nav>
    }
}

/// The column chooser: a checkbox per column (the order id always shows).
#[component]
fn ColumnChooser() -> impl IntoView {
    let dash = use_dashboard();
    let label = Signal::derive(move || {
        format!(
            "{} of {}",
            dash.fields.with(Vec::len),
            OrderField::ALL.len()
        )
    });
    let toggle = move |field: OrderField| {
        dash.update(|view| {
            let mut fields = view.fields.clone();
            match fields.iter().position(|f| *f == field) {
                Some(at) => {
                    fields.remove(at);
                }
                None => fields.push(field),
            }
            view.fields = with_id(fields);
        });
    };
    view! {
        <div class="column-chooser">
            <span class="column-chooser__label" aria-hidden="true">"Columns"</span>
            <Dropdown label name="Columns" testid="orders-columns" align_right=true>
                <div class="checklist">
                    {OrderField::ALL.iter().map(|&field| view! {
                        <label class="checklist__item">
                            <input type="checkbox" data-testid=format!("column-{}", field.code())
                                disabled=field == OrderField::Id
                                prop:checked=move || dash.fields.with(|f| f.contains(&field))
                                on:change=move |_| toggle(field)/>
                            <span>{field.label()}</span>
                        </label>
                    }).collect_view()}
                </div>
            </Dropdown>
        </div>
    }
}
