//! Heuristic initial states, after statsmodels' `_initialization_heuristic`
//! (Hyndman et al. 2008, §2.6.1) with its `_initialization_simple` as the
//! fallback for short series. The fit starts from them and then estimates
//! the initial states exactly (see [`estimate`](super::estimate)).

/// Heuristic initial level, trend and (sum-zero) seasonal states, in
/// statsmodels' `initial_seasonal` order (element `j` belongs to
/// observation `j`). `period` is ignored when `seasonal` is false.
pub(crate) fn heuristic(y: &[f64], period: usize, seasonal: bool) -> (f64, f64, Vec<f64>) {
    let m = period;
    if seasonal && y.len() >= 10 + 2 * (m / 2) {
        let (trend_cycle, season) = decompose(y, m);
        let (level, slope) = line_through_first_ten(&trend_cycle);
        (level, slope, season)
    } else if seasonal {
        simple_seasonal(y, m)
    } else if y.len() >= 10 {
        let (level, slope) = line_through_first_ten(y);
        (level, slope, Vec::new())
    } else {
        let slope = y.get(1).map_or(0.0, |second| second - y[0]);
        (y[0], slope, Vec::new())
    }
}

/// The centred moving average of the first few cycles and the average
/// detrended value of each position in the cycle, normalised to sum zero.
fn decompose(y: &[f64], m: usize) -> (Vec<f64>, Vec<f64>) {
    let min_obs = 10 + 2 * (m / 2);
    let cycles = (y.len() / m).min(5).max(min_obs.div_ceil(m));
    let series = &y[..(m * cycles).min(y.len())];
    let moving = centred_average(series, m);
    let (mut sums, mut counts) = (vec![0.0; m], vec![0usize; m]);
    for (t, average) in moving.iter().enumerate() {
        if let Some(average) = average {
            sums[t % m] += series[t] - average;
            counts[t % m] += 1;
        }
    }
    let mut season: Vec<f64> = sums
        .iter()
        .zip(&counts)
        .map(|(sum, &count)| if count > 0 { sum / count as f64 } else { 0.0 })
        .collect();
    let mean = season.iter().sum::<f64>() / m as f64;
    season.iter_mut().for_each(|s| *s -= mean);
    (moving.into_iter().flatten().collect(), season)
}

/// pandas' `rolling(m, center=True).mean()`, followed for even `m` by
/// `shift(-1).rolling(2).mean()` (a 2×m moving average).
fn centred_average(series: &[f64], m: usize) -> Vec<Option<f64>> {
    let n = series.len();
    let window = |end: usize| series[end + 1 - m..=end].iter().sum::<f64>() / m as f64;
    // pandas puts the mean of [t - m/2 ..= t - m/2 + m - 1] at t (odd and even m).
    let plain: Vec<Option<f64>> = (0..n)
        .map(|t| {
            let end = t + (m - 1) - m / 2;
            (t >= m / 2 && end < n).then(|| window(end))
        })
        .collect();
    if m % 2 == 1 {
        return plain;
    }
    (0..n)
        .map(|t| match (plain.get(t), plain.get(t + 1)) {
            (Some(Some(a)), Some(Some(b))) => Some((a + b) / 2.0),
            _ => None,
        })
        .collect()
}

/// Least-squares line through the first ten values at x = 1..=10; the
/// intercept is the level one step before the first value.
fn line_through_first_ten(values: &[f64]) -> (f64, f64) {
    let points = &values[..values.len().min(10)];
    let count = points.len() as f64;
    let mean_x = (count + 1.0) / 2.0;
    let mean_y = points.iter().sum::<f64>() / count;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (i, value) in points.iter().enumerate() {
        let dx = (i + 1) as f64 - mean_x;
        sxy += dx * (value - mean_y);
        sxx += dx * dx;
    }
    let slope = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    (mean_y - slope * mean_x, slope)
}

/// statsmodels' `_initialization_simple` for a seasonal model: the mean of
/// the first cycle, the average change between the first two cycles, and
/// the first cycle's deviations from its mean.
fn simple_seasonal(y: &[f64], m: usize) -> (f64, f64, Vec<f64>) {
    let level = y[..m].iter().sum::<f64>() / m as f64;
    let slope = if y.len() >= 2 * m {
        (m..2 * m).map(|t| y[t] - y[t - m]).sum::<f64>() / (m * m) as f64
    } else {
        0.0
    };
    (level, slope, y[..m].iter().map(|v| v - level).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_a_clean_line_and_season() {
        let pattern = [3.0, -1.0, 2.0, -4.0, 0.0, 1.0, -1.0];
        let y: Vec<f64> = (0..70)
            .map(|t| 100.0 + 0.5 * t as f64 + pattern[t % 7])
            .collect();
        let (level, slope, season) = heuristic(&y, 7, true);
        assert!((slope - 0.5).abs() < 1e-9, "slope {slope}");
        // The moving average at position 3 is 100 + 0.5·3; the fitted line
        // at x = 1 is that, so the level at x = 0 is 101.
        assert!((level - 101.0).abs() < 1e-9, "level {level}");
        for (s, p) in season.iter().zip(pattern) {
            assert!((s - p).abs() < 1e-9, "{season:?}");
        }
    }

    #[test]
    fn even_periods_use_a_two_by_m_average() {
        let y: Vec<f64> = (0..40).map(|t| t as f64 + [1.0, -1.0][t % 2]).collect();
        let (_, slope, season) = heuristic(&y, 2, true);
        assert!((slope - 1.0).abs() < 1e-9);
        assert!((season[0] - 1.0).abs() < 1e-9 && (season[1] + 1.0).abs() < 1e-9);
    }

    #[test]
    fn short_series_fall_back_to_the_simple_method() {
        let (level, slope, season) = heuristic(&[1.0, 2.0, 3.0, 2.0, 3.0, 4.0], 3, true);
        assert_eq!((level, slope), (2.0, 1.0 / 3.0));
        assert_eq!(season, [-1.0, 0.0, 1.0]);
        assert_eq!(heuristic(&[5.0, 7.0], 1, false), (5.0, 2.0, Vec::new()));
    }
}
