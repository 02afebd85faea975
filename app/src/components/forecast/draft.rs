//! The forecast form as typed: what is wrong with it (the browser's
//! checks, which only explain the server's rules early) and the request it
//! makes.

use std::collections::BTreeMap;

use crate::api::{ForecastMetric, ForecastRequest};

/// Days a forecast may look ahead, and the intervals offered: the server's
/// rules (`server/src/jobs/params.rs`), repeated here only to explain them
/// before anything is sent.
pub const HORIZON_DAYS: std::ops::RangeInclusive<i64> = 7..=90;
/// The prediction intervals offered, percent (see [`HORIZON_DAYS`]).
pub const CONFIDENCES: [i64; 3] = [80, 90, 95];

/// The form as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The metric's code (empty: none chosen).
    pub metric: String,
    /// The horizon in days, as typed.
    pub horizon: String,
    /// The interval, percent.
    pub confidence: i64,
    /// Whether weekends count.
    pub weekends: bool,
    /// Regions (empty: all).
    pub regions: Vec<String>,
    /// Categories (empty: all).
    pub categories: Vec<String>,
}

impl Draft {
    /// What is wrong, by the API's field name.
    pub fn problems(&self) -> BTreeMap<&'static str, String> {
        let mut problems = BTreeMap::new();
        if ForecastMetric::from_code(&self.metric).is_none() {
            problems.insert(
                "target_metric",
                "Choose a target metric: it is required before running the forecast.".to_owned(),
            );
        }
        match self.horizon.trim() {
            "" => {
                problems.insert(
                    "horizon_days",
                    "Horizon is required (7 to 90 days).".to_owned(),
                );
            }
            text if !text.parse::<i64>().is_ok_and(|h| HORIZON_DAYS.contains(&h)) => {
                problems.insert(
                    "horizon_days",
                    "Horizon must be from 7 to 90 days.".to_owned(),
                );
            }
            _ => {}
        }
        if !CONFIDENCES.contains(&self.confidence) {
            problems.insert(
                "confidence",
                "Confidence must be 80, 90 or 95 %.".to_owned(),
            );
        }
        problems
    }

    /// The request, with the horizon as typed (the server judges it).
    pub fn request(&self) -> ForecastRequest {
        ForecastRequest {
            target_metric: Some(self.metric.clone()).filter(|m| !m.is_empty()),
            horizon_days: self.horizon.trim().parse().ok(),
            confidence: Some(self.confidence),
            include_weekends: Some(self.weekends),
            regions: self.regions.clone(),
            categories: self.categories.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> Draft {
        Draft {
            metric: "revenue".into(),
            horizon: "30".into(),
            confidence: 90,
            weekends: true,
            regions: vec!["Zürich \"Nord\", Süd".to_owned()],
            categories: Vec::new(),
        }
    }

    #[test]
    fn the_browser_checks_follow_the_servers_rules() {
        assert!(draft().problems().is_empty());
        let missing = Draft {
            metric: String::new(),
            horizon: " ".into(),
            ..draft()
        };
        let problems = missing.problems();
        assert!(problems["target_metric"].contains("required"));
        assert!(problems["horizon_days"].contains("required"));
        for bad in ["6", "91", "30.5", "thirty"] {
            let problems = Draft {
                horizon: bad.into(),
                ..draft()
            }
            .problems();
            assert_eq!(
                problems["horizon_days"], "Horizon must be from 7 to 90 days.",
                "{bad}"
            );
        }
        assert!(Draft {
            horizon: "7".into(),
            ..draft()
        }
        .problems()
        .is_empty());
        assert!(Draft {
            confidence: 85,
            ..draft()
        }
        .problems()
        .contains_key("confidence"));
    }

    #[test]
    fn the_request_carries_the_form() {
        let request = draft().request();
        assert_eq!(request.target_metric.as_deref(), Some("revenue"));
        assert_eq!(request.horizon_days, Some(30));
        assert_eq!(request.regions, vec!["Zürich \"Nord\", Süd".to_owned()]);
        assert_eq!(
            Draft {
                metric: String::new(),
                ..draft()
            }
            .request()
            .target_metric,
            None
        );
    }
}
