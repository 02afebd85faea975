//! Forecasting: exponential smoothing (ETS) with a seasonal period, the
//! model chosen by information criterion, prediction intervals and a
//! backtest. Pure computation: no I/O.
//!
//! The models are statsmodels' `ETSModel` with additive errors: no, linear
//! or damped trend, with or without an additive season ([`ModelSpec`],
//! [`Params`]). [`fit`] estimates one by maximum likelihood, [`auto_fit`]
//! picks the candidate with the lowest AICc, [`Fit::forecast`] gives point
//! forecasts with analytic prediction intervals, and [`backtest`] scores the
//! whole procedure on the last days of a series. Callers on an async runtime
//! should run these in `spawn_blocking`: on three years of daily data a model
//! takes 1–10 ms to fit and `auto_fit` some 20–50 ms (release build).

mod backtest;
mod estimate;
mod init;
mod model;
mod predict;
mod profile;
mod select;

#[cfg(test)]
mod tests;

pub use backtest::{backtest, Backtest};
pub use estimate::{fit, smooth, Fit};
pub use model::{ModelSpec, Params, Trend};
pub use predict::Forecast;
pub use select::{auto_fit, min_len, MIN_OBSERVATIONS};

/// Why a series cannot be fitted or forecast.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ForecastError {
    /// The series has too few values for the model or the backtest.
    #[error("the series has {got} values; at least {needed} are needed")]
    TooShort {
        /// The fewest values that would do.
        needed: usize,
        /// The values given.
        got: usize,
    },
    /// The series holds a NaN or an infinite value.
    #[error("the series holds a value that is not a finite number")]
    NotFinite,
    /// A seasonal model was asked for with a period below 2.
    #[error("a seasonal model needs a period of at least 2, not {0}")]
    InvalidPeriod(usize),
    /// A backtest was asked for with a zero horizon.
    #[error("the horizon must be at least one step")]
    InvalidHorizon,
    /// A backtest was asked for with a confidence level outside (0, 1).
    #[error("the confidence level must be between 0 and 1 (exclusive), not {0}")]
    InvalidConfidence(f64),
    /// Parameters given to [`smooth`] do not match the model.
    #[error("the parameters do not match the model")]
    InvalidParams,
    /// The optimiser reported an error (a defect, not bad input).
    #[error("the optimiser failed: {0}")]
    Optimiser(String),
}
