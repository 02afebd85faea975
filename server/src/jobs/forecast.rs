//! The forecast job: the metric's daily history (up to three years, from
//! the rollups), without weekends if asked, an exponential-smoothing model
//! chosen by AICc ([`crate::forecast`]), the forecast with its interval,
//! and a backtest on the last horizon-length stretch of history.

use api_types::{
    BacktestView, ForecastMetric, ForecastParams, ForecastPoint, ForecastResult, Metric, ModelInfo,
};

use super::worker::{pause, JobContext, Output, Progress, RunError};
use crate::{
    analytics::{
        calendar::{self, Day},
        dataset::anchor_day,
        params::FilterSet,
        queries::metric_value,
    },
    forecast::{self, Fit},
    storage::{days::Period, jobs::JobRow, Sums},
};

/// Days of history a forecast is fitted on, at most.
pub const HISTORY_DAYS: i64 = 3 * 365;

/// Runs forecast `job`.
pub async fn run(
    context: &JobContext,
    job: &JobRow,
    progress: &Progress,
) -> Result<Output, RunError> {
    let params: ForecastParams = serde_json::from_str(&job.params)
        .map_err(|e| RunError::Permanent(format!("unreadable parameters: {e}")))?;
    progress.set(5, "reading history");
    let state = context.analytics.dataset.sync(&context.db).await?;
    let anchor = anchor_day(&state);
    let days = history(context, &params, anchor).await?;
    pause(context).await;
    let kept: Vec<(Day, f64)> = days
        .into_iter()
        .filter(|(day, _)| params.include_weekends || !is_weekend(*day))
        .collect();
    let period = if params.include_weekends { 7 } else { 5 };
    let horizon = params.horizon_days as usize;
    let needed = 2 * period + horizon + 14;
    if kept.len() < needed {
        return Err(RunError::Permanent(format!(
            "not enough history to forecast {horizon} days: {} days with data, {needed} needed",
            kept.len()
        )));
    }
    progress.set(30, "fitting models");
    let values: Vec<f64> = kept.iter().map(|(_, v)| *v).collect();
    let confidence = f64::from(params.confidence) / 100.0;
    let started = std::time::Instant::now();
    let fitted = tokio::task::spawn_blocking(move || {
        let (fit, candidates) = choose(&values, period)?;
        let test = forecast::backtest(&values, period, horizon, confidence)?;
        Ok::<_, forecast::ForecastError>((fit, candidates, test))
    })
    .await
    .map_err(|e| RunError::Permanent(format!("the model fit failed: {e}")))?
    .map_err(|e| RunError::Permanent(format!("the model fit failed: {e}")))?;
    let fit_ms = started.elapsed().as_secs_f64() * 1000.0;
    pause(context).await;
    progress.set(90, "writing the result");
    let (fit, candidates, test) = fitted;
    let mut result = build_result(&params, &kept, anchor, &fit, &test, confidence, fit_ms);
    result.model.candidates = candidates;
    Ok(Output {
        result: serde_json::to_value(result).unwrap_or_default(),
        file: None,
    })
}

/// What [`forecast::auto_fit`] does, keeping every candidate's AICc (best
/// first) to show why the model won.
fn choose(
    values: &[f64],
    period: usize,
) -> Result<(Fit, Vec<(String, f64)>), forecast::ForecastError> {
    let mut fits = Vec::new();
    for spec in forecast::ModelSpec::CANDIDATES {
        if (spec.seasonal && period < 2) || values.len() < forecast::min_len(spec, period) {
            continue;
        }
        fits.push(forecast::fit(values, period, spec)?);
    }
    fits.sort_by(|a, b| a.aicc.total_cmp(&b.aicc));
    let candidates = fits.iter().map(|f| (f.spec.name(), f.aicc)).collect();
    let best = fits
        .into_iter()
        .next()
        .ok_or(forecast::ForecastError::TooShort {
            needed: forecast::MIN_OBSERVATIONS,
            got: values.len(),
        })?;
    Ok((best, candidates))
}

/// Saturday or Sunday (day 0, 1970-01-01, was a Thursday).
pub fn is_weekend(day: Day) -> bool {
    (day + 3).rem_euclid(7) >= 5
}

