//! The forecast chart: history, the forecast with its shaded interval, and
//! the backtest drawn over the held-out days — the dashboard's line chart
//! with a band, a late start and a divider where the future begins.

use leptos::prelude::*;

use crate::{
    api::{ForecastMetric, ForecastPoint, ForecastResult},
    components::{
        charts::line_chart::{Band, Line, LineChart},
        controls::segmented::{Choice, Segmented},
        format::{grouped, long_date, money, short_date},
    },
};

/// Days of history shown unless all of it is asked for: enough to see the
/// seasons, few enough that the forecast stays readable.
pub const RECENT_DAYS: usize = 180;

/// How much history the chart shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// The last [`RECENT_DAYS`].
    Recent,
    /// All of it.
    All,
}

/// What the line chart is given.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartData {
    /// Short day labels.
    pub labels: Vec<String>,
    /// Full day labels.
    pub titles: Vec<String>,
    /// Actual, backtest and forecast.
    pub lines: Vec<Line>,
    /// The first forecast day.
    pub divider: usize,
}

/// The interval's name in the tooltip and legend.
pub fn interval_label(confidence: u32) -> &'static str {
    match confidence {
        80 => "80% interval",
        90 => "90% interval",
        95 => "95% interval",
        _ => "Interval",
    }
}

/// How the metric's values read: money, or a count.
pub fn value_format(metric: ForecastMetric) -> fn(f64) -> String {
    match metric {
        ForecastMetric::Revenue | ForecastMetric::Profit | ForecastMetric::Aov => money,
        ForecastMetric::Orders | ForecastMetric::ActiveCustomers => |v| grouped(v, 1),
    }
}

/// The chart's buckets and lines for `result`, with `span` of history.
pub fn chart_data(result: &ForecastResult, span: Span) -> ChartData {
    let skip = match span {
        Span::Recent => result.history.len().saturating_sub(RECENT_DAYS),
        Span::All => 0,
    };
    let history = &result.history[skip..];
    let days: Vec<&str> = history
        .iter()
        .chain(&result.forecast)
        .map(|p| p.day.as_str())
        .collect();
    let label = interval_label(result.params.confidence);
    let actual = Line {
        key: "actual",
        label: "Actual",
        values: history
            .iter()
            .map(|p| p.actual.unwrap_or_default())
            .collect(),
        ..Line::default()
    };
    let mut lines = vec![actual];
    if let Some(backtest) = projection(
        &result.backtest.points,
        &days,
        "backtest",
        "Backtest",
        label,
    ) {
        lines.push(Line {
            dashed: true,
            ..backtest
        });
    }
    if let Some(forecast) = projection(&result.forecast, &days, "forecast", "Forecast", label) {
        lines.push(forecast);
    }
    ChartData {
        labels: days.iter().map(|d| short_date(d)).collect(),
        titles: days.iter().map(|d| long_date(d)).collect(),
        lines,
        divider: history.len(),
    }
}

/// A run of forecast points as a line with its band, placed at the first
/// of its days on the chart (the points before it are not shown).
fn projection(
    points: &[ForecastPoint],
    days: &[&str],
    key: &'static str,
    label: &'static str,
    band: &'static str,
) -> Option<Line> {
    let (skip, start) = points
        .iter()
        .enumerate()
        .find_map(|(i, p)| days.iter().position(|d| *d == p.day).map(|at| (i, at)))?;
    let shown = &points[skip..];
    let values: Vec<f64> = shown
        .iter()
        .map(|p| p.forecast.unwrap_or_default())
        .collect();
    let bounds = shown
        .iter()
        .zip(&values)
        .map(|(p, v)| (p.lower.unwrap_or(*v), p.upper.unwrap_or(*v)))
        .collect();
    Some(Line {
        key,
        label,
        values,
        start,
        band: Some(Band {
            label: band,
            bounds,
        }),
        ..Line::default()
    })
}

