//! Backtest: how well the method would have forecast the most recent days.

use serde::Serialize;

use super::model::ModelSpec;
use super::predict::Forecast;
use super::select::{auto_fit, MIN_OBSERVATIONS};
use super::ForecastError;

/// The result of holding out the last `horizon` values, choosing and
/// fitting a model on the rest, and forecasting them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Backtest {
    /// The model chosen on the shortened series (serialised as its name).
    pub model: ModelSpec,
    /// Mean absolute percentage error over the held-out values that are not
    /// zero, in percent; `None` if all of them are zero.
    pub mape: Option<f64>,
    /// `100 − mape`, floored at 0; `None` with `mape`.
    pub accuracy: Option<f64>,
    /// Percentage of held-out values inside the prediction interval.
    pub coverage: f64,
    /// The forecast of the held-out values.
    pub forecast: Forecast,
    /// The held-out values.
    pub actual: Vec<f64>,
}

/// Backtests [`auto_fit`] on `y`: fits `y[..n − horizon]` with seasonal
/// period `period`, forecasts `horizon` values with a `confidence`
/// interval, and scores them against `y[n − horizon..]`.
///
/// # Errors
/// [`ForecastError::InvalidHorizon`] for a zero horizon,
/// [`ForecastError::InvalidConfidence`] unless `0 < confidence < 1`,
/// [`ForecastError::NotFinite`] for a NaN or infinite value, and
/// [`ForecastError::TooShort`] when fewer than [`MIN_OBSERVATIONS`] values
/// remain before the held-out ones.
pub fn backtest(
    y: &[f64],
    period: usize,
    horizon: usize,
    confidence: f64,
) -> Result<Backtest, ForecastError> {
    if horizon == 0 {
        return Err(ForecastError::InvalidHorizon);
    }
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(ForecastError::InvalidConfidence(confidence));
    }
    let needed = MIN_OBSERVATIONS + horizon;
    if y.len() < needed {
        return Err(ForecastError::TooShort {
            needed,
            got: y.len(),
        });
    }
    let (train, actual) = y.split_at(y.len() - horizon);
    let fit = auto_fit(train, period)?;
    let forecast = fit.forecast(horizon, confidence);
    let mape = mape(actual, &forecast.mean);
    let inside = actual
        .iter()
        .zip(forecast.lower.iter().zip(&forecast.upper))
        .filter(|(a, (lo, hi))| (**lo..=**hi).contains(*a))
        .count();
    Ok(Backtest {
        model: fit.spec,
        mape,
        accuracy: mape.map(|m| (100.0 - m).max(0.0)),
        coverage: 100.0 * inside as f64 / horizon as f64,
        forecast,
        actual: actual.to_vec(),
    })
}

/// Mean of `|actual − forecast| / |actual|` in percent, skipping zero
/// actuals; `None` if every actual is zero.
fn mape(actual: &[f64], forecast: &[f64]) -> Option<f64> {
    let errors: Vec<f64> = actual
        .iter()
        .zip(forecast)
        .filter(|(a, _)| **a != 0.0)
        .map(|(a, f)| ((a - f) / a).abs())
        .collect();
    (!errors.is_empty()).then(|| 100.0 * errors.iter().sum::<f64>() / errors.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mape_skips_zero_actuals() {
        let value = mape(&[100.0, 0.0, 50.0], &[110.0, 5.0, 40.0]);
        assert!(value.is_some_and(|v| (v - 15.0).abs() < 1e-12), "{value:?}");
        assert_eq!(mape(&[0.0, 0.0], &[1.0, 2.0]), None);
    }

    #[test]
    fn rejects_bad_arguments() {
        let y: Vec<f64> = (0..40).map(f64::from).collect();
        assert_eq!(backtest(&y, 7, 0, 0.9), Err(ForecastError::InvalidHorizon));
        assert!(matches!(
            backtest(&y, 7, 5, 1.0),
            Err(ForecastError::InvalidConfidence(_))
        ));
        assert!(matches!(
            backtest(&y, 7, 5, f64::NAN),
            Err(ForecastError::InvalidConfidence(_))
        ));
        assert_eq!(
            backtest(&y, 7, 35, 0.9),
            Err(ForecastError::TooShort {
                needed: 45,
                got: 40
            })
        );
    }
}
