//! The upstream answers accepted, turned into one list of figures.
//!
//! 1. A list: `{"metrics": [{"name": "orders", "value": 1234, "unit":
//!    "pcs", "label": "Orders"}, …], "asOf": "…"}`: `name` and a finite
//!    `value` required, `unit` and `label` optional; other keys ignored.
//! 2. A flat summary: `{"horizonDays": 30, "forecastRevenue": 81234.5,
//!    "orders": 1234, "asOf": "…"}`: every key but `horizonDays` (the
//!    horizon echoed) and `asOf` (a string) must hold a finite number.
//!
//! Anything else (not JSON, another shape, `null`, a string where a number
//! belongs, a number JSON cannot hold) is malformed.

use api_types::UpstreamFigure;
use serde_json::{Map, Value};

use crate::validation::refuse_unsafe;

/// Most figures one answer may hold.
pub const MAX_FIGURES: usize = 200;
const MAX_TEXT: usize = 100;

/// An upstream answer, normalised.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// The figures, in the order given.
    pub figures: Vec<UpstreamFigure>,
    /// The service's own timestamp, as given.
    pub as_of: Option<String>,
}

/// Reads an answer body; `Err` says why it is malformed (for the log).
pub fn parse(body: &[u8]) -> Result<Parsed, String> {
    let value: Value = serde_json::from_slice(body).map_err(|e| format!("not JSON: {e}"))?;
    let Value::Object(map) = value else {
        return Err("not a JSON object".into());
    };
    let as_of = match map.get("asOf") {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => Some(text_field("asOf", text)?),
        Some(_) => return Err("asOf is not a string".into()),
    };
    let figures = match map.get("metrics") {
        Some(Value::Array(items)) => listed(items)?,
        Some(_) => return Err("metrics is not an array".into()),
        None => flat(&map)?,
    };
    if figures.len() > MAX_FIGURES {
        return Err(format!("more than {MAX_FIGURES} figures"));
    }
    Ok(Parsed { figures, as_of })
}

fn listed(items: &[Value]) -> Result<Vec<UpstreamFigure>, String> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let item = item
                .as_object()
                .ok_or_else(|| format!("metrics[{i}] is not an object"))?;
            let text = |key: &str| match item.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => text_field(key, s).map(Some),
                Some(_) => Err(format!("metrics[{i}].{key} is not a string")),
            };
            let key = text("name")?.ok_or_else(|| format!("metrics[{i}] has no name"))?;
            let value = number(&format!("metrics[{i}].value"), item.get("value"))?;
            let label = text("label")?.unwrap_or_else(|| label_of(&key));
            Ok(UpstreamFigure {
                label,
                key,
                value,
                unit: text("unit")?,
            })
        })
        .collect()
}

fn flat(map: &Map<String, Value>) -> Result<Vec<UpstreamFigure>, String> {
    let mut figures = Vec::new();
    for (key, value) in map {
        if key == "asOf" {
            continue;
        }
        let number = number(key, Some(value))?;
        if key == "horizonDays" {
            continue;
        }
        figures.push(UpstreamFigure {
            key: text_field("key", key)?,
            label: label_of(key),
            value: number,
            unit: None,
        });
    }
    if figures.is_empty() {
        return Err("no figures".into());
    }
    Ok(figures)
}

fn number(what: &str, value: Option<&Value>) -> Result<f64, String> {
    match value.and_then(Value::as_f64) {
        Some(n) if n.is_finite() => Ok(n),
        _ => Err(format!("{what} is not a finite number")),
    }
}

fn text_field(what: &str, text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_TEXT {
        return Err(format!("{what} must hold 1 to {MAX_TEXT} characters"));
    }
    refuse_unsafe(text).map_err(|why| format!("{what} {why}"))?;
    Ok(text.to_owned())
}

/// `forecastRevenue` → `Forecast revenue`, `active_customers` → `Active
/// customers`; runs of capitals (`AOV`) stay as they are.
pub fn label_of(key: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut previous_lower = false;
    for c in key.chars() {
        if c == '_' || c == '-' || c == ' ' || c == '.' {
            words.push(String::new());
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower {
            words.push(String::new());
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        match words.last_mut() {
            Some(word) => word.push(c),
            None => words.push(c.to_string()),
        }
    }
    let words: Vec<String> = words
        .into_iter()
        .filter(|w| !w.is_empty())
        .enumerate()
        .map(|(i, w)| {
            let acronym = w.chars().count() > 1 && w.chars().all(|c| !c.is_lowercase());
            if acronym {
                w
            } else if i == 0 {
                let mut chars = w.chars();
                chars.next().map_or_else(String::new, |first| {
                    first
                        .to_uppercase()
                        .chain(chars.flat_map(char::to_lowercase))
                        .collect()
                })
            } else {
                w.to_lowercase()
            }
        })
        .collect();
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure(key: &str, label: &str, value: f64, unit: Option<&str>) -> UpstreamFigure {
        UpstreamFigure {
            key: key.into(),
            label: label.into(),
            value,
            unit: unit.map(Into::into),
        }
    }

    #[test]
    fn a_flat_summary_becomes_figures() {
        let body =
            br#"{"horizonDays":30,"forecastRevenue":81234.5,"orders":1234,"asOf":"2026-01-02"}"#;
        let parsed = parse(body).expect("flat");
        assert_eq!(parsed.as_of.as_deref(), Some("2026-01-02"));
        assert_eq!(
            parsed.figures,
            [
                figure("forecastRevenue", "Forecast revenue", 81234.5, None),
                figure("orders", "Orders", 1234.0, None),
            ]
        );
    }

    #[test]
    fn a_list_keeps_its_order_units_and_labels() {
        let body = br#"{"metrics":[{"name":"b_rate","value":0.5,"unit":"%"},
            {"name":"a","value":-2,"label":"Alpha"}],"extra":true}"#;
        let parsed = parse(body).expect("list");
        assert_eq!(
            parsed.figures,
            [
                figure("b_rate", "B rate", 0.5, Some("%")),
                figure("a", "Alpha", -2.0, None),
            ]
        );
        assert!(parse(br#"{"metrics":[]}"#)
            .expect("empty")
            .figures
            .is_empty());
    }

    #[test]
    fn anything_else_is_malformed() {
        let bad: &[&[u8]] = &[
            b"<html>oops</html>",
            b"",
            b"[1,2]",
            b"42",
            b"{}",
            br#"{"horizonDays":30}"#,
            br#"{"orders":"12"}"#,
            br#"{"orders":null}"#,
            br#"{"orders":{"v":1}}"#,
            br#"{"orders":1e999}"#,
            br#"{"orders":NaN}"#,
            br#"{"metrics":{"name":"x"}}"#,
            br#"{"metrics":[{"value":1}]}"#,
            br#"{"metrics":[{"name":"x","value":"1"}]}"#,
            br#"{"metrics":[{"name":"x","value":1,"unit":5}]}"#,
            br#"{"metrics":[{"name":"x\u0007","value":1}]}"#,
            br#"{"orders":1,"asOf":7}"#,
        ];
        for body in bad {
            assert!(parse(body).is_err(), "{}", String::from_utf8_lossy(body));
        }
    }

    #[test]
    fn labels_read_like_words() {
        assert_eq!(label_of("forecastRevenue"), "Forecast revenue");
        assert_eq!(label_of("active_customers"), "Active customers");
        assert_eq!(label_of("totalAOV"), "Total AOV");
        assert_eq!(label_of("p95LatencyMs"), "P95 latency ms");
    }
}
