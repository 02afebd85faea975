//! A finished forecast: the figures that say how good it is (the backtest's
//! accuracy and the interval's coverage), the last forecast day, the chart,
//! and the model with its parameters.

use leptos::prelude::*;

use super::chart::{interval_label, value_format, ForecastChart};
use crate::{
    api::{ForecastResult, ModelInfo},
    components::format::{duration, grouped, long_date},
};

/// The result, top to bottom.
#[component]
pub fn ForecastResultView(
    /// The finished forecast.
    result: ForecastResult,
) -> impl IntoView {
    view! {
        <ForecastFigures result=result.clone()/>
        <ForecastChart result=result.clone()/>
        <ModelCard result/>
    }
}

/// One figure, drawn like the dashboard's KPI cards.
#[component]
fn Figure(
    label: &'static str,
    value: String,
    note: String,
    testid: &'static str,
    #[prop(optional)] key: &'static str,
) -> impl IntoView {
    view! {
        <article class=format!("kpi forecast-figure {key}") data-testid=testid>
            <h3 class="kpi__label">{label}</h3>
            <p class="kpi__value" data-testid=format!("{testid}-value")>{value}</p>
            <p class="kpi__delta forecast-figure__note" data-tone="flat">{note}</p>
        </article>
    }
}

#[component]
fn ForecastFigures(result: ForecastResult) -> impl IntoView {
    let backtest = &result.backtest;
    let params = &result.params;
    let band = interval_label(params.confidence);
    let held_out = backtest.points.len();
    let format = value_format(params.target_metric);
    let last = result.forecast.last().map(|p| {
        (
            format(p.forecast.unwrap_or_default()),
            format!(
                "{}, {band} {} – {}",
                long_date(&p.day),
                format(p.lower.unwrap_or_default()),
                format(p.upper.unwrap_or_default())
            ),
        )
    });
    let (last_value, last_note) = last.unwrap_or_else(|| ("—".to_owned(), String::new()));
    let fitted = duration(result.fit_ms.round() as i64);
    let model_note = match result.model.candidates.len() {
        0 | 1 => format!("Fitted in {fitted}"),
        n => format!("Best of {n} by AICc, fitted in {fitted}"),
    };
    view! {
        <div class="kpi-grid forecast-figures" data-count="4">
            <Figure label="Backtest accuracy" testid="forecast-accuracy" key="forecast-figure--lead"
                value=backtest.accuracy.map_or_else(|| "—".to_owned(), |a| format!("{a:.1}%"))
                note=backtest.mape.map_or_else(
                    || format!("Not defined: all of the last {held_out} days were zero"),
                    |mape| format!("MAPE {mape:.1}% over the last {held_out} days of history"),
                )/>
            <Figure label="Interval coverage" testid="forecast-coverage"
                value=format!("{:.0}%", backtest.coverage)
                note=format!("of those days fell inside the {band}")/>
            <Figure label=last_label(params.horizon_days) testid="forecast-last" value=last_value note=last_note/>
            <Figure label="Model" testid="forecast-model" value=result.model.name.clone()
                note=model_note/>
        </div>
    }
}

fn last_label(horizon: u32) -> &'static str {
    match horizon {
        7 => "In 7 days",
        14 => "In 14 days",
        30 => "In 30 days",
        60 => "In 60 days",
        90 => "In 90 days",
        _ => "On the last forecast day",
    }
}

/// The model's name in words, e.g. `ETS(A,Ad,A)` → "additive errors,
/// damped additive trend, additive season"; `None` for another notation.
pub fn model_in_words(name: &str) -> Option<String> {
    let inner = name.strip_prefix("ETS(")?.strip_suffix(')')?;
    let parts: Vec<&str> = inner.split(',').map(str::trim).collect();
    let [error, trend, season] = parts.as_slice() else {
        return None;
    };
    let error = match *error {
        "A" => "additive errors",
        "M" => "multiplicative errors",
        _ => return None,
    };
    let trend = match *trend {
        "N" => "no trend",
        "A" => "additive trend",
        "Ad" => "damped additive trend",
        "M" => "multiplicative trend",
        "Md" => "damped multiplicative trend",
        _ => return None,
    };
    let season = match *season {
        "N" => "no season",
        "A" => "additive season",
        "M" => "multiplicative season",
        _ => return None,
    };
    Some(format!("{error}, {trend}, {season}"))
}

