//! KPI cards: value, change against the previous period, and a sparkline.
//! The resource depends on the filters (and the data version) only.

use leptos::prelude::*;

use super::{
    model_accuracy::{accuracy_resource, ModelAccuracyCard},
    query::Mode,
    state::{use_dashboard, Dashboard},
};
use crate::{
    api::{Approximation, ClientError, Kpi, KpisData, ModelAccuracy},
    components::{
        card::{CardError, LoadingCard},
        charts::sparkline::Sparkline,
        format::{count, long_date, money, money_compact, percent, short_date, signed_percent},
        skeleton::Skeleton,
        stale_badge::StaleBadge,
    },
};

#[derive(Clone, Copy)]
enum Unit {
    Money,
    Count,
    Ratio,
}

/// One card's definition.
struct Spec {
    key: &'static str,
    label: &'static str,
    unit: Unit,
    higher_is_better: bool,
    advanced_only: bool,
    pick: fn(&KpisData) -> &Kpi,
}

const SPECS: &[Spec] = &[
    Spec {
        key: "revenue",
        label: "Revenue",
        unit: Unit::Money,
        higher_is_better: true,
        advanced_only: false,
        pick: |d| &d.revenue,
    },
    Spec {
        key: "profit",
        label: "Profit",
        unit: Unit::Money,
        higher_is_better: true,
        advanced_only: false,
        pick: |d| &d.profit,
    },
    Spec {
        key: "margin",
        label: "Margin",
        unit: Unit::Ratio,
        higher_is_better: true,
        advanced_only: false,
        pick: |d| &d.margin,
    },
    Spec {
        key: "orders",
        label: "Orders",
        unit: Unit::Count,
        higher_is_better: true,
        advanced_only: false,
        pick: |d| &d.orders,
    },
    Spec {
        key: "aov",
        label: "Avg. order value",
        unit: Unit::Money,
        higher_is_better: true,
        advanced_only: false,
        pick: |d| &d.aov,
    },
    Spec {
        key: "active_customers",
        label: "Active customers",
        unit: Unit::Count,
        higher_is_better: true,
        advanced_only: false,
        pick: |d| &d.active_customers,
    },
    Spec {
        key: "churn_rate",
        label: "Churn rate",
        unit: Unit::Ratio,
        higher_is_better: false,
        advanced_only: false,
        pick: |d| &d.churn_rate,
    },
    Spec {
        key: "cost",
        label: "Cost",
        unit: Unit::Money,
        higher_is_better: false,
        advanced_only: true,
        pick: |d| &d.cost,
    },
];

impl Unit {
    fn value(self, v: f64) -> String {
        match self {
            Unit::Money if v.abs() >= 100_000.0 => money_compact(v),
            Unit::Money => money(v),
            Unit::Count => count(v),
            Unit::Ratio => percent(v),
        }
    }

    /// How far an estimate may be off: customers, or percentage points.
    fn bound(self, bound: f64) -> String {
        match self {
            Unit::Ratio => format!("±{:.1} pp", bound * 100.0),
            _ => format!("±{}", count(bound)),
        }
    }

    /// The change: relative for amounts, in percentage points for ratios.
    fn delta(self, kpi: &Kpi) -> String {
        match (self, kpi.delta_pct) {
            (Unit::Ratio, _) => {
                let points = kpi.delta * 100.0;
                let sign = if points > 0.0 {
                    "+"
                } else if points < 0.0 {
                    "−"
                } else {
                    ""
                };
                format!("{sign}{:.1} pp", points.abs())
            }
            (_, Some(pct)) => signed_percent(pct),
            (_, None) if kpi.value != 0.0 => "new".to_owned(),
            (_, None) => "no change".to_owned(),
        }
    }
}

/// `good`, `bad` or `flat`, from the change's direction and the metric.
fn tone(delta: f64, higher_is_better: bool) -> &'static str {
    if delta.abs() < 1e-9 {
        "flat"
    } else if (delta > 0.0) == higher_is_better {
        "good"
    } else {
        "bad"
    }
}

/// The KPI cards for the current filters, and the model-accuracy card
/// (its own resource: regions and categories only).
#[component]
pub fn KpiCards() -> impl IntoView {
    let dash = use_dashboard();
    let kpis = dash.filters_resource(|client, filters| async move { client.kpis(&filters).await });
    let accuracy = accuracy_resource(dash);
    // Share the resolved period (the custom range starts from it) and the
    // answer's provenance (the "Data as of" stamp shows it).
    Effect::new(move |_| {
        if let Some(Ok(answer)) = kpis.get() {
            dash.period.set(Some(answer.data.period));
            dash.meta.set(Some(answer.meta));
        }
    });
    let advanced = move || dash.mode.get() == Mode::Advanced;
    let skeletons = move || {
        if dash.mode.get_untracked() == Mode::Advanced {
            9
        } else {
            8
        }
    };
    let content = move || {
        kpis.get().map(|answer| match answer {
            Ok(answer) => {
                let stale = answer.meta.stale;
                view! {
                    <KpiCaption data=answer.data.clone() stale/>
                    <KpiGrid data=answer.data advanced=advanced() accuracy dash/>
                }
                .into_any()
            }
            Err(error) => view! {
                <div class="card"><CardError error on_retry=move || kpis.refetch()/></div>
            }
            .into_any(),
        })
    };

    view! {
        <LoadingCard class="kpis" testid="kpi-cards" labelled_by="kpis-title" busy_bar=true
            fallback=move || view! { <KpiSkeletons count=skeletons()/> } content>
            <h2 id="kpis-title" class="visually-hidden">"Key figures"</h2>
        </LoadingCard>
    }
}

