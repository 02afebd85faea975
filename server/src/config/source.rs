//! The PostgreSQL warehouse source (`TESSERA_SOURCE_*`): where orders are
//! pulled from, how its columns map to Tessera's, and the watermark.

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};

use super::{analytics::within, parse_with, ConfigError};

/// Tessera's order columns, each read from a source column of the same name
/// unless `TESSERA_SOURCE_COLUMNS` maps it (`id` and `discount` may be
/// mapped to `-` when the source has none).
pub const TARGETS: [&str; 11] = [
    "id",
    "ordered_at",
    "customer_id",
    "region",
    "category",
    "product",
    "quantity",
    "unit_price",
    "unit_cost",
    "discount",
    "status",
];

/// What the source reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceFrom {
    /// A table or view: its quoted, possibly schema-qualified name.
    Table(String),
    /// A query (trusted configuration), read as a subquery.
    Query(String),
}

/// Settings of the warehouse source.
#[derive(Clone)]
pub struct SourceSettings {
    /// The PostgreSQL URL (read-only use; it may hold a password).
    pub url: SecretString,
    /// `table "orders" on host:5432/db` — never the password.
    pub description: String,
    /// The table or query.
    pub from: SourceFrom,
    /// Per target column (in [`TARGETS`] order): the quoted source column,
    /// or `None` when the source has none (`id`, `discount`).
    pub columns: Vec<Option<String>>,
    /// The watermark column, quoted.
    pub watermark: String,
    /// The watermark column as configured (shown in the status).
    pub watermark_name: String,
    /// How often the source is pulled.
    pub interval: Duration,
    /// Rows per pulled batch.
    pub batch: usize,
}

impl std::fmt::Debug for SourceSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SourceSettings")
            .field("description", &self.description)
            .field("watermark", &self.watermark_name)
            .finish_non_exhaustive()
    }
}

/// The variables read here.
pub const VARIABLES: &[&str] = &[
    "TESSERA_SOURCE_URL",
    "TESSERA_SOURCE_TABLE",
    "TESSERA_SOURCE_QUERY",
    "TESSERA_SOURCE_COLUMNS",
    "TESSERA_SOURCE_WATERMARK",
    "TESSERA_SOURCE_INTERVAL",
    "TESSERA_SOURCE_BATCH",
];

impl SourceSettings {
    /// Reads the `TESSERA_SOURCE_*` variables; `None` without a URL.
    pub fn from_lookup(get: &impl Fn(&str) -> Option<String>) -> Result<Option<Self>, ConfigError> {
        let Some(raw_url) = get("TESSERA_SOURCE_URL").filter(|u| !u.trim().is_empty()) else {
            return Ok(None);
        };
        let fail = |variable, message: &str| Err(ConfigError::new(variable, message));
        let url = url::Url::parse(raw_url.trim())
            .ok()
            .filter(|u| matches!(u.scheme(), "postgres" | "postgresql"));
        let Some(url) = url else {
            return fail(
                "TESSERA_SOURCE_URL",
                "expected a PostgreSQL URL such as postgres://reader@host:5432/warehouse",
            );
        };
        let table = get("TESSERA_SOURCE_TABLE").filter(|t| !t.trim().is_empty());
        let query = get("TESSERA_SOURCE_QUERY").filter(|q| !q.trim().is_empty());
        let from = match (table, query) {
            (Some(table), None) => SourceFrom::Table(
                qualified(table.trim())
                    .ok_or_else(|| ConfigError::new("TESSERA_SOURCE_TABLE", NAME_RULE))?,
            ),
            (None, Some(query)) => SourceFrom::Query(query.trim().trim_end_matches(';').into()),
            _ => {
                return fail(
                    "TESSERA_SOURCE_TABLE",
                    "set exactly one of TESSERA_SOURCE_TABLE and TESSERA_SOURCE_QUERY",
                )
            }
        };
        let columns = columns(&get("TESSERA_SOURCE_COLUMNS").unwrap_or_default())
            .map_err(|m| ConfigError::new("TESSERA_SOURCE_COLUMNS", m))?;
        let watermark_name = get("TESSERA_SOURCE_WATERMARK")
            .map(|w| w.trim().to_owned())
            .filter(|w| !w.is_empty())
            .unwrap_or_else(|| "id".into());
        let watermark = quote(&watermark_name)
            .ok_or_else(|| ConfigError::new("TESSERA_SOURCE_WATERMARK", NAME_RULE))?;
        let what = match &from {
            SourceFrom::Table(name) => format!("table {name}"),
            SourceFrom::Query(_) => "query".into(),
        };
        let description = format!(
            "{what} on {}:{}{}",
            url.host_str().unwrap_or("localhost"),
            url.port().unwrap_or(5432),
            url.path()
        );
        Ok(Some(Self {
            url: SecretString::from(raw_url.trim().to_owned()),
            description,
            from,
            columns,
            watermark,
            watermark_name,
            interval: parse_with(get, "TESSERA_SOURCE_INTERVAL", "5m", |v| {
                within(v, Duration::from_secs(1), Duration::from_secs(86_400))
            })?,
            batch: parse_with(get, "TESSERA_SOURCE_BATCH", "10000", |v| match v.parse() {
                Ok(n) if (100..=1_000_000).contains(&n) => Ok(n),
                _ => Err("expected a whole number from 100 to 1000000".into()),
            })?,
        }))
    }

