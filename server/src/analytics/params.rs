//! Query-string parsing for the analytics endpoints: strict (an unknown
//! parameter, a repeated one or an unknown value is a 400 naming the field)
//! and normalising (equal questions get equal cache keys).

use std::collections::BTreeMap;

use api_types::{Dimension, Granularity, Metric, RangePreset};

use super::{
    calendar::{self, Day, Period},
    dimensions::{Catalog, Dim},
};
use crate::{storage::OrderFilter, validation::FieldErrors};

/// The longest period a query may cover.
pub const MAX_PERIOD_DAYS: i64 = 3_660;
/// The filter parameters every analytics endpoint accepts.
pub const FILTER_PARAMS: [&str; 7] = [
    "range",
    "from",
    "to",
    "region",
    "regions",
    "category",
    "categories",
];

/// Parameters that may be repeated, one value each (`region=A&region=B`):
/// a region or category may hold a comma.
const REPEATABLE: [&str; 2] = ["region", "category"];

/// A query string being taken apart; errors are collected per field.
#[derive(Debug)]
pub struct Params {
    values: BTreeMap<String, String>,
    repeated: BTreeMap<String, Vec<String>>,
    errors: BTreeMap<String, String>,
}

impl Params {
    /// Splits `raw`, rejecting parameters not in `allowed` and repeats
    /// (but for `region` and `category`).
    pub fn parse(raw: Option<&str>, allowed: &[&str]) -> Self {
        let mut values = BTreeMap::new();
        let mut repeated: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut errors = BTreeMap::new();
        for (key, value) in url::form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            let key = key.into_owned();
            if !allowed.contains(&key.as_str()) {
                errors.insert(
                    key,
                    format!("unknown parameter (allowed: {})", allowed.join(", ")),
                );
            } else if REPEATABLE.contains(&key.as_str()) {
                repeated.entry(key).or_default().push(value.into_owned());
            } else if values.insert(key.clone(), value.into_owned()).is_some() {
                errors.insert(key, "given more than once".into());
            }
        }
        Self {
            values,
            repeated,
            errors,
        }
    }

    /// The values of a dimension: every `single=` pair, and each item of a
    /// comma-separated `list=` (empty items ignored), checked against the
    /// catalog; errors are recorded under the name used.
    pub fn take_values(
        &mut self,
        (single, list): (&str, &str),
        dim: Dim,
        catalog: &Catalog,
    ) -> Vec<String> {
        let mut raw = self.repeated.remove(single).unwrap_or_default();
        let from_list = self.take(list).is_some_and(|joined| {
            raw.extend(
                joined
                    .split(',')
                    .filter(|item| !item.trim().is_empty())
                    .map(str::to_owned),
            );
            true
        });
        match catalog.check(dim, raw.iter().map(String::as_str)) {
            Ok(values) => values,
            Err(message) => {
                self.fail(if from_list { list } else { single }, message);
                Vec::new()
            }
        }
    }

    /// Takes a parameter's raw value (`None` when absent or empty).
    pub fn take(&mut self, key: &str) -> Option<String> {
        self.values.remove(key).filter(|v| !v.trim().is_empty())
    }

    /// Records an error for `key`.
    pub fn fail(&mut self, key: &str, message: impl Into<String>) {
        self.errors.entry(key.to_owned()).or_insert(message.into());
    }

    /// Parses a parameter with `parse`, recording its error.
    pub fn take_with<T>(
        &mut self,
        key: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        let raw = self.take(key)?;
        match parse(raw.trim()) {
            Ok(value) => Some(value),
            Err(message) => {
                self.fail(key, message);
                None
            }
        }
    }

    /// Parses an API code (`metric=revenue`).
    pub fn take_code<T: Copy>(
        &mut self,
        key: &str,
        from_code: fn(&str) -> Option<T>,
        all: &[T],
        code: fn(T) -> &'static str,
    ) -> Option<T> {
        self.take_with(key, |raw| {
            from_code(raw).ok_or_else(|| expected(raw, all, code))
        })
    }

    /// Parses a comma-separated list of codes, sorted and without repeats.
    pub fn take_codes<T: Copy + Ord>(
        &mut self,
        key: &str,
        from_code: fn(&str) -> Option<T>,
        all: &[T],
        code: fn(T) -> &'static str,
    ) -> Vec<T> {
        let parsed = self.take_with(key, |raw| {
            let mut items = raw
                .split(',')
                .map(|item| from_code(item.trim()).ok_or_else(|| expected(item, all, code)))
                .collect::<Result<Vec<_>, _>>()?;
            items.sort_unstable();
            items.dedup();
            Ok(items)
        });
        match parsed {
            // Every value selected is the same question as none selected.
            Some(items) if items.len() < all.len() => items,
            _ => Vec::new(),
        }
    }

    /// An integer within `min..=max`.
    pub fn take_int(&mut self, key: &str, min: i64, max: i64) -> Option<i64> {
        self.take_with(key, |raw| match raw.parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(format!("must be a whole number from {min} to {max}")),
        })
    }

    /// `true`/`false` (also `1`/`0`).
    pub fn take_bool(&mut self, key: &str) -> Option<bool> {
        self.take_with(key, |raw| match raw {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            _ => Err("must be true or false".into()),
        })
    }

    /// Ends parsing: `Err` with every field's problem, if any.
    pub fn finish<T>(self, value: T) -> Result<T, FieldErrors> {
        FieldErrors(self.errors).finish(value)
    }
}

