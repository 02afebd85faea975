//! The dashboard's view state as it is kept in the URL query, e.g.
//! `?range=90d&region=Europe&region=North%20America&granularity=week&mode=advanced&compare=1&sort=-total`
//! (one escaped `region=` / `category=` pair per value, as the API takes them).
//!
//! Parsing is lenient (unknown values are ignored; the server validates
//! strictly), and values are put in a canonical order so that the same view
//! always has the same state — equal states never refetch anything.

use crate::{
    api::{Filters, Granularity, OrderField, RangePreset, SortColumn},
    components::{
        format::{is_date, span_days},
        url_state::{data_values, query_string, value_pairs, QueryState},
    },
};

/// Standard shows the essentials; Advanced adds cost, profit lines and the
/// customer cohort view.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Revenue-first view.
    #[default]
    Standard,
    /// Cost and profit series, the cost KPI and the cohort view.
    Advanced,
}

impl Mode {
    /// The query-string code.
    pub fn code(self) -> &'static str {
        match self {
            Mode::Standard => "standard",
            Mode::Advanced => "advanced",
        }
    }

    /// A label for the switch.
    pub fn label(self) -> &'static str {
        match self {
            Mode::Standard => "Standard",
            Mode::Advanced => "Advanced",
        }
    }
}

/// The order columns shown when the URL names none.
pub const DEFAULT_FIELDS: &[OrderField] = &[
    OrderField::Id,
    OrderField::OrderedAt,
    OrderField::CustomerId,
    OrderField::Region,
    OrderField::Category,
    OrderField::Product,
    OrderField::Quantity,
    OrderField::Total,
    OrderField::Status,
];

/// Everything a dashboard link reproduces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewState {
    /// Date range and region / category selection. `range` is always set
    /// unless a custom `from`/`to` is.
    pub filters: Filters,
    /// The granularity chosen explicitly; `None` follows the range.
    pub granularity: Option<Granularity>,
    /// Standard or Advanced.
    pub mode: Mode,
    /// Whether the chart shows the previous period too.
    pub compare: bool,
    /// Orders sort column.
    pub sort: SortColumn,
    /// Orders sort direction.
    pub descending: bool,
    /// Orders columns, in canonical order; always contains `Id`.
    pub fields: Vec<OrderField>,
}

impl Default for ViewState {
    fn default() -> Self {
        Self {
            filters: Filters {
                range: Some(RangePreset::Last30),
                ..Filters::default()
            },
            granularity: None,
            mode: Mode::Standard,
            compare: false,
            sort: SortColumn::OrderedAt,
            descending: true,
            fields: DEFAULT_FIELDS.to_vec(),
        }
    }
}

