//! Revenue by region or by category as horizontal bars with value and share.
//! The resource depends on the filters (and the data version) only.

use leptos::prelude::*;

use super::{
    format::{money, percent},
    state::use_dashboard,
    widget::{EmptyData, LoadingBar, Skeleton, StaleBadge, WidgetError},
};
use crate::api::{api_client, BreakdownData, Dimension, Metric};

/// One breakdown card.
#[component]
pub fn BreakdownCard(
    /// Region or category.
    dimension: Dimension,
) -> impl IntoView {
    let dash = use_dashboard();
    let client = api_client();
    let breakdown = Resource::new(
        move || (dash.filters.get(), dash.data_version.get()),
        move |(filters, _)| {
            let client = client.clone();
            async move {
                client
                    .breakdown(&filters, dimension, Metric::Revenue, 10)
                    .await
            }
        },
    );
    let pending = RwSignal::new(false);
    let code = dimension.code();
    let title_id = format!("breakdown-{code}-title");
    let title = format!("Revenue by {}", dimension.label().to_lowercase());
    let labelled_by = title_id.clone();

    view! {
        <section class="card dash-card" data-testid=format!("breakdown-{code}")
            aria-labelledby=labelled_by aria-busy=move || pending.get().to_string()>
            <LoadingBar pending/>
            <header class="card__header dash-card__header">
                <h2 id=title_id class="card__title">{title}</h2>
            </header>
            <Transition fallback=|| view! { <BarsSkeleton/> } set_pending=pending.write_only()>
                {move || breakdown.get().map(|answer| match answer {
                    Ok(answer) => view! {
                        <div class="dash-card__meta"><StaleBadge stale=answer.meta.stale/></div>
                        <Bars data=answer.data/>
                    }.into_any(),
                    Err(error) => view! { <WidgetError error on_retry=move || breakdown.refetch()/> }.into_any(),
                })}
            </Transition>
        </section>
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