fn expected<T: Copy>(raw: &str, all: &[T], code: fn(T) -> &'static str) -> String {
    let codes: Vec<_> = all.iter().map(|&v| code(v)).collect();
    format!(
        "unknown value '{}' (expected one of: {})",
        raw.trim(),
        codes.join(", ")
    )
}

/// The dashboard filters, validated and normalised.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FilterSet {
    /// The days asked about.
    pub period: Period,
    /// Regions to include (sorted; empty = all).
    pub regions: Vec<String>,
    /// Categories to include (sorted; empty = all).
    pub categories: Vec<String>,
}

impl FilterSet {
    /// Reads the filter parameters. Presets end at `anchor`, the last day
    /// with data; regions and categories must be in `catalog`.
    pub fn take(params: &mut Params, anchor: Day, catalog: &Catalog) -> FilterSet {
        let range = params.take_code(
            "range",
            RangePreset::from_code,
            RangePreset::ALL,
            RangePreset::code,
        );
        let from = params.take_with("from", parse_day);
        let to = params.take_with("to", parse_day);
        let period = match (from, to) {
            (Some(from), Some(to)) if from > to => {
                params.fail("to", "must not be before from");
                None
            }
            (Some(from), Some(to)) if to - from + 1 > MAX_PERIOD_DAYS => {
                params.fail(
                    "from",
                    format!("the period may span at most {MAX_PERIOD_DAYS} days"),
                );
                None
            }
            (Some(from), Some(to)) => {
                if range.is_some() {
                    params.fail("range", "give either range or from and to, not both");
                }
                Some(Period { from, to })
            }
            (Some(_), None) => {
                params.fail("to", "required when from is given");
                None
            }
            (None, Some(_)) => {
                params.fail("from", "required when to is given");
                None
            }
            (None, None) => None,
        };
        let period = period.unwrap_or_else(|| preset(range.unwrap_or(RangePreset::Last30), anchor));
        FilterSet {
            period,
            regions: params.take_values(("region", "regions"), Dim::Region, catalog),
            categories: params.take_values(("category", "categories"), Dim::Category, catalog),
        }
    }

    /// The normalised form, for cache keys: the values as JSON strings, so
    /// no value can pass for another list.
    pub fn key(&self) -> String {
        let json = |values: &[String]| serde_json::to_string(values).unwrap_or_default();
        format!(
            "{}..{}|{}|{}",
            self.period.from,
            self.period.to,
            json(&self.regions),
            json(&self.categories)
        )
    }

    /// The normalised filters as a JSON object (for the audit log).
    pub fn context(&self) -> serde_json::Map<String, serde_json::Value> {
        let (regions, categories) = (self.regions.clone(), self.categories.clone());
        let mut map = serde_json::Map::new();
        map.insert("from".into(), calendar::format_day(self.period.from).into());
        map.insert("to".into(), calendar::format_day(self.period.to).into());
        map.insert("regions".into(), regions.into());
        map.insert("categories".into(), categories.into());
        map
    }

    /// The filter as storage applies it: the period and the values.
    pub fn to_storage(&self) -> OrderFilter {
        OrderFilter {
            period: self.period,
            regions: self.regions.clone(),
            categories: self.categories.clone(),
        }
    }
}

fn parse_day(raw: &str) -> Result<Day, String> {
    calendar::parse_day(raw).ok_or_else(|| "must be a date as YYYY-MM-DD".into())
}

/// The period a preset means when the data ends on `anchor`.
pub fn preset(range: RangePreset, anchor: Day) -> Period {
    let from = match range {
        RangePreset::Last7 => anchor - 6,
        RangePreset::Last30 => anchor - 29,
        RangePreset::Last90 => anchor - 89,
        RangePreset::Quarter => {
            let month = calendar::month_of(anchor);
            calendar::month_start(month - month.rem_euclid(12) % 3)
        }
        RangePreset::Year => {
            let month = calendar::month_of(anchor);
            calendar::month_start(month - month.rem_euclid(12))
        }
    };
    Period { from, to: anchor }
}

/// Reads `metric`, default revenue.
pub fn take_metric(params: &mut Params) -> Metric {
    params
        .take_code("metric", Metric::from_code, Metric::ALL, Metric::code)
        .unwrap_or(Metric::Revenue)
}

/// Reads `granularity`, `default` when absent.
pub fn take_granularity(params: &mut Params, default: Granularity) -> Granularity {
    params
        .take_code(
            "granularity",
            Granularity::from_code,
            Granularity::ALL,
            Granularity::code,
        )
        .unwrap_or(default)
}

/// Reads `dimension` (required).
pub fn take_dimension(params: &mut Params) -> Dimension {
    let dimension = params.take_code(
        "dimension",
        Dimension::from_code,
        Dimension::ALL,
        Dimension::code,
    );
    dimension.unwrap_or_else(|| {
        params.fail("dimension", "required: region or category");
        Dimension::Region
    })
}

#[cfg(test)]
mod tests;
