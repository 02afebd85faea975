//! Revenue by region or by category as horizontal bars with value and share.
//! The resource depends on the filters (and the data version) only.

use leptos::prelude::*;

use super::{
    card_parts::{analytics_content, EmptyData},
    state::use_dashboard,
};
use crate::{
    api::{BreakdownData, Dimension, Metric},
    components::{
        card::LoadingCard,
        format::{money, percent},
        skeleton::Skeleton,
    },
};

/// One breakdown card.
#[component]
pub fn BreakdownCard(
    /// Region or category.
    dimension: Dimension,
) -> impl IntoView {
    let breakdown = use_dashboard().filters_resource(move |client, filters| async move {
        client
            .breakdown(&filters, dimension, Metric::Revenue, 10)
            .await
    });
    let code = dimension.code();
    let title_id = format!("breakdown-{code}-title");
    let title = format!("Revenue by {}", dimension.label().to_lowercase());
    let labelled_by = title_id.clone();
    let content = analytics_content(breakdown, |data| view! { <Bars data/> });

    view! {
        <LoadingCard class="card dash-card" testid=format!("breakdown-{code}") labelled_by busy_bar=true
            fallback=|| view! { <BarsSkeleton/> } content>
            <header class="card__header dash-card__header">
                <h2 id=title_id class="card__title">{title}</h2>
            </header>
        </LoadingCard>
    }
}

#[component]
fn Bars(data: BreakdownData) -> impl IntoView {
    if data.items.is_empty() || data.total == 0.0 {
        return view! { <EmptyData message="No revenue in this period."/> }.into_any();
    }
    let max = data
        .items
        .iter()
        .map(|i| i.value)
        .fold(0.0f64, f64::max)
        .max(f64::EPSILON);
    let rows = data
        .items
        .into_iter()
        .map(|item| {
            let width = (item.value.max(0.0) / max * 100.0).max(0.5);
            let label = format!("{}: {} ({} of total)", item.label, money(item.value), percent(item.share));
            view! {
                <li class="bars__row" data-key=item.key.clone() aria-label=label>
                    <div class="bars__text" aria-hidden="true">
                        <span class="bars__label">{item.label.clone()}</span>
                        <span class="bars__value">{money(item.value)}</span>
                        <span class="bars__share">{percent(item.share)}</span>
                    </div>
                    <svg class="bars__track" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                        <rect class="bars__bg" x="0" y="0" width="100" height="8"/>
                        <rect class="bars__bar" x="0" y="0" width=format!("{width:.2}") height="8"/>
                    </svg>
                </li>
            }
        })
        .collect_view();
    view! {
        <ul class="bars">{rows}</ul>
        <p class="bars__total">"Total "<strong>{money(data.total)}</strong></p>
    }
    .into_any()
}

#[component]
fn BarsSkeleton() -> impl IntoView {
    view! {
        <div class="bars">
            {(0..5).map(|_| view! {
                <div class="bars__row">
                    <Skeleton class="skeleton--label"/>
                    <Skeleton class="skeleton--bar"/>
                </div>
            }).collect_view()}
        </div>
    }
}
