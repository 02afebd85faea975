//! Axis scales, bucket labels and keyboard stepping shared by the SVG charts.

use crate::{
    api::Granularity,
    components::format::{grouped, long_date, month_label, short_date},
};

/// A value axis: its bounds and the values to draw grid lines at.
#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    /// Bottom of the axis.
    pub min: f64,
    /// Top of the axis.
    pub max: f64,
    /// Grid values, bottom to top.
    pub ticks: Vec<f64>,
}

impl Scale {
    /// A "nice" axis (steps of 1, 2, 2.5 or 5 × 10ⁿ) covering `lo..=hi` and
    /// zero, with about `target` steps.
    pub fn nice(lo: f64, hi: f64, target: usize) -> Self {
        let lo = lo.min(0.0);
        let hi = hi.max(0.0);
        if !(hi - lo).is_finite() || hi - lo <= f64::EPSILON {
            return Self {
                min: 0.0,
                max: 1.0,
                ticks: vec![0.0, 1.0],
            };
        }
        let raw = (hi - lo) / target.max(1) as f64;
        let magnitude = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 2.5, 5.0, 10.0]
            .iter()
            .map(|m| m * magnitude)
            .find(|s| *s >= raw)
            .unwrap_or(10.0 * magnitude);
        let min = (lo / step).floor() * step;
        let max = (hi / step).ceil() * step;
        let count = ((max - min) / step).round() as usize;
        let ticks = (0..=count).map(|i| min + i as f64 * step).collect();
        Self { min, max, ticks }
    }

    /// Where `value` sits, as a fraction from the bottom (0) to the top (1).
    pub fn fraction(&self, value: f64) -> f64 {
        (value - self.min) / (self.max - self.min)
    }
}

/// The indices to label on an axis of `n` buckets: about `wanted`, evenly
/// spaced, always including the first.
pub fn label_indices(n: usize, wanted: usize) -> Vec<usize> {
    if n == 0 {
        return Vec::new();
    }
    let stride = n.div_ceil(wanted.max(1));
    (0..n).step_by(stride.max(1)).collect()
}

/// The bucket a chart's keyboard focus moves to for `key`: `None` when the
/// key is not a chart key, `Some(None)` to hide the tooltip.
pub fn step_hover(key: &str, current: Option<usize>, n: usize) -> Option<Option<usize>> {
    if n == 0 {
        return None;
    }
    match key {
        "ArrowRight" => Some(Some(current.map_or(0, |i| (i + 1).min(n - 1)))),
        "ArrowLeft" => Some(Some(current.map_or(n - 1, |i| i.saturating_sub(1)))),
        "Home" => Some(Some(0)),
        "End" => Some(Some(n - 1)),
        "Escape" => Some(None),
        _ => None,
    }
}

/// A short axis value: `1.2k`, `350`, `2.5M`.
pub fn axis_value(value: f64) -> String {
    let abs = value.abs();
    let sign = if value < 0.0 { "-" } else { "" };
    let (scaled, suffix) = match abs {
        a if a >= 1e9 => (a / 1e9, "B"),
        a if a >= 1e6 => (a / 1e6, "M"),
        a if a >= 1e3 => (a / 1e3, "k"),
        a => (a, ""),
    };
    let text = if scaled.fract().abs() < 1e-9 {
        grouped(scaled, 0)
    } else {
        format!("{scaled:.1}")
    };
    format!("{sign}{text}{suffix}")
}

/// A bucket's short label on the x axis.
pub fn bucket_short(start: &str, granularity: Granularity) -> String {
    match granularity {
        Granularity::Month => month_label(start),
        _ => short_date(start),
    }
}

/// A bucket's full label in tooltips.
pub fn bucket_long(start: &str, granularity: Granularity) -> String {
    match granularity {
        Granularity::Day => long_date(start),
        Granularity::Week => format!("Week of {}", long_date(start)),
        Granularity::Month => month_label(start),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_scales_round_outwards_and_include_zero() {
        let s = Scale::nice(120.0, 980.0, 4);
        assert_eq!((s.min, s.max), (0.0, 1000.0));
        assert_eq!(s.ticks, vec![0.0, 250.0, 500.0, 750.0, 1000.0]);
        let s = Scale::nice(-30.0, 70.0, 5);
        assert_eq!((s.min, s.max), (-40.0, 80.0));
        assert_eq!(Scale::nice(0.0, 0.0, 4).max, 1.0);
        assert!((Scale::nice(0.0, 10.0, 5).fraction(5.0) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn labels_are_spread_evenly() {
        assert_eq!(label_indices(30, 6), vec![0, 5, 10, 15, 20, 25]);
        assert_eq!(label_indices(3, 6), vec![0, 1, 2]);
        assert!(label_indices(0, 6).is_empty());
    }

    #[test]
    fn arrow_keys_walk_the_buckets() {
        assert_eq!(step_hover("ArrowRight", None, 3), Some(Some(0)));
        assert_eq!(step_hover("ArrowRight", Some(2), 3), Some(Some(2)));
        assert_eq!(step_hover("ArrowLeft", Some(0), 3), Some(Some(0)));
        assert_eq!(step_hover("End", None, 3), Some(Some(2)));
        assert_eq!(step_hover("Escape", Some(1), 3), Some(None));
        assert_eq!(step_hover("a", Some(1), 3), None);
        assert_eq!(step_hover("Home", None, 0), None);
    }

    #[test]
    fn axis_values_are_short() {
        assert_eq!(axis_value(1500.0), "1.5k");
        assert_eq!(axis_value(2_000_000.0), "2M");
        assert_eq!(axis_value(350.0), "350");
        assert_eq!(axis_value(-2500.0), "-2.5k");
    }
}
