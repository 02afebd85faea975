//! Behaviour of the whole procedure: recovering known components, interval
//! coverage on simulated series, and rejected input.

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

use super::*;

const WEEK: [f64; 7] = [60.0, -20.0, 35.0, -45.0, 10.0, 25.0, -65.0];

/// A standard normal draw (Box–Muller; `rand` alone has no normal).
fn normal(rng: &mut Pcg64Mcg) -> f64 {
    let u: f64 = 1.0 - rng.random::<f64>();
    let v: f64 = rng.random();
    (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
}

/// `y_t = 1000 + 2t + WEEK[t mod 7] + N(0, 5²)`.
fn trend_and_week(n: usize, seed: u64) -> Vec<f64> {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    (0..n)
        .map(|t| 1000.0 + 2.0 * t as f64 + WEEK[t % 7] + 5.0 * normal(&mut rng))
        .collect()
}

#[test]
fn recovers_level_trend_and_weekly_season() {
    let n = 364;
    let y = trend_and_week(n, 1);
    let fit = auto_fit(&y, 7).expect("fits");
    assert!(
        fit.spec.has_trend() && fit.spec.seasonal,
        "chose {}",
        fit.spec.name()
    );
    let level = 1000.0 + 2.0 * (n - 1) as f64;
    assert!(
        (fit.last.level - level).abs() < 10.0,
        "level {} vs {level}",
        fit.last.level
    );
    assert!(
        (fit.last.trend - 2.0).abs() < 0.1,
        "trend {}",
        fit.last.trend
    );
    // The next week's forecast is the line plus the weekly pattern.
    let forecast = fit.forecast(7, 0.95);
    for (h, mean) in forecast.mean.iter().enumerate() {
        let t = n + h;
        let truth = 1000.0 + 2.0 * t as f64 + WEEK[t % 7];
        assert!((mean - truth).abs() < 12.0, "step {h}: {mean} vs {truth}");
    }
    assert!(
        fit.sigma2.sqrt() > 4.0 && fit.sigma2.sqrt() < 6.0,
        "sigma {}",
        fit.sigma2.sqrt()
    );
}

/// Simulates `n` values of ETS(A,`trend`,A) with period 7 and unit noise.
fn simulate(rng: &mut Pcg64Mcg, n: usize, params: &Params) -> Vec<f64> {
    let (alpha, beta, gamma) = (
        params.alpha,
        params.beta.unwrap_or(0.0),
        params.gamma.unwrap_or(0.0),
    );
    let (mut level, mut trend) = (params.initial_level, params.initial_trend.unwrap_or(0.0));
    let mut season = params.initial_seasonal.clone();
    (0..n)
        .map(|t| {
            let error = normal(rng);
            let value = level + trend + season[t % 7] + error;
            level += trend + alpha * error;
            trend += beta * error;
            season[t % 7] += gamma * error;
            value
        })
        .collect()
}

/// Share (in percent) of held-out values inside the 80, 90 and 95 %
/// intervals: `spec` is fitted to the first 300 values of each simulated
/// series, then forecasts 28 days from each of 20 successive origins in the
/// holdout that follows (its states updated with the data up to the origin,
/// its parameters kept), so each series scores 560 held-out values.
fn coverage(spec: ModelSpec, truth: &Params, series: usize, seed: u64) -> [f64; 3] {
    let (train, horizon, origins) = (300, 28, 20);
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let mut inside = [0usize; 3];
    for _ in 0..series {
        let y = simulate(&mut rng, train + horizon * origins, truth);
        let params = fit(&y[..train], 7, spec).expect("fits").params;
        for origin in (0..origins).map(|i| train + i * horizon) {
            let model = smooth(&y[..origin], 7, spec, &params).expect("smooths");
            for (count, level) in inside.iter_mut().zip([0.8, 0.9, 0.95]) {
                let band = model.forecast(horizon, level);
                *count += (0..horizon)
                    .filter(|&h| (band.lower[h]..=band.upper[h]).contains(&y[origin + h]))
                    .count();
            }
        }
    }
    inside.map(|count| 100.0 * count as f64 / (series * horizon * origins) as f64)
}

fn truth(trend: Option<f64>) -> Params {
    Params {
        alpha: 0.3,
        beta: trend.map(|_| 0.05),
        gamma: Some(0.1),
        phi: None,
        initial_level: 100.0,
        initial_trend: trend,
        initial_seasonal: WEEK.map(|s| s / 10.0).to_vec(),
    }
}

#[test]
fn intervals_cover_their_nominal_share() {
    let runs = [
        (ModelSpec::new(Trend::None, true), truth(None), 40),
        (ModelSpec::new(Trend::Additive, true), truth(Some(0.5)), 40),
    ];
    for (spec, params, series) in runs {
        let shares = coverage(spec, &params, series, 7);
        for (share, nominal) in shares.iter().zip([80.0, 90.0, 95.0]) {
            assert!(
                (share - nominal).abs() <= 5.0,
                "{}: {shares:?}",
                spec.name()
            );
        }
    }
}

#[test]
fn variance_matches_the_closed_form_of_statsmodels() {
    // ETS(A,Ad,A) relative variances from statsmodels 0.14.4
    // `_relative_forecast_variance` with α=0.3, β=0.05, γ=0.2, φ=0.9, m=3.
    let expected = [1.0, 1.119025, 1.26763525, 1.6544570525, 1.8612591625249997];
    let params = Params {
        alpha: 0.3,
        beta: Some(0.05),
        gamma: Some(0.2),
        phi: Some(0.9),
        initial_level: 10.0,
        initial_trend: Some(0.5),
        initial_seasonal: vec![1.0, -2.0, 1.0],
    };
    let y = trend_and_week(30, 2);
    let fit = smooth(&y, 3, ModelSpec::new(Trend::Damped, true), &params).expect("smooths");
    let band = fit.forecast(5, 0.95);
    let z = 1.959_963_984_540_054;
    for (h, relative) in expected.iter().enumerate() {
        let half = (band.upper[h] - band.mean[h]) / z;
        assert!(
            (half * half / fit.sigma2 - relative).abs() < 1e-9,
            "step {h}"
        );
    }
}

#[test]
fn a_constant_series_forecasts_itself_with_no_band() {
    let fit = auto_fit(&[42.0; 60], 7).expect("fits");
    let forecast = fit.forecast(10, 0.9);
    assert!(
        forecast.mean.iter().all(|m| (m - 42.0).abs() < 1e-9),
        "{forecast:?}"
    );
    assert!(forecast
        .upper
        .iter()
        .zip(&forecast.lower)
        .all(|(u, l)| u - l < 1e-6));
}

#[test]
fn rejects_short_and_non_finite_series() {
    assert_eq!(
        auto_fit(&[1.0; 9], 7).map(|f| f.spec),
        Err(ForecastError::TooShort { needed: 10, got: 9 })
    );
    let aaa = ModelSpec::new(Trend::Additive, true);
    assert_eq!(
        fit(&[1.0; 17], 7, aaa).map(|f| f.spec),
        Err(ForecastError::TooShort {
            needed: 18,
            got: 17
        })
    );
    let mut y = trend_and_week(50, 3);
    y[20] = f64::NAN;
    assert_eq!(
        auto_fit(&y, 7).map(|f| f.spec),
        Err(ForecastError::NotFinite)
    );
    y[20] = f64::INFINITY;
    assert_eq!(
        backtest(&y, 7, 7, 0.9).map(|b| b.model),
        Err(ForecastError::NotFinite)
    );
    let y = trend_and_week(50, 3);
    assert_eq!(
        fit(&y, 1, aaa).map(|f| f.spec),
        Err(ForecastError::InvalidPeriod(1))
    );
}

#[test]
fn short_series_skip_the_seasonal_models() {
    let y = trend_and_week(15, 4);
    let fit = auto_fit(&y, 7).expect("fits");
    assert!(!fit.spec.seasonal);
    assert_eq!(fit.period, 1);
}

#[test]
fn smooth_reproduces_a_fit_from_its_parameters() {
    let y = trend_and_week(120, 5);
    let fitted = auto_fit(&y, 7).expect("fits");
    let again = smooth(&y, 7, fitted.spec, &fitted.params).expect("smooths");
    assert!((again.sse - fitted.sse).abs() <= 1e-9 * fitted.sse);
    assert_eq!(again.forecast(14, 0.9), fitted.forecast(14, 0.9));
    let mut short = fitted.params.clone();
    short.initial_seasonal.pop();
    let mut nan = fitted.params.clone();
    nan.alpha = f64::NAN;
    for wrong in [short, nan] {
        assert_eq!(
            smooth(&y, 7, fitted.spec, &wrong).map(|f| f.sse),
            Err(ForecastError::InvalidParams)
        );
    }
}

#[test]
fn backtest_scores_the_held_out_days() {
    let y = trend_and_week(200, 6);
    let result = backtest(&y, 7, 28, 0.95).expect("backtests");
    assert_eq!(result.actual, y[172..]);
    assert_eq!(result.forecast.mean.len(), 28);
    let mape = result.mape.expect("non-zero actuals");
    assert!(mape < 2.0, "mape {mape}");
    assert_eq!(result.accuracy, Some(100.0 - mape));
    assert!(result.coverage >= 80.0, "coverage {}", result.coverage);
}
