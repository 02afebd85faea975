//! The cohort view (Advanced mode): active vs churned customers per month,
//! as grouped SVG bars. Its resource depends on the filters only (months are
//! fixed, so the granularity switch does not touch it).

use leptos::prelude::*;

use super::{
    card_parts::{analytics_content, EmptyData},
    state::use_dashboard,
};
use crate::{
    api::{CustomerPoint, CustomersData, Granularity},
    components::{
        card::LoadingCard,
        charts::{
            frame::{chart_frame, tooltip_side, Frame, W},
            scale::{label_indices, Scale},
        },
        format::{count, month_label},
        skeleton::Skeleton,
    },
};

const H: f64 = 240.0;

/// The customers card.
#[component]
pub fn CustomersCard() -> impl IntoView {
    let customers = use_dashboard().filters_resource(|client, filters| async move {
        client.customers(&filters, Granularity::Month).await
    });
    let content = analytics_content(customers, |data| view! { <CohortBars data/> });
    view! {
        <LoadingCard class="card dash-card" testid="customers-chart" labelled_by="customers-title" busy_bar=true
            fallback=|| view! { <Skeleton class="skeleton--chart"/> } content>
            <header class="card__header dash-card__header">
                <div>
                    <h2 id="customers-title" class="card__title">"Customers by month"</h2>
                    <p class="dash-card__subtitle">"Active customers, and customers active the month before who placed no order this month."</p>
                </div>
                <div class="legend" aria-hidden="true">
                    <span class="legend__item legend__item--static"><span class="legend__swatch series--active"></span>"Active"</span>
                    <span class="legend__item legend__item--static"><span class="legend__swatch series--churned"></span>"Churned"</span>
                </div>
            </header>
        </LoadingCard>
    }
}

#[component]
fn CohortBars(data: CustomersData) -> impl IntoView {
    let n = data.points.len();
    if n == 0 {
        return view! { <EmptyData message="No customers in this period."/> }.into_any();
    }
    let hi = data
        .points
        .iter()
        .map(|p| p.active.max(p.churned))
        .fold(0.0, f64::max);
    let scale = Scale::nice(0.0, hi, 4);
    let hover = RwSignal::new(None::<usize>);
    let bars = cohort_marks(&data.points, &scale, hover);
    let x_labels = label_indices(n, 8)
        .into_iter()
        .map(|i| {
            (
                (i as f64 + 0.5) / n as f64 * 100.0,
                month_label(&data.points[i].start),
            )
        })
        .collect();
    let total_active: f64 = data.points.iter().map(|p| p.active).sum();
    let total_churned: f64 = data.points.iter().map(|p| p.churned).sum();
    let summary = format!(
        "Customers per month over {n} months: {} active and {} churned customer-months in all.",
        count(total_active),
        count(total_churned)
    );
    let tooltip = view! { <CohortTooltip points=data.points.clone() hover/> };
    let note = if data.approximate.fields.is_empty() {
        "Counts are exact.".to_owned()
    } else {
        let widest = data
            .points
            .iter()
            .map(|p| p.active_bound.max(p.churned_bound))
            .fold(0.0, f64::max);
        format!(
            "≈ Some counts are estimated with {} (standard error ±{:.1}%), each within ±{} \
             customers; months with few customers are exact.",
            data.approximate.method,
            data.approximate.standard_error * 100.0,
            count(widest)
        )
    };
    let frame = Frame {
        scale,
        height: H,
        x_labels,
        summary,
        bucket: "month",
        buckets: n,
        hover,
    };
    view! {
        {chart_frame(frame, "chart--bars", bars, tooltip)}
        <p class="dash-footnote">{note}</p>
    }
    .into_any()
}

/// Two bars per month (active, churned) and a band highlighting the month
/// under the pointer.
fn cohort_marks(
    points: &[CustomerPoint],
    scale: &Scale,
    hover: RwSignal<Option<usize>>,
) -> impl IntoView {
    let slot = W / points.len() as f64;
    let bar = (slot * 0.34).min(60.0);
    let (min, max) = (scale.min, scale.max);
    let y = move |v: f64| H - (v - min) / (max - min) * H;
    points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let centre = slot * (i as f64 + 0.5);
            view! {
                <rect class="cohort__bar series--active" class:cohort__bar--dim=move || hover.get().is_some_and(|h| h != i)
                    x=centre - bar - 2.0 y=y(p.active) width=bar height=H - y(p.active)/>
                <rect class="cohort__bar series--churned" class:cohort__bar--dim=move || hover.get().is_some_and(|h| h != i)
                    x=centre + 2.0 y=y(p.churned) width=bar height=H - y(p.churned)/>
                <rect class="chart__hit" x=slot * i as f64 y="0" width=slot height=H
                    on:pointerenter=move |_| hover.set(Some(i)) on:pointermove=move |_| hover.set(Some(i))/>
            }
        })
        .collect_view()
}

/// The highlighted month's counts.
#[component]
fn CohortTooltip(points: Vec<CustomerPoint>, hover: RwSignal<Option<usize>>) -> impl IntoView {
    let n = points.len();
    move || {
        hover.get().and_then(|i| points.get(i).map(|p| (i, p.clone()))).map(|(i, p)| {
            let left = (i as f64 + 0.5) / n as f64 * 100.0;
            let side = tooltip_side(left);
            view! {
                <div class="chart__tooltip" style=side role="status">
                    <div class="chart__tip-title">{month_label(&p.start)}</div>
                    <div class="chart__tip-row"><span class="chart__swatch series--active"></span>
                        <span class="chart__tip-label">"Active"</span><strong class="chart__tip-value">{count(p.active)}</strong></div>
                    <div class="chart__tip-row"><span class="chart__swatch series--churned"></span>
                        <span class="chart__tip-label">"Churned"</span><strong class="chart__tip-value">{count(p.churned)}</strong></div>
                </div>
            }
        })
    }
}
