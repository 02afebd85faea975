//! The analytics benchmark's questions (random dashboard filters, each
//! endpoint's own parameters) and what it reads off the KPI answers.

use rand::{seq::IndexedRandom, Rng};
use rand_pcg::Pcg64Mcg;
use server::analytics::calendar;

/// A random dashboard query string for `endpoint`.
pub fn random_query(rng: &mut Pcg64Mcg, endpoint: &str) -> String {
    let ranges = ["7d", "30d", "90d", "quarter", "year"];
    let mut query = if rng.random_bool(0.3) {
        let to = calendar::parse_day("2026-11-20").unwrap_or(0) - rng.random_range(0..700);
        let from = to - rng.random_range(0..400);
        format!(
            "from={}&to={}",
            calendar::format_day(from),
            calendar::format_day(to)
        )
    } else {
        format!("range={}", ranges.choose(rng).unwrap_or(&"30d"))
    };
    // The demo data's values, URL-encoded.
    let regions: Vec<_> = [
        "North%20America",
        "Europe",
        "Asia-Pacific",
        "Latin%20America",
        "Middle%20East%20%26%20Africa",
    ]
    .into_iter()
    .filter(|_| rng.random_bool(0.4))
    .collect();
    let categories: Vec<_> = [
        "Electronics",
        "Home%20%26%20Kitchen",
        "Apparel",
        "Sports%20%26%20Outdoors",
        "Beauty",
        "Toys%20%26%20Games",
    ]
    .into_iter()
    .filter(|_| rng.random_bool(0.4))
    .collect();
    if !regions.is_empty() {
        query += &format!("&regions={}", regions.join(","));
    }
    if !categories.is_empty() {
        query += &format!("&categories={}", categories.join(","));
    }
    query + suffix(endpoint)
}

/// The endpoint's own parameters, as the dashboard sends them.
pub fn suffix(endpoint: &str) -> &'static str {
    match endpoint {
        "timeseries" => "&metric=revenue&granularity=week",
        "breakdown" => "&dimension=region&metric=revenue",
        "customers" => "&granularity=month",
        "orders" => "&sort=-ordered_at&limit=50",
        _ => "",
    }
}

pub fn path(endpoint: &str) -> String {
    match endpoint {
        "orders" => "/api/v1/orders".to_owned(),
        other => format!("/api/v1/analytics/{other}"),
    }
}

/// What the cold KPI answers said of their customer figures.
#[derive(Default)]
pub struct Exactness {
    answers: usize,
    exact: usize,
    widest_active: f64,
    widest_churn: f64,
}

impl Exactness {
    pub fn add(&mut self, body: &[u8]) {
        let answer: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
        let approximate = &answer["data"]["approximate"];
        self.answers += 1;
        if approximate["fields"].as_array().is_some_and(Vec::is_empty) {
            self.exact += 1;
        }
        let value = answer["data"]["active_customers"]["value"]
            .as_f64()
            .unwrap_or(0.0);
        let bound = |field: &str| {
            approximate["bounds"][field]["value"]
                .as_f64()
                .unwrap_or(0.0)
        };
        self.widest_active = self
            .widest_active
            .max(bound("active_customers") / value.max(1.0));
        self.widest_churn = self.widest_churn.max(bound("churn_rate"));
    }

    pub fn line(&self) -> String {
        format!(
            "cold KPI answers with every customer figure exact: **{} of {}**; widest bound among the estimated ones: active customers ±{:.2} %, churn ±{:.2} points",
            self.exact,
            self.answers,
            self.widest_active * 100.0,
            self.widest_churn * 100.0
        )
    }
}
