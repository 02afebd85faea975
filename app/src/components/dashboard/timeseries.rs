//! The trend chart: revenue (Standard) or revenue, cost and profit
//! (Advanced) per bucket, optionally against the previous period.
//!
//! One resource per metric: revenue depends on filters, granularity and
//! comparison; cost and profit also on the mode (in Standard mode they
//! request nothing). Legend toggles only hide lines, without a request.

use leptos::prelude::*;

use super::{
    card_parts::{CardMeta, EmptyData},
    query::Mode,
    state::{use_dashboard, Dashboard},
};
use crate::{
    api::{api_client, ApiClient, ClientError, Envelope, Metric, TimeseriesData},
    components::{
        card::{CardError, LoadingCard},
        charts::{
            line_chart::{Line, LineChart},
            scale::{bucket_long, bucket_short},
        },
        format::{long_date, money, short_date},
        skeleton::Skeleton,
    },
};

type Answer = Result<Option<Envelope<TimeseriesData>>, ClientError>;

const SERIES: &[(Metric, &str)] = &[
    (Metric::Revenue, "revenue"),
    (Metric::Cost, "cost"),
    (Metric::Profit, "profit"),
];

fn series_resource(dash: Dashboard, client: ApiClient, metric: Metric) -> Resource<Answer> {
    let always = metric == Metric::Revenue;
    Resource::new(
        move || {
            (always || dash.mode.get() == Mode::Advanced).then(|| {
                (
                    dash.filters.get(),
                    dash.granularity.get(),
                    dash.compare.get(),
                    dash.data_version.get(),
                )
            })
        },
        move |key| {
            let client = client.clone();
            async move {
                match key {
                    Some((filters, granularity, compare, _)) => client
                        .timeseries(&filters, metric, granularity, compare)
                        .await
                        .map(Some),
                    None => Ok(None),
                }
            }
        },
    )
}

