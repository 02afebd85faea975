//! Reading a submitted job's parameters: every problem named by its field,
//! the rest normalised (sorted, de-duplicated codes) so that identical
//! requests hash alike.

use api_types::{
    ExportFormat, ExportParams, ExportRequest, ForecastMetric, ForecastParams, ForecastRequest,
    OrderField,
};

use crate::{
    analytics::{
        calendar,
        dimensions::{Catalog, Dim},
    },
    validation::FieldErrors,
};

/// Days a forecast may look ahead.
pub const HORIZON_DAYS: std::ops::RangeInclusive<i64> = 7..=90;
/// The prediction intervals offered, percent.
pub const CONFIDENCES: [i64; 3] = [80, 90, 95];

/// A forecast request, checked; every invalid field is named.
pub fn parse_forecast(
    body: &ForecastRequest,
    catalog: &Catalog,
) -> Result<ForecastParams, FieldErrors> {
    let mut errors = FieldErrors::default();
    let metric = match body.target_metric.as_deref().map(str::trim) {
        None | Some("") => {
            errors.add(
                "target_metric",
                "target metric is required before running the forecast",
            );
            None
        }
        Some(code) => ForecastMetric::from_code(code).or_else(|| {
            errors.add(
                "target_metric",
                format!(
                    "unknown target metric '{}' (expected {})",
                    shown(code),
                    codes(ForecastMetric::ALL, |m| m.code())
                ),
            );
            None
        }),
    };
    let horizon = match body.horizon_days {
        Some(h) if HORIZON_DAYS.contains(&h) => u32::try_from(h).ok(),
        Some(_) => {
            errors.add("horizon_days", "horizon must be from 7 to 90 days");
            None
        }
        None => {
            errors.add("horizon_days", "horizon is required (7 to 90 days)");
            None
        }
    };
    let confidence = match body.confidence {
        Some(c) if CONFIDENCES.contains(&c) => u32::try_from(c).ok(),
        Some(_) => {
            errors.add("confidence", "confidence must be 80, 90 or 95 (percent)");
            None
        }
        None => {
            errors.add("confidence", "confidence is required (80, 90 or 95)");
            None
        }
    };
    let (regions, categories) = read_filters(
        body.regions.iter(),
        body.categories.iter(),
        catalog,
        &mut errors,
    );
    match (metric, horizon, confidence) {
        (Some(target_metric), Some(horizon_days), Some(confidence)) if errors.is_empty() => {
            Ok(ForecastParams {
                target_metric,
                horizon_days,
                confidence,
                include_weekends: body.include_weekends.unwrap_or(true),
                regions,
                categories,
            })
        }
        _ => Err(errors),
    }
}

/// An export request, checked; every invalid field is named.
pub fn parse_export(body: &ExportRequest, catalog: &Catalog) -> Result<ExportParams, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut day = |field: &str, raw: &Option<String>| match raw.as_deref().map(str::trim) {
        None | Some("") => {
            errors.add(field, format!("{field} is required (YYYY-MM-DD)"));
            None
        }
        Some(text) => calendar::parse_day(text).or_else(|| {
            errors.add(field, "must be a date as YYYY-MM-DD");
            None
        }),
    };
    let (from, to) = (day("from", &body.from), day("to", &body.to));
    if let (Some(from), Some(to)) = (from, to) {
        if to < from {
            errors.add("to", "must not be before from");
        }
    }
    let (regions, categories) = read_filters(
        body.regions.iter(),
        body.categories.iter(),
        catalog,
        &mut errors,
    );
    let mut fields = Vec::new();
    for raw in &body.fields {
        match OrderField::from_code(raw.trim()) {
            Some(field) if !fields.contains(&field) => fields.push(field),
            Some(_) => {}
            None => errors.add(
                "fields",
                format!(
                    "unknown field '{}' (expected {})",
                    shown(raw),
                    codes(OrderField::ALL, |f| f.code())
                ),
            ),
        }
    }
    if fields.is_empty() {
        fields = OrderField::ALL.to_vec();
    }
    let format = match body.format.as_deref().map(str::trim) {
        None | Some("") => Some(ExportFormat::Csv),
        Some(code) => ExportFormat::from_code(code).or_else(|| {
            errors.add("format", "format must be csv or csv.gz");
            None
        }),
    };
    match (from, to, format) {
        (Some(from), Some(to), Some(format)) if errors.is_empty() => Ok(ExportParams {
            from: calendar::format_day(from),
            to: calendar::format_day(to),
            regions,
            categories,
            fields,
            format,
        }),
        _ => Err(errors),
    }
}

