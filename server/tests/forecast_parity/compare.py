#!/usr/bin/env python3
"""Checks Tessera's ETS forecast against statsmodels' ETSModel.

Reads the fixture written by `cargo run --release -p server --example
forecast_fixture -- FIXTURE.json`, rebuilds the chosen model in statsmodels
with the same smoothing parameters and initial states
(initialization_method="known", then `smooth`), forecasts the same horizon
and prints the largest relative difference of the point forecast and of the
interval bounds. Exits 1 if the point forecast differs by more than 1e-6.

For information it also fits every candidate model with statsmodels' own
optimiser and prints both fits' SSE and AICc (statsmodels counts all m
initial seasonal states as parameters, Tessera m - 1; the AICc column uses
statsmodels' count for both so the numbers compare).

Usage: python compare.py FIXTURE.json
"""

import json
import sys
import warnings

import numpy as np
import pandas as pd
from statsmodels.tools.eval_measures import aicc as aicc_of
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

TOLERANCE = 1e-6
LAST_DAY = "2026-11-30"


def model_kwargs(name, period):
    """ETSModel arguments for a name such as 'ETS(A,Ad,A)'."""
    _, trend, season = name[len("ETS("):-1].split(",")
    seasonal = season == "A"
    return {
        "error": "add",
        "trend": None if trend == "N" else "add",
        "damped_trend": trend == "Ad",
        "seasonal": "add" if seasonal else None,
        "seasonal_periods": period if seasonal else None,
    }


def smoothing_values(params, kwargs):
    """The smoothing parameters in statsmodels' order, present ones only."""
    values = [params["alpha"]]
    if kwargs["trend"]:
        values.append(params["beta"])
    if kwargs["seasonal"]:
        values.append(params["gamma"])
    if kwargs["damped_trend"]:
        values.append(params["phi"])
    return values


def max_relative_difference(ours, theirs):
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    scale = np.maximum(np.abs(theirs), np.finfo(float).tiny)
    return float(np.max(np.abs(ours - theirs) / scale))


def parity(fixture, endog):
    """Statsmodels' forecast at the fixture's parameters; max rel diffs."""
    period, params = fixture["period"], fixture["params"]
    kwargs = model_kwargs(fixture["model"], period)
    model = ETSModel(
        endog,
        initialization_method="known",
        initial_level=params["initial_level"],
        initial_trend=params["initial_trend"],
        initial_seasonal=params["initial_seasonal"] or None,
        **kwargs,
    )
    result = model.smooth(smoothing_values(params, kwargs))
    horizon = len(fixture["forecast"]["mean"])
    prediction = result.get_prediction(start=len(endog), end=len(endog) + horizon - 1)
    frame = prediction.summary_frame(alpha=1 - fixture["confidence"])
    ours = fixture["forecast"]
    sse = float(np.sum(np.asarray(result.resid) ** 2))
    return {
        "mean": max_relative_difference(ours["mean"], frame["mean"]),
        "lower": max_relative_difference(ours["lower"], frame["pi_lower"]),
        "upper": max_relative_difference(ours["upper"], frame["pi_upper"]),
        "sse": abs(fixture["sse"] - sse) / sse,
    }


def own_fits(fixture, endog):
    """Each candidate fitted by statsmodels and by Tessera: SSE and AICc."""
    n = len(endog)
    print(f"\n{'model':<12} {'SSE Tessera':>14} {'SSE statsmodels':>16} "
          f"{'AICc Tessera':>13} {'AICc statsmodels':>17}")
    for candidate in fixture["candidates"]:
        kwargs = model_kwargs(candidate["model"], fixture["period"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = ETSModel(endog, **kwargs).fit(disp=False)
        sse_theirs = float(np.sum(np.asarray(theirs.resid) ** 2))
        llf_ours = -n / 2 * (np.log(2 * np.pi * candidate["sse"] / n) + 1)
        ours_aicc = aicc_of(llf_ours, n, theirs.df_model)
        print(f"{candidate['model']:<12} {candidate['sse']:>14.6e} {sse_theirs:>16.6e} "
              f"{ours_aicc:>13.3f} {theirs.aicc:>17.3f}")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as file:
        fixture = json.load(file)
    series = fixture["series"]
    index = pd.date_range(end=LAST_DAY, periods=len(series), freq="D")
    endog = pd.Series(series, index=index, dtype=float)
    diffs = parity(fixture, endog)
    print(f"{len(series)} days, {fixture['model']}, "
          f"horizon {len(fixture['forecast']['mean'])}, confidence {fixture['confidence']}")
    print(f"max relative difference: point forecast {diffs['mean']:.3e}, "
          f"lower bound {diffs['lower']:.3e}, upper bound {diffs['upper']:.3e}, "
          f"in-sample SSE {diffs['sse']:.3e}")
    own_fits(fixture, endog)
    if diffs["mean"] > TOLERANCE:
        print(f"FAIL: point forecasts differ by more than {TOLERANCE}")
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()
