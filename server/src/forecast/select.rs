//! Model selection: fit every candidate the series is long enough for and
//! keep the one with the lowest AICc, as R's `forecast::ets` and
//! statsforecast's `AutoETS` do.

use super::estimate::{fit, Fit};
use super::model::ModelSpec;
use super::ForecastError;

/// The fewest observations any model is fitted to.
pub const MIN_OBSERVATIONS: usize = 10;

/// Observations beyond two full cycles that a seasonal model needs.
const SEASONAL_MARGIN: usize = 4;

/// The fewest observations [`fit`] accepts for `spec`: at least
/// [`MIN_OBSERVATIONS`], two cycles plus a few for a seasonal model, and
/// always two more than the model has parameters (so AICc is defined).
pub fn min_len(spec: ModelSpec, period: usize) -> usize {
    let by_shape = if spec.seasonal {
        2 * period + SEASONAL_MARGIN
    } else {
        MIN_OBSERVATIONS
    };
    let by_params = if spec.seasonal && period < 2 {
        0
    } else {
        spec.n_params(period) + 2
    };
    by_shape.max(by_params).max(MIN_OBSERVATIONS)
}

/// Fits ETS(A,N,N), ETS(A,A,N), ETS(A,Ad,N) and, when `period ≥ 2` and the
/// series spans two cycles plus a few days, ETS(A,N,A), ETS(A,A,A) and
/// ETS(A,Ad,A); returns the fit with the lowest AICc (the first on ties).
///
/// # Errors
/// [`ForecastError::NotFinite`] if `y` has a NaN or infinite value;
/// [`ForecastError::TooShort`] if `y` has fewer than [`MIN_OBSERVATIONS`].
pub fn auto_fit(y: &[f64], period: usize) -> Result<Fit, ForecastError> {
    if y.iter().any(|v| !v.is_finite()) {
        return Err(ForecastError::NotFinite);
    }
    let mut best: Option<Fit> = None;
    for spec in ModelSpec::CANDIDATES {
        if (spec.seasonal && period < 2) || y.len() < min_len(spec, period) {
            continue;
        }
        let candidate = fit(y, period, spec)?;
        if best.as_ref().is_none_or(|b| candidate.aicc < b.aicc) {
            best = Some(candidate);
        }
    }
    best.ok_or(ForecastError::TooShort {
        needed: MIN_OBSERVATIONS,
        got: y.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::Trend;

    #[test]
    fn seasonal_models_need_two_cycles_and_a_few_points() {
        assert_eq!(min_len(ModelSpec::new(Trend::None, false), 7), 10);
        assert_eq!(min_len(ModelSpec::new(Trend::Damped, true), 7), 18);
        // ETS(A,Ad,A) with period 5 has 4 + 6 + 1 parameters.
        assert_eq!(min_len(ModelSpec::new(Trend::Damped, true), 5), 14);
        assert_eq!(min_len(ModelSpec::new(Trend::None, true), 1), 10);
    }
}