#[component]
fn KpiCaption(data: KpisData, stale: bool) -> impl IntoView {
    let period = format!(
        "{} – {}",
        short_date(&data.period.from),
        long_date(&data.period.to)
    );
    let previous = format!(
        "{} – {}",
        short_date(&data.previous_period.from),
        long_date(&data.previous_period.to)
    );
    view! {
        <p class="kpis__caption">
            <span data-testid="kpi-period">{period}</span>
            <span class="kpis__versus">" compared with "{previous}</span>
            <StaleBadge stale/>
        </p>
    }
}

#[component]
fn KpiGrid(
    data: KpisData,
    advanced: bool,
    accuracy: Resource<Result<ModelAccuracy, ClientError>>,
    dash: Dashboard,
) -> impl IntoView {
    let shown: Vec<&Spec> = SPECS
        .iter()
        .filter(|s| advanced || !s.advanced_only)
        .collect();
    // The KPIs and the model-accuracy card.
    let count = shown.len() + 1;
    let cards = shown
        .into_iter()
        .map(|spec| kpi_card(spec, (spec.pick)(&data).clone(), &data.approximate))
        .collect_view();
    view! {
        <div class="kpi-grid" data-count=count.to_string()>
            {cards}
            <ModelAccuracyCard accuracy dash/>
        </div>
    }
}

fn kpi_card(spec: &'static Spec, kpi: Kpi, approximate: &Approximation) -> impl IntoView {
    let tone = tone(kpi.delta, spec.higher_is_better);
    let arrow = match kpi.delta {
        d if d > 1e-9 => "▲",
        d if d < -1e-9 => "▼",
        _ => "●",
    };
    let direction = match tone {
        "flat" => "unchanged",
        _ if kpi.delta > 0.0 => "up",
        _ => "down",
    };
    let estimated = approximate.fields.iter().any(|f| f == spec.key);
    let bound = approximate
        .bounds
        .get(spec.key)
        .filter(|_| estimated)
        .map(|b| spec.unit.bound(b.value));
    let approx = estimated.then(|| {
        let within = bound.clone().unwrap_or_default();
        let title = format!(
            "Estimate: within {within} of the exact figure (three standard errors of {}). \
             Customer figures are exact while the sets of customers involved are small.",
            approximate.method,
        );
        view! { <abbr class="kpi__approx" title=title.clone() aria-label=title>"≈"</abbr> }
    });
    let bound = bound.map(|text| view! { <span class="kpi__bound">{text}</span> });
    let previous = format!("Previous period: {}", spec.unit.value(kpi.previous));
    view! {
        <article class=format!("kpi kpi--{}", spec.key) data-testid=format!("kpi-{}", spec.key)>
            <h3 class="kpi__label">{spec.label}</h3>
            <p class="kpi__value" data-testid=format!("kpi-value-{}", spec.key)>
                {approx}{spec.unit.value(kpi.value)}{bound}
            </p>
            <p class="kpi__delta" data-tone=tone title=previous.clone()>
                <span class="kpi__arrow" aria-hidden="true">{arrow}</span>
                <span class="visually-hidden">{direction}" "</span>
                {spec.unit.delta(&kpi)}
                <span class="kpi__versus">" vs previous"</span>
            </p>
            <Sparkline values=kpi.spark tone/>
        </article>
    }
}

#[component]
fn KpiSkeletons(count: usize) -> impl IntoView {
    view! {
        <p class="kpis__caption"><Skeleton class="skeleton--text"/></p>
        <div class="kpi-grid" data-count=count.to_string()>
            {(0..count).map(|i| view! {
                <div class=if i == 0 { "kpi kpi--revenue" } else { "kpi" }>
                    <Skeleton class="skeleton--label"/>
                    <Skeleton class="skeleton--value"/>
                    <Skeleton class="skeleton--label"/>
                </div>
            }).collect_view()}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn up_is_good_except_for_cost_and_churn() {
        assert_eq!(tone(5.0, true), "good");
        assert_eq!(tone(-5.0, true), "bad");
        assert_eq!(tone(5.0, false), "bad");
        assert_eq!(tone(-5.0, false), "good");
        assert_eq!(tone(0.0, false), "flat");
        let cost = SPECS.iter().find(|s| s.key == "cost").expect("cost");
        let churn = SPECS.iter().find(|s| s.key == "churn_rate").expect("churn");
        assert!(!cost.higher_is_better && !churn.higher_is_better);
    }

    #[test]
    fn ratios_change_in_points() {
        let kpi = Kpi {
            value: 0.25,
            previous: 0.2,
            delta: 0.05,
            delta_pct: Some(0.25),
            spark: vec![],
        };
        assert_eq!(Unit::Ratio.delta(&kpi), "+5.0 pp");
        assert_eq!(Unit::Money.delta(&kpi), "+25.0%");
        let new = Kpi {
            delta_pct: None,
            ..kpi
        };
        assert_eq!(Unit::Count.delta(&new), "new");
    }
}
