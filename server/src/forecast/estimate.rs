//! Maximum-likelihood fitting of one model.
//!
//! With additive Gaussian errors and the variance concentrated out, the
//! log-likelihood is statsmodels' `-n/2 · (ln(2π·SSE/n) + 1)`, so the fit
//! minimises `n·ln(SSE/n)` over the smoothing parameters and the initial
//! states. The initial states are profiled out exactly
//! ([`profile`](super::profile)); Nelder–Mead (`argmin`) searches the
//! smoothing parameters inside statsmodels' bounds, through a logistic map
//! so every point it tries is admissible.

use argmin::core::{CostFunction, Error as ArgminError, Executor, State as _};
use argmin::solver::neldermead::NelderMead;
use serde::Serialize;

use super::init::heuristic;
use super::model::{filter, ModelSpec, Params, Smoothing, State, Trend};
use super::profile::Profile;
use super::ForecastError;

/// statsmodels' bounds on α, β/α and γ/(1 − α).
const UNIT: (f64, f64) = (1e-4, 1.0 - 1e-4);
/// statsmodels' bounds on φ.
const DAMPING: (f64, f64) = (0.8, 0.98);
/// Nelder–Mead stops when the standard deviation of the simplex's costs
/// (`n·ln(SSE/n)`, log-likelihood units) falls below this...
const COST_TOLERANCE: f64 = 1e-7;
/// ...or after this many iterations.
const MAX_ITERATIONS: u64 = 600;
/// The cost of a point whose recursions overflow.
const PENALTY: f64 = 1e100;

/// A fitted model: parameters, fit statistics, and what forecasting needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fit {
    /// The model (serialised as its name).
    pub spec: ModelSpec,
    /// Estimated smoothing parameters and initial states.
    pub params: Params,
    /// Seasonal period used (1 for a non-seasonal model).
    pub period: usize,
    /// Corrected Akaike information criterion, `AIC + 2k(k+1)/(n−k−1)`.
    pub aicc: f64,
    /// Akaike information criterion, `−2·loglik + 2k`.
    pub aic: f64,
    /// Maximised log-likelihood, `−n/2 · (ln(2π·SSE/n) + 1)`.
    pub loglik: f64,
    /// Number of parameters `k` in the criteria: smoothing parameters, free
    /// initial states (`period − 1` seasonal ones), and the variance.
    pub n_params: usize,
    /// Number of observations fitted.
    pub nobs: usize,
    /// Sum of squared one-step errors.
    pub sse: f64,
    /// Residual variance `SSE/n` (statsmodels' `mse`), which scales the
    /// prediction intervals.
    pub sigma2: f64,
    /// One-step-ahead fitted values, one per observation.
    pub fitted: Vec<f64>,
    /// The states after the last observation.
    #[serde(skip)]
    pub(crate) last: State,
}

/// Fits `spec` to `y` by maximum likelihood. `period` is the seasonal
/// period (ignored by non-seasonal models).
///
/// # Errors
/// [`ForecastError::NotFinite`] if `y` has a NaN or infinite value,
/// [`ForecastError::InvalidPeriod`] for a seasonal model with `period < 2`,
/// [`ForecastError::TooShort`] if `y` is shorter than
/// [`min_len`](super::min_len).
pub fn fit(y: &[f64], period: usize, spec: ModelSpec) -> Result<Fit, ForecastError> {
    check(y, period, spec)?;
    let (level, trend, season) = heuristic(y, period, spec.seasonal);
    let base = State {
        level,
        trend: if spec.has_trend() { trend } else { 0.0 },
        season: if spec.seasonal { season } else { vec![0.0] },
    };
    let objective = Objective {
        profile: Profile::new(y, spec, base),
        spec,
        n: y.len() as f64,
    };
    let first = minimise(&objective, objective.start(), 1.0)?;
    // A restart from the optimum guards against a collapsed simplex.
    let best = minimise(&objective, first, 0.5)?;
    let sm = smoothing(spec, &best);
    let initial = objective.profile.best(sm).initial;
    Ok(finish(y, spec, period, sm, initial))
}