/// A smoothing parameter, or a dash with why there is none.
fn parameter(value: Option<f64>, absent: &'static str) -> String {
    value.map_or_else(|| format!("— ({absent})"), |v| format!("{v:.3}"))
}

/// The models compared, best first with how far each is behind; nothing
/// when the result lists none.
fn candidates_table(candidates: Vec<(String, f64)>, aicc: f64) -> Option<impl IntoView> {
    if candidates.is_empty() {
        return None;
    }
    let best = candidates.first().map_or(aicc, |(_, a)| *a);
    let rows = candidates
        .into_iter()
        .take(6)
        .enumerate()
        .map(|(i, (candidate, score))| {
            let delta = if i == 0 {
                "best".to_owned()
            } else {
                format!("+{}", grouped(score - best, 1))
            };
            view! {
                <tr class:forecast-candidates__best=i == 0>
                    <td class="mono">{candidate}</td>
                    <td class="numeric">{grouped(score, 1)}</td>
                    <td class="numeric">{delta}</td>
                </tr>
            }
        })
        .collect_view();
    Some(view! {
        <div class="table-wrap">
            <table class="table forecast-candidates">
                <caption class="visually-hidden">"Models compared, best first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Candidate"</th>
                        <th scope="col" class="numeric">"AICc"</th>
                        <th scope="col" class="numeric">"Δ"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    })
}

/// The model card: what it is, its parameters and the candidates it beat.
#[component]
fn ModelCard(result: ForecastResult) -> impl IntoView {
    let ModelInfo {
        name,
        period,
        alpha,
        beta,
        gamma,
        phi,
        aicc,
        candidates,
    } = result.model;
    let words =
        model_in_words(&name).map(|w| view! { <span class="forecast-model__words">{w}</span> });
    let season = if result.params.include_weekends {
        format!("{period} days (weekly)")
    } else {
        format!("{period} weekdays (weekly)")
    };
    let facts = [
        ("α · level smoothing", format!("{alpha:.3}")),
        ("β · trend smoothing", parameter(beta, "no trend")),
        ("γ · season smoothing", parameter(gamma, "no season")),
        ("φ · trend damping", parameter(phi, "not damped")),
        ("Season length", season),
        ("AICc", grouped(aicc, 1)),
    ];
    let body_class = if candidates.is_empty() {
        "forecast-model__body forecast-model__body--single"
    } else {
        "forecast-model__body"
    };
    let compared = candidates_table(candidates, aicc);
    view! {
        <section class="card dash-card forecast-model" data-testid="forecast-model-card" aria-labelledby="forecast-model-title">
            <header class="card__header dash-card__header">
                <div>
                    <h2 id="forecast-model-title" class="card__title">"Model and parameters"</h2>
                    <p class="dash-card__subtitle">
                        "Exponential smoothing (ETS): the candidate with the lowest AICc wins."
                    </p>
                </div>
            </header>
            <div class=body_class>
                <div>
                    <p class="forecast-model__name"><strong data-testid="forecast-model-name">{name}</strong>{words}</p>
                    <dl class="facts">
                        {facts.into_iter().map(|(term, value)| view! {
                            <div class="facts__row"><dt>{term}</dt><dd>{value}</dd></div>
                        }).collect_view()}
                    </dl>
                </div>
                {compared}
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ets_names_read_as_words() {
        assert_eq!(
            model_in_words("ETS(A,Ad,A)").as_deref(),
            Some("additive errors, damped additive trend, additive season")
        );
        assert_eq!(
            model_in_words("ETS(M,N,N)").as_deref(),
            Some("multiplicative errors, no trend, no season")
        );
        assert_eq!(model_in_words("ARIMA(1,1,1)"), None);
        assert_eq!(model_in_words("ETS(A,X,A)"), None);
    }

    #[test]
    fn parameters_say_why_they_are_missing() {
        assert_eq!(parameter(Some(0.12345), "no trend"), "0.123");
        assert_eq!(parameter(None, "no trend"), "— (no trend)");
        assert_eq!(last_label(30), "In 30 days");
        assert_eq!(last_label(45), "On the last forecast day");
    }
}
