//! CSV import settings (`TESSERA_IMPORT_*`).

use std::time::Duration;

use super::{analytics::within, parse_with, ConfigError};

/// Settings of `POST /api/v1/data/imports`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSettings {
    /// Largest upload, in bytes (413 above it, before it is read).
    pub max_bytes: usize,
    /// Longest an upload and its import may take.
    pub timeout: Duration,
    /// Uploads larger than this load in the background: `202` at once,
    /// then `GET /api/v1/data/imports/{id}` shows the rows read so far.
    pub background_above: usize,
}

impl ImportSettings {
    /// Reads the `TESSERA_IMPORT_*` variables (see `.env.sample`).
    pub fn from_lookup(get: &impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        Ok(Self {
            max_bytes: parse_with(get, "TESSERA_IMPORT_MAX_BYTES", "200MB", bytes)?,
            timeout: parse_with(get, "TESSERA_IMPORT_TIMEOUT", "30m", |v| {
                within(v, Duration::from_secs(10), Duration::from_secs(24 * 3600))
            })?,
            background_above: parse_with(get, "TESSERA_IMPORT_BACKGROUND_ABOVE", "16MB", bytes)?,
        })
    }
}

/// `200MB`, `1GB`, `512KB` or a number of bytes: 1 KB to 100 GB.
fn bytes(raw: &str) -> Result<usize, String> {
    let upper = raw.to_ascii_uppercase();
    let (digits, unit) = match upper.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => upper.split_at(at),
        None => (upper.as_str(), ""),
    };
    let scale: u64 = match unit.trim() {
        "" | "B" => 1,
        "KB" => 1 << 10,
        "MB" => 1 << 20,
        "GB" => 1 << 30,
        _ => return Err("expected a size such as 200MB, 1GB or 512KB".into()),
    };
    digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(scale))
        .filter(|n| (1 << 10..=100 << 30).contains(n))
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| "expected a size from 1KB to 100GB, such as 200MB".into())
}

/// The variables read here.
pub const VARIABLES: &[&str] = &[
    "TESSERA_IMPORT_MAX_BYTES",
    "TESSERA_IMPORT_TIMEOUT",
    "TESSERA_IMPORT_BACKGROUND_ABOVE",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_with_units() {
        assert_eq!(bytes("200MB"), Ok(200 << 20));
        assert_eq!(bytes("1gb"), Ok(1 << 30));
        assert_eq!(bytes("4096"), Ok(4096));
        for bad in ["", "12XB", "-5MB", "1B", "999GB"] {
            assert!(bytes(bad).is_err(), "{bad}");
        }
    }
}