/// The time-series card.
#[component]
pub fn TimeseriesCard() -> impl IntoView {
    let dash = use_dashboard();
    let client = api_client();
    let resources: Vec<(Metric, &'static str, Resource<Answer>)> = SERIES
        .iter()
        .map(|(metric, key)| {
            (
                *metric,
                *key,
                series_resource(dash, client.clone(), *metric),
            )
        })
        .collect();
    let resources = StoredValue::new(resources);
    let hidden = RwSignal::new(Vec::<Metric>::new());
    let hide_previous = RwSignal::new(false);
    let retry = move || resources.with_value(|r| r.iter().for_each(|(_, _, res)| res.refetch()));

    let content = move || {
        let mut answers = Vec::new();
        for (metric, key, resource) in resources.get_value() {
            match resource.get()? {
                Ok(Some(answer)) => answers.push((metric, key, answer)),
                Ok(None) => {}
                Err(error) => {
                    return Some(view! { <CardError error on_retry=retry/> }.into_any());
                }
            }
        }
        Some(chart_view(answers, hidden.get(), hide_previous.get()).into_any())
    };

    view! {
        <LoadingCard class="card dash-card" testid="timeseries" labelled_by="timeseries-title" busy_bar=true
            fallback=|| view! { <Skeleton class="skeleton--chart"/> } content>
            <header class="card__header dash-card__header">
                <div>
                    <h2 id="timeseries-title" class="card__title">
                        {move || if dash.mode.get() == Mode::Advanced { "Revenue, cost and profit" } else { "Revenue over time" }}
                    </h2>
                    <p class="dash-card__subtitle">{move || format!("By {}", dash.granularity.get().label().to_lowercase())}</p>
                </div>
                <div class="legend" role="group" aria-label="Show or hide series">
                    <Legend hidden hide_previous/>
                </div>
            </header>
        </LoadingCard>
    }
}

/// The legend: a button per series shown (pressed while it is drawn), and
/// one for the previous period when it is compared.
#[component]
fn Legend(hidden: RwSignal<Vec<Metric>>, hide_previous: RwSignal<bool>) -> impl IntoView {
    let dash = use_dashboard();
    move || {
        let advanced = dash.mode.get() == Mode::Advanced;
        let items = SERIES
            .iter()
            .filter(|(metric, _)| advanced || *metric == Metric::Revenue)
            .map(|(metric, key)| {
                let metric = *metric;
                let shown = move || !hidden.with(|h| h.contains(&metric));
                view! {
                    <button type="button" class="legend__item" aria-pressed=move || shown().to_string()
                        data-testid=format!("legend-{key}")
                        on:click=move |_| hidden.update(|h| match h.iter().position(|m| *m == metric) {
                            Some(at) => { h.remove(at); }
                            None => h.push(metric),
                        })>
                        <span class=format!("legend__swatch series--{key}") aria-hidden="true"></span>
                        {metric.label()}
                    </button>
                }
            })
            .collect_view();
        let previous = dash.compare.get().then(|| view! {
            <button type="button" class="legend__item" aria-pressed=move || (!hide_previous.get()).to_string()
                data-testid="legend-previous" on:click=move |_| hide_previous.update(|h| *h = !*h)>
                <span class="legend__swatch legend__swatch--dashed" aria-hidden="true"></span>
                "Previous period"
            </button>
        });
        view! { {items}{previous} }
    }
}

fn chart_view(
    answers: Vec<(Metric, &'static str, Envelope<TimeseriesData>)>,
    hidden: Vec<Metric>,
    hide_previous: bool,
) -> impl IntoView {
    let Some((_, _, first)) = answers.first() else {
        return view! { <EmptyData message="No data for this period."/> }.into_any();
    };
    let data = &first.data;
    if data.points.is_empty() {
        return view! { <EmptyData message="No orders in this period."/> }.into_any();
    }
    let stale = answers.iter().any(|(_, _, a)| a.meta.stale);
    let granularity = data.granularity;
    let labels = data
        .points
        .iter()
        .map(|p| bucket_short(&p.start, granularity))
        .collect();
    let titles = data
        .points
        .iter()
        .map(|p| bucket_long(&p.start, granularity))
        .collect();
    let lines: Vec<Line> = answers
        .iter()
        .filter(|(metric, _, _)| !hidden.contains(metric))
        .map(|(metric, key, answer)| Line {
            key,
            label: metric.label(),
            values: answer.data.points.iter().map(|p| p.value).collect(),
            previous: answer
                .data
                .previous
                .as_ref()
                .filter(|_| !hide_previous)
                .map(|prev| prev.iter().map(|p| p.value).collect()),
            ..Line::default()
        })
        .collect();
    let summary = summary(first, granularity.label());
    view! {
        <CardMeta stale/>
        {if lines.is_empty() {
            view! { <EmptyData message="All series are hidden: pick one in the legend."/> }.into_any()
        } else {
            view! { <LineChart labels titles lines format=money summary/> }.into_any()
        }}
    }
    .into_any()
}

/// E.g. "Revenue by week, 3 Mar – 30 Mar 2025: total $12,345.00, highest $4,000.00 in the week of 10 Mar."
fn summary(answer: &Envelope<TimeseriesData>, granularity: &str) -> String {
    let data = &answer.data;
    let total: f64 = data.points.iter().map(|p| p.value).sum();
    let peak = data
        .points
        .iter()
        .max_by(|a, b| a.value.total_cmp(&b.value))
        .map(|p| {
            format!(
                ", highest {} in the {} of {}",
                money(p.value),
                granularity.to_lowercase(),
                short_date(&p.start)
            )
        })
        .unwrap_or_default();
    format!(
        "{} by {}, {} – {}: total {}{peak}.",
        data.metric.label(),
        granularity.to_lowercase(),
        short_date(&data.period.from),
        long_date(&data.period.to),
        money(total)
    )
}
