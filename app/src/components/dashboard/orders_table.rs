//! The orders table itself: headers (sortable ones are buttons) and cells.

use leptos::prelude::*;

use super::card_parts::EmptyData;
use crate::{
    api::{OrderField, OrderRow, SortColumn},
    components::{
        format::{count, long_date, money},
        skeleton::Skeleton,
    },
};

/// The sort column behind a header, if it can be sorted on.
fn sort_column(field: OrderField) -> Option<SortColumn> {
    match field {
        OrderField::Id => Some(SortColumn::Id),
        OrderField::OrderedAt => Some(SortColumn::OrderedAt),
        OrderField::Total => Some(SortColumn::Total),
        _ => None,
    }
}

fn is_numeric(field: OrderField) -> bool {
    matches!(
        field,
        OrderField::Quantity
            | OrderField::UnitPrice
            | OrderField::UnitCost
            | OrderField::Discount
            | OrderField::Total
    )
}

/// `2025-03-09T14:05:00Z` → `9 Mar 2025 · 14:05`.
fn order_time(text: &str) -> String {
    match (text.get(0..10), text.get(11..16)) {
        (Some(date), Some(time)) => format!("{} · {time}", long_date(date)),
        _ => long_date(text),
    }
}

fn cell(row: &OrderRow, field: OrderField) -> AnyView {
    let text = |value: Option<String>| value.unwrap_or_else(|| "—".to_owned());
    let money_of = |v: Option<f64>| text(v.map(money));
    match field {
        OrderField::Id => view! { <span class="mono">{format!("#{}", row.id)}</span> }.into_any(),
        OrderField::OrderedAt => text(row.ordered_at.as_deref().map(order_time)).into_any(),
        OrderField::CustomerId => {
            view! { <span class="mono">{text(row.customer_id.map(|c| format!("C-{c}")))}</span> }
                .into_any()
        }
        OrderField::Region => text(row.region.clone()).into_any(),
        OrderField::Category => text(row.category.clone()).into_any(),
        OrderField::Product => text(row.product.clone()).into_any(),
        OrderField::Quantity => text(row.quantity.map(|q| count(q as f64))).into_any(),
        OrderField::UnitPrice => money_of(row.unit_price).into_any(),
        OrderField::UnitCost => money_of(row.unit_cost).into_any(),
        OrderField::Discount => money_of(row.discount).into_any(),
        OrderField::Total => view! { <strong>{money_of(row.total)}</strong> }.into_any(),
        OrderField::Status => {
            let status = row.status.clone().unwrap_or_default();
            let tone = status.clone();
            view! { <span class="order-status" data-status=tone>{status}</span> }.into_any()
        }
    }
}

/// One page of orders.
#[component]
pub fn OrdersTable(
    /// The page's rows.
    rows: Vec<OrderRow>,
    /// Columns, in display order.
    fields: Vec<OrderField>,
    /// The sort the rows came in (descending when `true`).
    sort: (SortColumn, bool),
    /// Called when a sortable header is pressed.
    on_sort: Callback<SortColumn>,
) -> impl IntoView {
    if rows.is_empty() {
        return view! { <EmptyData message="No orders match these filters."/> }.into_any();
    }
    let headers = fields
        .iter()
        .map(|&field| {
            let numeric = is_numeric(field);
            match sort_column(field) {
                Some(column) => {
                    let active = sort.0 == column;
                    let aria_sort = match (active, sort.1) {
                        (false, _) => None,
                        (true, true) => Some("descending"),
                        (true, false) => Some("ascending"),
                    };
                    let arrow = match aria_sort {
                        Some("descending") => "↓",
                        Some(_) => "↑",
                        None => "↕",
                    };
                    view! {
                        <th scope="col" class:numeric=numeric aria-sort=aria_sort>
                            <button type="button" class="th-sort" class:th-sort--active=active
                                data-testid=format!("sort-{}", column.code())
                                on:click=move |_| on_sort.run(column)>
                                {field.label()}<span class="th-sort__arrow" aria-hidden="true">{arrow}</span>
                            </button>
                        </th>
                    }
                    .into_any()
                }
                None => view! { <th scope="col" class:numeric=numeric>{field.label()}</th> }.into_any(),
            }
        })
        .collect_view();
    let body = rows
        .iter()
        .map(|row| {
            let cells = fields
                .iter()
                .map(|&field| view! { <td class:numeric=is_numeric(field)>{cell(row, field)}</td> })
                .collect_view();
            view! { <tr>{cells}</tr> }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="table orders">
                <caption class="visually-hidden">"Orders in the selected period; sortable columns have buttons in their headers."</caption>
                <thead><tr>{headers}</tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// Placeholder rows while the first page loads.
#[component]
pub fn TableSkeleton(
    /// How many columns to draw.
    columns: usize,
) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="table orders" aria-hidden="true">
                <tbody>
                    {(0..8).map(|_| view! {
                        <tr>{(0..columns.max(1)).map(|_| view! { <td><Skeleton class="skeleton--cell"/></td> }).collect_view()}</tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