/// The fit of `spec` with given `params` and no estimation (statsmodels'
/// `ETSModel.smooth`): fitted values, criteria and forecasts as if `params`
/// had been estimated.
///
/// # Errors
/// As [`fit`], and [`ForecastError::InvalidParams`] when `params` does not
/// match `spec` (a missing β, γ, φ or initial trend, an
/// `initial_seasonal` whose length is not `period`, or a value that is not
/// finite).
pub fn smooth(
    y: &[f64],
    period: usize,
    spec: ModelSpec,
    params: &Params,
) -> Result<Fit, ForecastError> {
    check(y, period, spec)?;
    let complete = all_finite(params)
        && params.beta.is_some() == spec.has_trend()
        && params.initial_trend.is_some() == spec.has_trend()
        && params.gamma.is_some() == spec.seasonal
        && params.phi.is_some() == (spec.trend == Trend::Damped)
        && params.initial_seasonal.len() == if spec.seasonal { period } else { 0 };
    if !complete {
        return Err(ForecastError::InvalidParams);
    }
    Ok(finish(
        y,
        spec,
        period,
        Smoothing::of(params),
        State::initial(params),
    ))
}

/// Whether every value in `params` is a finite number.
fn all_finite(params: &Params) -> bool {
    let optional = [params.beta, params.gamma, params.phi, params.initial_trend];
    [params.alpha, params.initial_level]
        .into_iter()
        .chain(optional.into_iter().flatten())
        .chain(params.initial_seasonal.iter().copied())
        .all(f64::is_finite)
}

/// Checks the series and period for `spec`.
fn check(y: &[f64], period: usize, spec: ModelSpec) -> Result<(), ForecastError> {
    if y.iter().any(|v| !v.is_finite()) {
        return Err(ForecastError::NotFinite);
    }
    if spec.seasonal && period < 2 {
        return Err(ForecastError::InvalidPeriod(period));
    }
    let needed = super::min_len(spec, period);
    if y.len() < needed {
        return Err(ForecastError::TooShort {
            needed,
            got: y.len(),
        });
    }
    Ok(())
}

/// Runs Nelder–Mead from `start` with a simplex of side `step` (in the
/// logistic coordinates); returns the best point.
fn minimise(objective: &Objective, start: Vec<f64>, step: f64) -> Result<Vec<f64>, ForecastError> {
    let mut simplex = vec![start.clone()];
    for i in 0..start.len() {
        let mut vertex = start.clone();
        vertex[i] += step;
        simplex.push(vertex);
    }
    let failed = |e: ArgminError| ForecastError::Optimiser(e.to_string());
    let solver = NelderMead::new(simplex)
        .with_sd_tolerance(COST_TOLERANCE)
        .map_err(failed)?;
    let result = Executor::new(objective, solver)
        .configure(|state| state.max_iters(MAX_ITERATIONS))
        .run()
        .map_err(failed)?;
    Ok(result.state().get_best_param().cloned().unwrap_or(start))
}

/// The concentrated negative log-likelihood (up to constants) as a
/// function of the smoothing parameters in logistic coordinates.
struct Objective<'a> {
    profile: Profile<'a>,
    spec: ModelSpec,
    n: f64,
}

impl Objective<'_> {
    /// statsmodels' default start (α = 0.1, β = 0.01, γ = 0.01), with φ a
    /// little inside its upper bound (statsmodels: 0.98).
    fn start(&self) -> Vec<f64> {
        let mut u = vec![logit(0.1, UNIT)];
        if self.spec.has_trend() {
            u.push(logit(0.1, UNIT));
        }
        if self.spec.seasonal {
            u.push(logit(0.01 / 0.9, UNIT));
        }
        if self.spec.trend == Trend::Damped {
            u.push(logit(0.95, DAMPING));
        }
        u
    }
}