    /// The URL, for connecting only.
    pub fn url(&self) -> &str {
        self.url.expose_secret()
    }
}

const NAME_RULE: &str =
    "expected a column or table name: letters, digits and _, not starting with a digit";

/// `name` as a quoted SQL identifier, if it is a plain one.
fn quote(name: &str) -> Option<String> {
    let mut chars = name.chars();
    let first = chars.next()?;
    let plain = (first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.len() <= 63;
    plain.then(|| format!("\"{name}\""))
}

/// `schema.table` or `table`, quoted.
fn qualified(name: &str) -> Option<String> {
    let parts: Option<Vec<String>> = name.split('.').map(quote).collect();
    parts.filter(|p| p.len() <= 2).map(|p| p.join("."))
}

/// `ordered_at=created,customer_id=client,discount=-`: per target, the
/// quoted source column (the target's own name when not mapped).
fn columns(raw: &str) -> Result<Vec<Option<String>>, String> {
    let mut mapped: Vec<Option<String>> = TARGETS.iter().map(|t| quote(t)).collect();
    for pair in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (target, source) = pair
            .split_once('=')
            .ok_or_else(|| format!("'{pair}' is not target=source_column"))?;
        let index = TARGETS
            .iter()
            .position(|t| *t == target.trim())
            .ok_or_else(|| {
                format!(
                    "unknown column '{}' (expected: {})",
                    target.trim(),
                    TARGETS.join(", ")
                )
            })?;
        let source = source.trim();
        mapped[index] = if source == "-" && matches!(TARGETS[index], "id" | "discount") {
            None
        } else {
            Some(quote(source).ok_or_else(|| format!("'{source}': {NAME_RULE}"))?)
        };
    }
    Ok(mapped)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(pairs: &[(&str, &str)]) -> Result<Option<SourceSettings>, ConfigError> {
        let map: std::collections::BTreeMap<_, _> = pairs.iter().copied().collect();
        SourceSettings::from_lookup(&|k: &str| map.get(k).map(|v| (*v).to_owned()))
    }

    #[test]
    fn off_without_a_url() {
        assert!(read(&[]).expect("ok").is_none());
    }

    #[test]
    fn names_are_checked_and_the_password_is_not_shown() {
        let source = read(&[
            (
                "TESSERA_SOURCE_URL",
                "postgres://reader:s3cret@db.example:6543/wh",
            ),
            ("TESSERA_SOURCE_TABLE", "sales.orders"),
            (
                "TESSERA_SOURCE_COLUMNS",
                "ordered_at=created, customer_id=client,discount=-",
            ),
        ])
        .expect("valid")
        .expect("configured");
        assert_eq!(
            source.description,
            "table \"sales\".\"orders\" on db.example:6543/wh"
        );
        assert_eq!(source.columns[1].as_deref(), Some("\"created\""));
        assert_eq!(source.columns[9], None);
        assert!(!format!("{source:?}").contains("s3cret"));
        for (variable, value) in [
            ("TESSERA_SOURCE_TABLE", "orders; DROP TABLE x"),
            ("TESSERA_SOURCE_COLUMNS", "region=\"x\""),
            ("TESSERA_SOURCE_COLUMNS", "colour=x"),
            ("TESSERA_SOURCE_WATERMARK", "1id"),
        ] {
            let error = read(&[
                ("TESSERA_SOURCE_URL", "postgres://db/wh"),
                ("TESSERA_SOURCE_TABLE", "orders"),
                (variable, value),
            ])
            .expect_err(value);
            assert_eq!(error.variable, variable);
        }
        assert!(read(&[
            ("TESSERA_SOURCE_URL", "mysql://db/wh"),
            ("TESSERA_SOURCE_TABLE", "o")
        ])
        .is_err());
    }
}