impl QueryState for ViewState {
    /// Reads the state from query parameters (`get("range")` etc.).
    fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        Self::from_query_all(|key| get(key).into_iter().collect())
    }

    /// Reads the state from query parameters; `region` and `category` may
    /// repeat (`get_all("region")` holds each value).
    fn from_query_all(get_all: impl Fn(&str) -> Vec<String>) -> Self {
        let get = |key: &str| get_all(key).pop();
        let mut state = Self::default();
        let from = get("from").filter(|d| is_date(d));
        let to = get("to").filter(|d| is_date(d));
        if let (Some(from), Some(to)) = (from, to) {
            let (from, to) = if from <= to { (from, to) } else { (to, from) };
            state.filters.range = None;
            state.filters.from = Some(from);
            state.filters.to = Some(to);
        } else if let Some(range) = get("range").as_deref().and_then(RangePreset::from_code) {
            state.filters.range = Some(range);
        }
        state.filters.regions = data_values(get_all("region"));
        state.filters.categories = data_values(get_all("category"));
        state.granularity = get("granularity")
            .as_deref()
            .and_then(Granularity::from_code);
        if get("mode").as_deref() == Some("advanced") {
            state.mode = Mode::Advanced;
        }
        state.compare = matches!(get("compare").as_deref(), Some("1" | "true"));
        if let Some(sort) = get("sort") {
            let (descending, code) = match sort.strip_prefix('-') {
                Some(code) => (true, code),
                None => (false, sort.as_str()),
            };
            if let Some(column) = SortColumn::from_code(code) {
                state.sort = column;
                state.descending = descending;
            }
        }
        let fields = codes(get("fields"), OrderField::ALL, OrderField::code);
        if !fields.is_empty() {
            state.fields = with_id(fields);
        }
        state
    }

    /// The query string for this state (`?…`, or empty for the default view);
    /// default values are left out.
    fn to_query(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        let f = &self.filters;
        match (&f.from, &f.to) {
            (Some(from), Some(to)) => {
                pairs.push(("from", from.clone()));
                pairs.push(("to", to.clone()));
            }
            _ => {
                if let Some(range) = f.range.filter(|r| *r != RangePreset::Last30) {
                    pairs.push(("range", range.code().to_owned()));
                }
            }
        }
        pairs.extend(value_pairs("region", &f.regions));
        pairs.extend(value_pairs("category", &f.categories));
        if let Some(granularity) = self.granularity {
            pairs.push(("granularity", granularity.code().to_owned()));
        }
        if self.mode == Mode::Advanced {
            pairs.push(("mode", "advanced".to_owned()));
        }
        if self.compare {
            pairs.push(("compare", "1".to_owned()));
        }
        if self.sort != SortColumn::OrderedAt || !self.descending {
            let sign = if self.descending { "-" } else { "" };
            pairs.push(("sort", format!("{sign}{}", self.sort.code())));
        }
        if self.fields != DEFAULT_FIELDS {
            pairs.push(("fields", join(&self.fields, OrderField::code)));
        }
        query_string(pairs)
    }
}

impl ViewState {
    /// The granularity in effect: the chosen one, or one that suits the range
    /// (days up to ~6 weeks, weeks up to ~6 months, months beyond).
    pub fn effective_granularity(&self) -> Granularity {
        self.granularity.unwrap_or_else(|| {
            let days = match (&self.filters.from, &self.filters.to) {
                (Some(from), Some(to)) => span_days(from, to).unwrap_or(30),
                _ => match self.filters.range.unwrap_or(RangePreset::Last30) {
                    RangePreset::Last7 | RangePreset::Last30 => 30,
                    RangePreset::Last90 | RangePreset::Quarter => 90,
                    RangePreset::Year => 365,
                },
            };
            match days {
                ..=45 => Granularity::Day,
                46..=200 => Granularity::Week,
                _ => Granularity::Month,
            }
        })
    }

    /// Whether the range is a custom `from`/`to`.
    pub fn is_custom(&self) -> bool {
        self.filters.from.is_some() && self.filters.to.is_some()
    }
}

/// Adds `Id` (always returned by the server) and sorts into canonical order.
pub fn with_id(mut fields: Vec<OrderField>) -> Vec<OrderField> {
    if !fields.contains(&OrderField::Id) {
        fields.push(OrderField::Id);
    }
    fields.sort();
    fields.dedup();
    fields
}

/// Known codes from a comma-separated list, deduplicated, in display order.
pub fn codes<T: Copy + PartialEq>(
    raw: Option<String>,
    all: &[T],
    code: fn(T) -> &'static str,
) -> Vec<T> {
    let raw = raw.unwrap_or_default();
    let wanted: Vec<&str> = raw.split(',').map(str::trim).collect();
    all.iter()
        .copied()
        .filter(|item| wanted.contains(&code(*item)))
        .collect()
}