/// The metric's value per day, from the first day with orders to `anchor`
/// (days without orders are 0).
async fn history(
    context: &JobContext,
    params: &ForecastParams,
    anchor: Day,
) -> Result<Vec<(Day, f64)>, RunError> {
    let filters = FilterSet {
        period: Period {
            from: anchor - HISTORY_DAYS + 1,
            to: anchor,
        },
        regions: params.regions.clone(),
        categories: params.categories.clone(),
    };
    let sums = context
        .db
        .daily_sums(&filters.to_storage(), filters.period)
        .await?;
    let Some(first) = sums.first().map(|(day, _)| *day) else {
        return Ok(Vec::new());
    };
    let span = Period {
        from: first,
        to: anchor,
    };
    let mut daily = vec![Sums::default(); usize::try_from(span.len()).unwrap_or(0)];
    for (day, s) in sums {
        if let Some(slot) = usize::try_from(day - first)
            .ok()
            .and_then(|i| daily.get_mut(i))
        {
            *slot = s;
        }
    }
    let metric = match params.target_metric {
        ForecastMetric::Revenue => Some(Metric::Revenue),
        ForecastMetric::Orders => Some(Metric::Orders),
        ForecastMetric::Profit => Some(Metric::Profit),
        ForecastMetric::Aov => Some(Metric::Aov),
        ForecastMetric::ActiveCustomers => None,
    };
    let values: Vec<f64> = match metric {
        Some(metric) => daily.iter().map(|s| metric_value(metric, *s)).collect(),
        None => {
            let periods: Vec<Period> = (span.from..=span.to)
                .map(|d| Period { from: d, to: d })
                .collect();
            let sets = context
                .analytics
                .sketches
                .merged(&context.db, &filters, &periods)
                .await
                .map_err(|e| RunError::Retryable(format!("reading customers failed: {e}")))?;
            sets.iter().map(|set| set.active().value).collect()
        }
    };
    Ok((span.from..=span.to).zip(values).collect())
}

fn point(day: Day) -> ForecastPoint {
    ForecastPoint {
        day: calendar::format_day(day),
        actual: None,
        forecast: None,
        lower: None,
        upper: None,
    }
}

/// The next `count` days after `last`, skipping weekends unless kept.
fn horizon_days(last: Day, count: usize, weekends: bool) -> Vec<Day> {
    (last + 1..)
        .filter(|d| weekends || !is_weekend(*d))
        .take(count)
        .collect()
}

fn build_result(
    params: &ForecastParams,
    kept: &[(Day, f64)],
    anchor: Day,
    fit: &Fit,
    test: &forecast::Backtest,
    confidence: f64,
    fit_ms: f64,
) -> ForecastResult {
    let horizon = params.horizon_days as usize;
    let ahead = fit.forecast(horizon, confidence);
    let days = horizon_days(anchor, horizon, params.include_weekends);
    let band = |day: Day, i: usize, f: &forecast::Forecast| ForecastPoint {
        forecast: f.mean.get(i).copied(),
        lower: f.lower.get(i).copied(),
        upper: f.upper.get(i).copied(),
        ..point(day)
    };
    let held_out = &kept[kept.len() - horizon..];
    ForecastResult {
        params: params.clone(),
        history: kept
            .iter()
            .map(|&(day, value)| ForecastPoint {
                actual: Some(value),
                ..point(day)
            })
            .collect(),
        forecast: days
            .iter()
            .enumerate()
            .map(|(i, &day)| band(day, i, &ahead))
            .collect(),
        model: model_info(fit),
        backtest: BacktestView {
            mape: test.mape,
            accuracy: test.accuracy,
            coverage: test.coverage,
            points: held_out
                .iter()
                .enumerate()
                .map(|(i, &(day, actual))| ForecastPoint {
                    actual: Some(actual),
                    ..band(day, i, &test.forecast)
                })
                .collect(),
        },
        fit_ms,
    }
}

fn model_info(fit: &Fit) -> ModelInfo {
    ModelInfo {
        name: fit.spec.name(),
        period: u32::try_from(fit.period).unwrap_or(0),
        alpha: fit.params.alpha,
        beta: fit.params.beta,
        gamma: fit.params.gamma,
        phi: fit.params.phi,
        aicc: fit.aicc,
        candidates: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekends_are_saturday_and_sunday() {
        let day = calendar::parse_day("2026-11-28").expect("a Saturday");
        assert!(is_weekend(day) && is_weekend(day + 1));
        assert!(!is_weekend(day + 2) && !is_weekend(day - 1));
        let next = horizon_days(day - 1, 3, false);
        assert_eq!(next, vec![day + 2, day + 3, day + 4]);
    }
}