/// The chart card.
#[component]
pub fn ForecastChart(
    /// The finished forecast.
    result: ForecastResult,
) -> impl IntoView {
    let span = RwSignal::new(Span::Recent);
    let params = result.params.clone();
    let metric = params.target_metric;
    let long_history = result.history.len() > RECENT_DAYS;
    let choices = vec![
        Choice {
            value: Span::Recent,
            label: "6 months",
            title: "The last 180 days of history",
            code: "recent",
        },
        Choice {
            value: Span::All,
            label: "All",
            title: "All history",
            code: "all",
        },
    ];
    let summary = summary(&result);
    let result = StoredValue::new(result);
    let chart = move || {
        let data = result.with_value(|r| chart_data(r, span.get()));
        let summary = summary.clone();
        view! {
            <LineChart labels=data.labels titles=data.titles lines=data.lines format=value_format(metric)
                summary divider=data.divider/>
        }
    };
    let band = interval_label(params.confidence);
    let footnote = format!(
        "Shaded: the {band} of the forecast. Dashed: the backtest, a forecast of the last {} days of \
         history made without them, drawn over what really happened.",
        params.horizon_days
    );
    view! {
        <section class="card dash-card forecast-chart" data-testid="forecast-chart" aria-labelledby="forecast-chart-title">
            <header class="card__header dash-card__header">
                <div>
                    <h2 id="forecast-chart-title" class="card__title">{format!("{}: history and forecast", metric.label())}</h2>
                    <p class="dash-card__subtitle">{format!("By day, {} days ahead", params.horizon_days)}</p>
                </div>
                {long_history.then(|| view! {
                    <Segmented label="History shown" testid="forecast-span" choices current=Signal::from(span)
                        on_select=Callback::new(move |s| span.set(s))/>
                })}
            </header>
            <div class="legend forecast-chart__legend" aria-hidden="true">
                <span class="legend__item legend__item--static"><span class="legend__swatch series--actual"></span>"Actual"</span>
                <span class="legend__item legend__item--static"><span class="legend__swatch series--forecast"></span>"Forecast"</span>
                <span class="legend__item legend__item--static"><span class="legend__swatch legend__swatch--band series--forecast"></span>{band}</span>
                <span class="legend__item legend__item--static"><span class="legend__swatch legend__swatch--dashed series--backtest"></span>"Backtest"</span>
            </div>
            {chart}
            <p class="dash-footnote">{footnote}</p>
        </section>
    }
}

/// One sentence for assistive technology.
fn summary(result: &ForecastResult) -> String {
    let format = value_format(result.params.target_metric);
    let (Some(first), Some(last)) = (result.forecast.first(), result.forecast.last()) else {
        return format!(
            "{} history; the forecast is empty.",
            result.params.target_metric.label()
        );
    };
    format!(
        "{} forecast from {} to {}: {} on the last day ({} {} to {}).",
        result.params.target_metric.label(),
        short_date(&first.day),
        long_date(&last.day),
        format(last.forecast.unwrap_or_default()),
        interval_label(result.params.confidence),
        format(last.lower.unwrap_or_default()),
        format(last.upper.unwrap_or_default()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{BacktestView, ForecastParams, ModelInfo};

    fn point(day: u32, actual: Option<f64>, forecast: Option<f64>) -> ForecastPoint {
        ForecastPoint {
            day: format!("2026-{:02}-{:02}", 1 + day / 28, 1 + day % 28),
            actual,
            forecast,
            lower: forecast.map(|f| f - 1.0),
            upper: forecast.map(|f| f + 1.0),
        }
    }

    fn result(history_days: u32, horizon: u32) -> ForecastResult {
        let history = (0..history_days)
            .map(|d| point(d, Some(10.0), None))
            .collect();
        let forecast = (history_days..history_days + horizon)
            .map(|d| point(d, None, Some(12.0)))
            .collect();
        let backtest = (history_days - horizon..history_days)
            .map(|d| point(d, Some(10.0), Some(11.0)))
            .collect();
        ForecastResult {
            params: ForecastParams {
                target_metric: ForecastMetric::Revenue,
                horizon_days: horizon,
                confidence: 90,
                include_weekends: true,
                regions: Vec::new(),
                categories: Vec::new(),
            },
            history,
            forecast,
            model: ModelInfo {
                name: "ETS(A,N,A)".into(),
                period: 7,
                alpha: 0.3,
                beta: None,
                gamma: Some(0.1),
                phi: None,
                aicc: 100.0,
                candidates: Vec::new(),
            },
            backtest: BacktestView {
                mape: Some(10.0),
                accuracy: Some(90.0),
                coverage: 80.0,
                points: backtest,
            },
            fit_ms: 5.0,
        }
    }

    #[test]
    fn recent_history_then_the_forecast_with_the_backtest_over_the_last_days() {
        let data = chart_data(&result(300, 14), Span::Recent);
        assert_eq!(data.labels.len(), RECENT_DAYS + 14);
        assert_eq!(data.divider, RECENT_DAYS);
        let keys: Vec<&str> = data.lines.iter().map(|l| l.key).collect();
        assert_eq!(keys, ["actual", "backtest", "forecast"]);
        let backtest = &data.lines[1];
        assert_eq!(
            (backtest.start, backtest.values.len(), backtest.dashed),
            (RECENT_DAYS - 14, 14, true)
        );
        let forecast = &data.lines[2];
        assert_eq!(forecast.start, RECENT_DAYS);
        assert_eq!(
            forecast.band.as_ref().map(|b| b.bounds[0]),
            Some((11.0, 13.0))
        );
        assert_eq!(chart_data(&result(300, 14), Span::All).divider, 300);
    }

    #[test]
    fn short_histories_are_shown_whole() {
        let data = chart_data(&result(60, 7), Span::Recent);
        assert_eq!((data.divider, data.labels.len()), (60, 67));
        assert!(summary(&result(60, 7)).contains("90% interval"));
    }
}