impl CostFunction for &Objective<'_> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, u: &Self::Param) -> Result<f64, ArgminError> {
        let sse = self.profile.best(smoothing(self.spec, u)).sse;
        let cost = self.n * (sse.max(0.0) / self.n).max(f64::MIN_POSITIVE).ln();
        Ok(if cost.is_finite() { cost } else { PENALTY })
    }
}

/// The smoothing parameters at logistic coordinates `u` (α, then β/α, then
/// γ/(1 − α), then φ, each only if the model has it).
fn smoothing(spec: ModelSpec, u: &[f64]) -> Smoothing {
    let mut coordinates = u.iter().copied();
    let mut next =
        |bounds: (f64, f64)| coordinates.next().map_or(bounds.0, |v| logistic(v, bounds));
    let alpha = next(UNIT);
    let beta = if spec.has_trend() {
        alpha * next(UNIT)
    } else {
        0.0
    };
    let gamma = if spec.seasonal {
        (1.0 - alpha) * next(UNIT)
    } else {
        0.0
    };
    let phi = if spec.trend == Trend::Damped {
        next(DAMPING)
    } else {
        1.0
    };
    Smoothing {
        alpha,
        beta,
        gamma,
        phi,
    }
}

fn logistic(u: f64, (low, high): (f64, f64)) -> f64 {
    low + (high - low) / (1.0 + (-u).exp())
}

fn logit(value: f64, (low, high): (f64, f64)) -> f64 {
    let p = (value - low) / (high - low);
    (p / (1.0 - p)).ln()
}

/// The fit at smoothing parameters `sm` and initial states `initial`: one
/// last pass for the fitted values, the final states and the criteria.
fn finish(y: &[f64], spec: ModelSpec, period: usize, sm: Smoothing, initial: State) -> Fit {
    let params = Params {
        alpha: sm.alpha,
        beta: spec.has_trend().then_some(sm.beta),
        gamma: spec.seasonal.then_some(sm.gamma),
        phi: (spec.trend == Trend::Damped).then_some(sm.phi),
        initial_level: initial.level,
        initial_trend: spec.has_trend().then_some(initial.trend),
        initial_seasonal: if spec.seasonal {
            initial.season.clone()
        } else {
            Vec::new()
        },
    };
    let mut last = initial;
    let mut fitted = Vec::with_capacity(y.len());
    let sse = filter(y, sm, &mut last, |_, f| fitted.push(f));
    let n = y.len() as f64;
    let sigma2 = sse / n;
    let loglik =
        -n / 2.0 * ((2.0 * std::f64::consts::PI * sigma2.max(f64::MIN_POSITIVE)).ln() + 1.0);
    let n_params = spec.n_params(period);
    let k = n_params as f64;
    let aic = -2.0 * loglik + 2.0 * k;
    Fit {
        spec,
        params,
        period: if spec.seasonal { period } else { 1 },
        aicc: aic + 2.0 * k * (k + 1.0) / (n - k - 1.0),
        aic,
        loglik,
        n_params,
        nobs: y.len(),
        sse,
        sigma2,
        fitted,
        last,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logistic_coordinates_stay_inside_the_bounds() {
        for u in [-800.0, -5.0, 0.0, 5.0, 800.0] {
            let sm = smoothing(ModelSpec::new(Trend::Damped, true), &[u, u, u, u]);
            assert!((0.0..1.0).contains(&sm.alpha));
            assert!(sm.beta >= 0.0 && sm.beta <= sm.alpha);
            assert!(sm.gamma >= 0.0 && sm.gamma <= 1.0 - sm.alpha);
            assert!((0.8..=0.98).contains(&sm.phi));
        }
        assert!((logistic(logit(0.3, UNIT), UNIT) - 0.3).abs() < 1e-12);
    }
}
