//! The Forecast page's parts: its URL state, the form, the job it shows
//! (progress, then result), the chart with its interval band and backtest,
//! and the model card.

pub mod chart;
pub mod draft;
pub mod form;
pub mod job;
pub mod result;
pub mod state;
