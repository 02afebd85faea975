//! The "From <service>" card group: the figures of the upstream metrics
//! service (`GET /api/v1/upstream/summary`), how old they are, and a
//! "Stale" badge when the server served its last good answer because the
//! service could not be asked.
//!
//! Hidden entirely when the server has no upstream (404 `not_configured`),
//! and while the first answer loads (so an instance without one never
//! flashes an empty card).

use leptos::prelude::*;

use crate::{
    api::{api_client, UpstreamFigure, UpstreamSummary},
    components::{
        card::CardError,
        format::{compact, grouped},
    },
};

/// The card group, or nothing when no upstream is configured.
#[component]
pub fn UpstreamCards() -> impl IntoView {
    let client = api_client();
    let summary = Resource::new(
        || (),
        move |()| {
            let client = client.clone();
            async move { client.upstream_summary(None).await }
        },
    );
    let content = move || {
        summary.get().map(|answer| match answer {
            Ok(summary) => view! { <UpstreamGroup summary/> }.into_any(),
            Err(error) if error.is_not_configured() => ().into_any(),
            Err(error) => view! {
                <section class="card dash-card upstream" data-testid="upstream-cards"
                    aria-labelledby="upstream-title">
                    <header class="card__header">
                        <h2 id="upstream-title" class="card__title">"Upstream metrics"</h2>
                    </header>
                    <CardError error on_retry=move || summary.refetch()/>
                </section>
            }
            .into_any(),
        })
    };
    view! { <Transition fallback=|| ()>{content}</Transition> }
}

#[component]
fn UpstreamGroup(summary: UpstreamSummary) -> impl IntoView {
    let title = format!("From {}", summary.source);
    let subtitle = format!(
        "Next {} days · {}",
        summary.horizon_days,
        updated_ago(summary.age_seconds)
    );
    let stale = summary
        .stale_reason
        .filter(|_| summary.stale)
        .map(|reason| {
            view! {
                <span class="badge badge--warn" data-testid="upstream-stale"
                    title=format!("{}: these are the last figures received.", reason.label())>
                    "Stale"
                </span>
            }
        });
    let count = summary.figures.len();
    let figures = summary.figures.into_iter().map(figure_card).collect_view();
    let empty =
        (count == 0).then(|| view! { <p class="dash-empty">"The service sent no figures."</p> });
    view! {
        <section class="card dash-card upstream" data-testid="upstream-cards"
            aria-labelledby="upstream-title">
            <header class="card__header dash-card__header">
                <div>
                    <h2 id="upstream-title" class="card__title">{title}</h2>
                    <p class="dash-card__subtitle" data-testid="upstream-age"
                        title=summary.fetched_at>{subtitle}</p>
                </div>
                {stale}
            </header>
            <div class="kpi-grid upstream__grid">{figures}</div>
            {empty}
        </section>
    }
}

fn figure_card(figure: UpstreamFigure) -> impl IntoView {
    let value = figure_value(figure.value);
    let unit = figure
        .unit
        .map(|unit| view! { <span class="upstream__unit">{unit}</span> });
    view! {
        <article class="kpi upstream__figure" data-testid=format!("upstream-{}", figure.key)>
            <h3 class="kpi__label">{figure.label}</h3>
            <p class="kpi__value" title=figure.value.to_string()>{value}{unit}</p>
        </article>
    }
}

/// Large values short (`81.2k`), others with up to two decimals.
fn figure_value(value: f64) -> String {
    if value.abs() >= 1e4 {
        compact(value)
    } else if value.fract() == 0.0 {
        grouped(value, 0)
    } else {
        grouped(value, 2)
    }
}

/// `updated just now`, `updated 2 min ago`, `updated 3 h ago`, `updated 2 d ago`.
pub fn updated_ago(seconds: u64) -> String {
    match seconds {
        0..60 => "updated just now".to_owned(),
        60..3_600 => format!("updated {} min ago", seconds / 60),
        3_600..86_400 => format!("updated {} h ago", seconds / 3_600),
        _ => format!("updated {} d ago", seconds / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_naturally() {
        assert_eq!(updated_ago(5), "updated just now");
        assert_eq!(updated_ago(125), "updated 2 min ago");
        assert_eq!(updated_ago(7_300), "updated 2 h ago");
        assert_eq!(updated_ago(200_000), "updated 2 d ago");
    }

    #[test]
    fn values_are_short_or_exact() {
        assert_eq!(figure_value(81_234.5), "81.2k");
        assert_eq!(figure_value(1_234.0), "1,234");
        assert_eq!(figure_value(0.456), "0.46");
    }
}