/// The region and category values of a request, checked against the
/// data's catalog and normalised.
fn read_filters<'a>(
    regions: impl Iterator<Item = &'a String>,
    categories: impl Iterator<Item = &'a String>,
    catalog: &Catalog,
    errors: &mut FieldErrors,
) -> (Vec<String>, Vec<String>) {
    let mut read = |field: &str, dim: Dim, raw: Vec<&'a String>| {
        catalog
            .check(dim, raw.into_iter().map(String::as_str))
            .unwrap_or_else(|message| {
                errors.add(field, message);
                Vec::new()
            })
    };
    (
        read("regions", Dim::Region, regions.collect()),
        read("categories", Dim::Category, categories.collect()),
    )
}

/// A rejected value as an error message quotes it: trimmed, at most 64
/// characters, control characters escaped (the body may hold 1 MB of it).
fn shown(raw: &str) -> String {
    crate::audit::clean::text(raw.trim(), 64).into_owned()
}

fn codes<T: Copy>(all: &[T], code: impl Fn(T) -> &'static str) -> String {
    all.iter().map(|&v| code(v)).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::dimensions::test_catalog;

    fn catalog() -> Catalog {
        test_catalog(&["North America", "Europe", "Asia-Pacific"], &["Toys"])
    }

    fn forecast(
        metric: Option<&str>,
        horizon: Option<i64>,
        confidence: Option<i64>,
    ) -> ForecastRequest {
        ForecastRequest {
            target_metric: metric.map(Into::into),
            horizon_days: horizon,
            confidence,
            include_weekends: Some(true),
            regions: Vec::new(),
            categories: Vec::new(),
        }
    }

    #[test]
    fn every_forecast_violation_is_named() {
        let errors = parse_forecast(&forecast(None, Some(6), Some(85)), &catalog())
            .expect_err("invalid")
            .0;
        assert_eq!(
            errors["target_metric"],
            "target metric is required before running the forecast"
        );
        assert!(errors["horizon_days"].contains("7 to 90"));
        assert!(errors["confidence"].contains("80, 90 or 95"));
        let mut bad = forecast(Some("margin"), Some(91), Some(95));
        bad.regions = vec!["atlantis".into()];
        let errors = parse_forecast(&bad, &catalog()).expect_err("invalid").0;
        assert!(errors["target_metric"].contains("unknown target metric 'margin'"));
        assert!(errors.contains_key("horizon_days"));
        assert!(errors["regions"].contains("atlantis"));
    }

    #[test]
    fn hostile_values_are_quoted_short_and_escaped() {
        let mut body = forecast(Some("rev\0enue"), Some(30), Some(90));
        body.regions = vec!["x".repeat(100_000)];
        let errors = parse_forecast(&body, &catalog()).expect_err("invalid").0;
        assert!(
            !errors["target_metric"].contains('\0'),
            "{}",
            errors["target_metric"]
        );
        assert!(errors["regions"].len() < 200, "{}", errors["regions"].len());
    }

    #[test]
    fn forecast_codes_are_normalised() {
        let mut body = forecast(Some("revenue"), Some(30), Some(90));
        body.regions = vec![
            "North America".into(),
            " Europe".into(),
            "North America".into(),
        ];
        let params = parse_forecast(&body, &catalog()).expect("valid");
        assert_eq!(params.regions, vec!["Europe", "North America"]);
        assert_eq!(params.horizon_days, 30);
    }

    #[test]
    fn export_needs_an_ordered_period() {
        let body = ExportRequest {
            from: Some("2026-02-01".into()),
            to: Some("2026-01-01".into()),
            format: Some("zip".into()),
            fields: vec!["password".into()],
            ..ExportRequest::default()
        };
        let errors = parse_export(&body, &catalog()).expect_err("invalid").0;
        assert!(errors.contains_key("to"));
        assert!(errors.contains_key("format"));
        assert!(errors.contains_key("fields"));
    }
}