/// The codes of `items`, comma-separated (as [`codes`] reads them).
pub fn join<T: Copy>(items: &[T], code: fn(T) -> &'static str) -> String {
    items.iter().map(|&i| code(i)).collect::<Vec<_>>().join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads a query string as the router does (pairs split first, then
    /// each value percent-decoded).
    fn parse(query: &str) -> ViewState {
        let pairs: Vec<(String, String)> = query
            .trim_start_matches('?')
            .split('&')
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| {
                let v = percent_encoding::percent_decode_str(v).decode_utf8_lossy();
                (k.to_owned(), v.into_owned())
            })
            .collect();
        ViewState::from_query_all(|key| {
            pairs
                .iter()
                .filter(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .collect()
        })
    }

    #[test]
    fn the_default_view_has_an_empty_query() {
        assert_eq!(parse(""), ViewState::default());
        assert_eq!(ViewState::default().to_query(), "");
        assert_eq!(parse("range=30d"), ViewState::default());
    }

    #[test]
    fn a_full_query_round_trips() {
        let query = "?range=90d&region=Europe&region=North%20America&category=Toys&granularity=week&mode=advanced&compare=1&sort=-total&fields=id,product,total";
        let state = parse(query);
        assert_eq!(state.filters.range, Some(RangePreset::Last90));
        assert_eq!(state.filters.regions, vec!["Europe", "North America"]);
        assert_eq!(state.granularity, Some(Granularity::Week));
        assert_eq!(state.mode, Mode::Advanced);
        assert!(state.compare);
        assert_eq!((state.sort, state.descending), (SortColumn::Total, true));
        assert_eq!(
            state.fields,
            vec![OrderField::Id, OrderField::Product, OrderField::Total]
        );
        assert_eq!(state.to_query(), query);
    }

    #[test]
    fn unknown_values_are_ignored_and_order_is_canonical() {
        let state = parse("range=forever&region=mars&region=eu&region=&region=eu&granularity=hour&sort=price&mode=x");
        assert_eq!(state.filters.range, Some(RangePreset::Last30));
        assert_eq!(state.filters.regions, vec!["eu", "mars"]);
        assert_eq!(state.granularity, None);
        assert_eq!(state.sort, SortColumn::OrderedAt);
        assert_eq!(state.mode, Mode::Standard);
        assert_eq!(parse("region=na&region=eu"), parse("region=eu&region=na"));
    }

    #[test]
    fn values_with_commas_quotes_and_accents_round_trip() {
        let odd = "Zürich \"Nord\", Süd";
        let mut state = ViewState::default();
        state.filters.regions = vec![odd.to_owned(), "Île-de-France".to_owned()];
        state.filters.categories = vec!["Home & Garden + More".to_owned()];
        let query = state.to_query();
        assert_eq!(query.matches("region=").count(), 2, "{query}");
        assert!(!query.contains(' ') && !query.contains('"'), "{query}");
        assert_eq!(parse(&query), state);
        // The same query pairs the API is sent.
        assert_eq!(
            state.filters.query_pairs()[1..],
            [
                ("region", odd.to_owned()),
                ("region", "Île-de-France".to_owned()),
                ("category", "Home & Garden + More".to_owned()),
            ]
        );
    }

    #[test]
    fn custom_dates_win_over_a_preset_and_are_ordered() {
        let state = parse("range=7d&from=2025-02-10&to=2025-01-01");
        assert!(state.is_custom());
        assert_eq!(state.filters.from.as_deref(), Some("2025-01-01"));
        assert_eq!(state.filters.range, None);
        assert_eq!(state.to_query(), "?from=2025-01-01&to=2025-02-10");
        assert!(!parse("from=2025-01-01&to=2025-02-31").is_custom());
    }

    #[test]
    fn granularity_follows_the_range_unless_chosen() {
        for (query, expected) in [
            ("range=7d", Granularity::Day),
            ("range=quarter", Granularity::Week),
            ("range=year", Granularity::Month),
            ("range=year&granularity=day", Granularity::Day),
            ("from=2025-01-01&to=2025-01-20", Granularity::Day),
        ] {
            assert_eq!(parse(query).effective_granularity(), expected, "{query}");
        }
    }

    #[test]
    fn the_id_column_is_always_kept() {
        assert_eq!(
            parse("fields=total").fields,
            vec![OrderField::Id, OrderField::Total]
        );
        assert_eq!(parse("fields=bogus").fields, DEFAULT_FIELDS.to_vec());
    }
}
