//! The orders list: sortable, paged with keyset cursors, columns to choose.
//! The resource depends on filters, sort, columns and the page's cursor.
//!
//! Pages are a stack of cursors tagged with the query they belong to: when
//! filters, sort or columns change, the stack no longer matches and the
//! first page is asked for, in one request (no reset-then-refetch).

use leptos::prelude::*;

use super::{
    dropdown::Dropdown,
    orders_table::{OrdersTable, TableSkeleton},
    query::with_id,
    state::use_dashboard,
    widget::{LoadingBar, StaleBadge, WidgetError},
};
use crate::api::{api_client, ClientError, Filters, OrderField, OrdersQuery, SortColumn};

/// Rows per page.
const PAGE_SIZE: u32 = 25;

type PageKey = (Filters, (SortColumn, bool), Vec<OrderField>);

/// Cursors of the pages after the first, for one query.
#[derive(Debug, Clone, PartialEq)]
struct Pages {
    key: PageKey,
    cursors: Vec<String>,
}

/// The orders card.
#[component]
pub fn OrdersCard() -> impl IntoView {
    let dash = use_dashboard();
    let client = api_client();
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
    let cursor = Memo::new(move |_| stack.with(|s| s.last().cloned()));
    // Forget the pages of a query that is no longer shown (the cursor is
    // already `None` for it, so this fetches nothing).
    Effect::new(move |_| {
        let current = key.get();
        if pages.with_untracked(|p| p.as_ref().is_some_and(|p| p.key != current)) {
            pages.set(None);
        }
    });
    let orders = Resource::new(
        move || (key.get(), cursor.get(), dash.data_version.get()),
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
    let pending = RwSignal::new(false);
    let page_number = move || stack.with(Vec::len) + 1;

    let next = move |cursor: String| {
        let key = key.get_untracked();
        let mut cursors = stack.get_untracked();
        cursors.push(cursor);
        pages.set(Some(Pages { key, cursors }));
    };
    let previous = move || {
        let key = key.get_untracked();
        let mut cursors = stack.get_untracked();
        cursors.pop();
        pages.set(Some(Pages { key, cursors }));
    };
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

    view! {
        <section class="card dash-card" data-testid="orders-table" aria-labelledby="orders-title"
            aria-busy=move || pending.get().to_string()>
            <LoadingBar pending/>
            <header class="card__header dash-card__header">
                <div>
                    <h2 id="orders-title" class="card__title">"Orders"</h2>
                    <p class="dash-card__subtitle">"Individual orders in the selected period."</p>
                </div>
                <ColumnChooser/>
            </header>
            <Transition fallback=move || view! { <TableSkeleton columns=dash.fields.get_untracked().len()/> }
                set_pending=pending.write_only()>
                {move || orders.get().map(|answer| match answer {
                    Ok((fields, sort, answer)) => {
                        let next_cursor = answer.data.next_cursor.clone();
                        let has_next = next_cursor.is_some();
                        let rows = answer.data.items.len();
                        view! {
                            <div class="dash-card__meta"><StaleBadge stale=answer.meta.stale/></div>
                            <OrdersTable rows=answer.data.items fields sort on_sort=sort_by/>
                            <nav class="pager" aria-label="Orders pages">
                                <button type="button" class="button button--ghost" data-testid="orders-previous"
                                    disabled=move || page_number() == 1 on:click=move |_| previous()>
                                    "← Previous"
                                </button>
                                <span class="pager__info" data-testid="orders-page" aria-live="polite">
                                    {format!("Page {}", page_number())}
                                    <span class="pager__count">{format!(" · {rows} orders")}</span>
                                </span>
                                <button type="button" class="button button--ghost" data-testid="orders-next"
                                    disabled=!has_next
                                    on:click=move |_| if let Some(c) = next_cursor.clone() { next(c) }>
                                    "Next →"
                                </button>
                            </nav>
                        }.into_any()
                    }
                    Err(error) => view! { <WidgetError error on_retry=move || orders.refetch()/> }.into_any(),
                })}
            </Transition>
        </section>
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
