//! The Forecast page's URL, e.g. `/forecast?job=<id>`: the job shown (the
//! caller's latest forecast when there is none), and regions and categories
//! to start the form with (links from the dashboard carry its filters).

use leptos::prelude::*;

use crate::components::url_state::{
    data_values, query_string, value_pairs, History, QueryState, UrlState,
};

/// The longest job id accepted from a URL (ids are UUIDs).
const MAX_ID: usize = 64;

/// What the Forecast page's URL says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ForecastView {
    /// The job shown; `None`: the caller's latest forecast.
    pub job: Option<String>,
    /// Regions the form starts with.
    pub regions: Vec<String>,
    /// Categories the form starts with.
    pub categories: Vec<String>,
}

impl QueryState for ForecastView {
    fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        Self::from_query_all(|key| get(key).into_iter().collect())
    }

    /// `region` and `category` may repeat, one value each.
    fn from_query_all(get_all: impl Fn(&str) -> Vec<String>) -> Self {
        let job = get_all("job").pop().filter(|id| {
            !id.is_empty()
                && id.len() <= MAX_ID
                && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
        Self {
            job,
            regions: data_values(get_all("region")),
            categories: data_values(get_all("category")),
        }
    }

    fn to_query(&self) -> String {
        let mut pairs = Vec::new();
        if let Some(job) = &self.job {
            pairs.push(("job", job.clone()));
        }
        pairs.extend(value_pairs("region", &self.regions));
        pairs.extend(value_pairs("category", &self.categories));
        query_string(pairs)
    }
}

/// The Forecast page's link for a job.
pub fn job_href(id: &str) -> String {
    let view = ForecastView {
        job: Some(id.to_owned()),
        ..ForecastView::default()
    };
    format!("/forecast{}", view.to_query())
}

/// The Forecast page's link with the form set to these regions and categories.
pub fn new_forecast_href(regions: &[String], categories: &[String]) -> String {
    let view = ForecastView {
        job: None,
        regions: regions.to_vec(),
        categories: categories.to_vec(),
    };
    format!("/forecast{}", view.to_query())
}

/// The page's state, provided as context by [`provide_forecast`].
#[derive(Debug, Clone, Copy)]
pub struct ForecastState {
    /// The URL's view.
    pub view: Memo<ForecastView>,
    /// The job shown (from the URL).
    pub job: Memo<Option<String>>,
    /// A job a submit answered with instead of starting a new one.
    pub reused: RwSignal<Option<String>>,
    url: UrlState<ForecastView>,
}

impl ForecastState {
    /// Shows `id` (a new history entry, so Back returns to the job before).
    pub fn show(self, id: String) {
        self.url.update(|v| {
            *v = ForecastView {
                job: Some(id),
                ..ForecastView::default()
            }
        });
    }
}

/// Creates the page state from the URL and provides it as context.
pub fn provide_forecast() -> ForecastState {
    let url = UrlState::new(History::Push);
    let view = url.value();
    let state = ForecastState {
        view,
        job: Memo::new(move |_| view.with(|v| v.job.clone())),
        reused: RwSignal::new(None),
        url,
    };
    provide_context(state);
    state
}

/// The context set by [`provide_forecast`].
pub fn use_forecast() -> ForecastState {
    expect_context::<ForecastState>()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> ForecastView {
        ForecastView::from_query_all(|key| {
            pairs
                .iter()
                .filter(|(k, _)| *k == key)
                .map(|(_, v)| (*v).to_owned())
                .collect()
        })
    }

    #[test]
    fn a_job_link_round_trips() {
        let id = "0b8e5c4a-1f2d-4e8a-9c3b-7d6e5f4a3b2c";
        assert_eq!(job_href(id), format!("/forecast?job={id}"));
        assert_eq!(parse(&[("job", id)]).job.as_deref(), Some(id));
        assert_eq!(ForecastView::default().to_query(), "");
    }

    #[test]
    fn odd_ids_are_dropped_and_filters_are_read() {
        assert_eq!(parse(&[("job", "../admin")]).job, None);
        assert_eq!(parse(&[("job", "")]).job, None);
        let view = parse(&[
            ("region", "Zürich \"Nord\", Süd"),
            ("region", "Europe"),
            ("category", ""),
        ]);
        assert_eq!(view.regions, vec!["Europe", "Zürich \"Nord\", Süd"]);
        assert!(view.categories.is_empty());
        assert_eq!(
            new_forecast_href(&view.regions, &[]),
            "/forecast?region=Europe&region=Z%C3%BCrich%20%22Nord%22%2C%20S%C3%BCd"
        );
    }
}
