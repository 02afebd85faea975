//! Point forecasts and prediction intervals. The intervals use the exact
//! forecast variance of the linear (class 1) models, Hyndman et al. (2008)
//! §6.3: `σ²·(1 + Σ_{j=1}^{h−1} c_j²)` with
//! `c_j = α + β·(φ + … + φ^j) + γ·[j mod m = 0]`, which equals the closed
//! forms of their Table 6.1 and statsmodels' `_relative_forecast_variance`.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

use super::estimate::Fit;
use super::model::Smoothing;

/// Forecasts for the days after the series: point forecast and the lower
/// and upper bounds of the prediction interval, one value per step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    /// Point forecasts (the mean of the forecast distribution).
    pub mean: Vec<f64>,
    /// Lower bounds of the prediction interval.
    pub lower: Vec<f64>,
    /// Upper bounds of the prediction interval.
    pub upper: Vec<f64>,
}

impl Fit {
    /// The next `horizon` values with a central prediction interval of
    /// probability `confidence` (e.g. 0.8, 0.9, 0.95): mean ± z·√var, with
    /// z the standard normal quantile at `0.5 + confidence/2`. A confidence
    /// outside `[0, 0.999999]` is clamped into it (NaN counts as 0: no band).
    pub fn forecast(&self, horizon: usize, confidence: f64) -> Forecast {
        let z = z_score(confidence);
        let sm = Smoothing::of(&self.params);
        let seasonal = self.spec.seasonal;
        let m = self.last.season.len();
        let mut out = Forecast {
            mean: Vec::with_capacity(horizon),
            lower: Vec::with_capacity(horizon),
            upper: Vec::with_capacity(horizon),
        };
        // Σ_{i=1}^{h} φ^i, φ^h, and Σ_{j=1}^{h-1} c_j².
        let (mut damping, mut power, mut spread) = (0.0, 1.0, 0.0);
        for h in 1..=horizon {
            power *= sm.phi;
            damping += power;
            let mean = self.last.level + damping * self.last.trend + self.last.season[(h - 1) % m];
            let half = z * (self.sigma2 * (1.0 + spread)).sqrt();
            out.mean.push(mean);
            out.lower.push(mean - half);
            out.upper.push(mean + half);
            let season_hit = seasonal && h % m == 0;
            let c = sm.alpha + sm.beta * damping + if season_hit { sm.gamma } else { 0.0 };
            spread += c * c;
        }
        out
    }
}

/// The standard normal quantile at `0.5 + confidence/2`.
fn z_score(confidence: f64) -> f64 {
    let confidence = if confidence.is_nan() {
        0.0
    } else {
        confidence.clamp(0.0, 0.999_999)
    };
    Normal::standard().inverse_cdf(0.5 + confidence / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn z_scores_are_the_usual_ones() {
        assert!((z_score(0.95) - 1.959_963_984_540_054).abs() < 1e-12);
        assert!((z_score(0.8) - 1.281_551_565_544_600_4).abs() < 1e-12);
        assert_eq!(z_score(f64::NAN), 0.0);
        assert!(z_score(2.0).is_finite());
    }
}
