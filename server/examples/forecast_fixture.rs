//! Writes the statsmodels parity fixture: the demo's daily revenue (the
//! generator's defaults: 150,000 orders, seed 42, ending 2026-11-30), the
//! model `auto_fit` chooses with period 7, its parameters, and its 30-day
//! forecast with a 95 % interval. `server/tests/forecast_parity/compare.py`
//! checks the forecast against statsmodels.
//!
//! `cargo run --release -p server --example forecast_fixture -- OUT.json`
//! (also prints the time `auto_fit` and `backtest` take to stderr).

use std::time::Instant;

use anyhow::Context;
use serde_json::json;
use server::{
    analytics::{
        calendar,
        generator::{Generator, GeneratorConfig},
    },
    forecast::{auto_fit, backtest, fit, ModelSpec},
};

/// The demo's default order count (`TESSERA_DEMO_ORDERS`) and seed.
const ORDERS: u64 = 150_000;
const SEED: u64 = 42;
const PERIOD: usize = 7;
const HORIZON: usize = 30;
const CONFIDENCE: f64 = 0.95;

fn main() -> anyhow::Result<()> {
    let out = std::env::args()
        .nth(1)
        .context("usage: forecast_fixture OUT.json")?;
    let series = daily_revenue();

    let started = Instant::now();
    let chosen = auto_fit(&series, PERIOD)?;
    let fit_ms = started.elapsed().as_secs_f64() * 1e3;
    let forecast = chosen.forecast(HORIZON, CONFIDENCE);
    let started = Instant::now();
    let test = backtest(&series, PERIOD, HORIZON, CONFIDENCE)?;
    let backtest_ms = started.elapsed().as_secs_f64() * 1e3;
    eprintln!(
        "{} days, chose {}: auto_fit {fit_ms:.1} ms, backtest {backtest_ms:.1} ms, \
         together {:.1} ms",
        series.len(),
        chosen.spec.name(),
        fit_ms + backtest_ms
    );

    let mut candidates = Vec::new();
    for spec in ModelSpec::CANDIDATES {
        let model = fit(&series, PERIOD, spec)?;
        candidates.push(json!({
            "model": model.spec, "params": model.params, "sse": model.sse,
            "aic": model.aic, "aicc": model.aicc, "n_params": model.n_params,
        }));
    }
    let fixture = json!({
        "series": series,
        "period": PERIOD,
        "confidence": CONFIDENCE,
        "model": chosen.spec,
        "trend": chosen.spec.trend,
        "seasonal": chosen.spec.seasonal,
        "params": chosen.params,
        "sse": chosen.sse,
        "aicc": chosen.aicc,
        "forecast": forecast,
        "backtest": { "mape": test.mape, "coverage": test.coverage, "model": test.model },
        "candidates": candidates,
    });
    std::fs::write(&out, serde_json::to_string_pretty(&fixture)?)
        .with_context(|| format!("writing {out}"))?;
    Ok(())
}

/// Revenue of the completed orders of each generated day, in currency units.
fn daily_revenue() -> Vec<f64> {
    let end = calendar::day(time::macros::date!(2026 - 11 - 30));
    let mut generator = Generator::new(GeneratorConfig {
        orders: ORDERS,
        seed: SEED,
        end,
    });
    let mut series = Vec::new();
    while let Some(orders) = generator.next_day() {
        let cents: i64 = orders
            .iter()
            .filter(|order| order.status == "completed")
            .map(|order| order.total())
            .sum();
        series.push(cents as f64 / 100.0);
    }
    series
}
