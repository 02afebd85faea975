//! Analytics settings: refresh schedule, version polling, the query cache
//! and the demo dataset size.

use std::time::Duration;

use super::{parse_with, ConfigError};

/// Settings of the analytics subsystem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyticsSettings {
    /// How often each instance rolls up new orders (`None`: only on demand).
    pub refresh_interval: Option<Duration>,
    /// How often each instance reads the dataset version.
    pub version_poll: Duration,
    /// The query cache.
    pub cache: CacheSettings,
    /// Memory for customer sketches held by each instance (0: none).
    pub sketch_bytes: u64,
    /// Customers a rollup cell keeps as an exact set before it turns into
    /// a sketch (0: sketches only).
    pub exact_customers: usize,
    /// Orders generated on the first start in demo mode.
    pub demo_orders: u64,
}

impl AnalyticsSettings {
    /// Reads `TESSERA_REFRESH_INTERVAL`, `TESSERA_VERSION_POLL`,
    /// `TESSERA_CACHE_TTL`, `TESSERA_CACHE_MAX_MB`, `TESSERA_SKETCH_CACHE_MB`,
    /// `TESSERA_EXACT_CUSTOMERS` and `TESSERA_DEMO_ORDERS`.
    pub fn from_lookup(get: &impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let refresh_interval = parse_with(get, "TESSERA_REFRESH_INTERVAL", "5m", |v| match v {
            "off" | "0" => Ok(None),
            _ => within(v, Duration::from_secs(1), Duration::from_secs(86_400)).map(Some),
        })?;
        let version_poll = parse_with(get, "TESSERA_VERSION_POLL", "1s", |v| {
            within(v, Duration::from_millis(100), Duration::from_secs(300))
        })?;
        let ttl = parse_with(get, "TESSERA_CACHE_TTL", "", cache_ttls)?;
        let max_mb = parse_with(get, "TESSERA_CACHE_MAX_MB", "64", |v| {
            whole(v, 1..=65_536, "a whole number of megabytes")
        })?;
        let sketch_mb = parse_with(get, "TESSERA_SKETCH_CACHE_MB", "256", |v| {
            whole(v, 0..=65_536, "a whole number of megabytes")
        })?;
        let exact_customers = parse_with(get, "TESSERA_EXACT_CUSTOMERS", "4096", |v| {
            whole(v, 0..=65_536, "a whole number of customers")
        })?;
        let demo_orders = parse_with(get, "TESSERA_DEMO_ORDERS", "150000", |v| {
            whole(v, 0..=10_000_000, "a whole number")
        })?;
        Ok(Self {
            refresh_interval,
            version_poll,
            cache: CacheSettings {
                ttl,
                max_bytes: max_mb * 1024 * 1024,
            },
            sketch_bytes: sketch_mb * 1024 * 1024,
            exact_customers: usize::try_from(exact_customers).unwrap_or(usize::MAX),
            demo_orders,
        })
    }
}

/// `raw` as a number in `range`, or what was expected.
fn whole(raw: &str, range: std::ops::RangeInclusive<u64>, what: &str) -> Result<u64, String> {
    match raw.parse::<u64>() {
        Ok(n) if range.contains(&n) => Ok(n),
        _ => Err(format!(
            "expected {what} from {} to {}",
            range.start(),
            range.end()
        )),
    }
}

pub(super) fn within(raw: &str, min: Duration, max: Duration) -> Result<Duration, String> {
    match humantime::parse_duration(raw) {
        Ok(d) if d >= min && d <= max => Ok(d),
        Ok(_) => Err(format!(
            "expected a duration from {} to {}",
            humantime::format_duration(min),
            humantime::format_duration(max)
        )),
        Err(_) => Err("expected a duration such as 30s, 500ms or 5m".into()),
    }
}

/// `kpis=10m,orders=30s`: classes not named keep their default.
fn cache_ttls(raw: &str) -> Result<[Duration; 5], String> {
    let mut ttl = CacheSettings::default().ttl;
    for item in raw.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        let (name, value) = item
            .split_once('=')
            .ok_or_else(|| format!("'{item}' is not class=duration"))?;
        let index = QueryClass::ALL
            .iter()
            .position(|c| c.name() == name.trim())
            .ok_or_else(|| {
                let names: Vec<_> = QueryClass::ALL.iter().map(|c| c.name()).collect();
                format!(
                    "unknown query class '{}' (expected {})",
                    name.trim(),
                    names.join(", ")
                )
            })?;
        ttl[index] = within(
            value.trim(),
            Duration::from_secs(1),
            Duration::from_secs(86_400),
        )?;
    }
    Ok(ttl)
}

/// The kinds of question, each with its own TTL and statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QueryClass {
    /// `/analytics/kpis`.
    Kpis,
    /// `/analytics/timeseries`.
    Timeseries,
    /// `/analytics/breakdown`.
    Breakdown,
    /// `/analytics/customers`.
    Customers,
    /// `/orders`.
    Orders,
}

impl QueryClass {
    /// Every class.
    pub const ALL: [QueryClass; 5] = [
        QueryClass::Kpis,
        QueryClass::Timeseries,
        QueryClass::Breakdown,
        QueryClass::Customers,
        QueryClass::Orders,
    ];

    /// Its name in configuration and statistics.
    pub fn name(self) -> &'static str {
        match self {
            QueryClass::Kpis => "kpis",
            QueryClass::Timeseries => "timeseries",
            QueryClass::Breakdown => "breakdown",
            QueryClass::Customers => "customers",
            QueryClass::Orders => "orders",
        }
    }

    /// Its position in [`QueryClass::ALL`] (and in `CacheSettings::ttl`).
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Cache settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheSettings {
    /// Time to live per class, in [`QueryClass::ALL`] order.
    pub ttl: [Duration; 5],
    /// Bytes of answers kept, all classes together.
    pub max_bytes: u64,
}

impl Default for CacheSettings {
    fn default() -> Self {
        let ten_minutes = Duration::from_secs(600);
        Self {
            ttl: [
                ten_minutes,
                ten_minutes,
                ten_minutes,
                ten_minutes,
                Duration::from_secs(60),
            ],
            max_bytes: 64 * 1024 * 1024,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(pairs: &[(&str, &str)]) -> Result<AnalyticsSettings, ConfigError> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        AnalyticsSettings::from_lookup(&|key: &str| {
            pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn defaults_are_sensible() {
        let settings = load(&[]).expect("defaults");
        assert_eq!(settings.refresh_interval, Some(Duration::from_secs(300)));
        assert_eq!(settings.cache.ttl[4], Duration::from_secs(60));
    }

    #[test]
    fn ttls_per_class_and_errors_name_the_variable() {
        let settings = load(&[("TESSERA_CACHE_TTL", "orders=5s, kpis=1h")]).expect("valid");
        assert_eq!(settings.cache.ttl[0], Duration::from_secs(3600));
        assert_eq!(settings.cache.ttl[4], Duration::from_secs(5));
        let error = load(&[("TESSERA_CACHE_TTL", "pies=5s")]).expect_err("invalid");
        assert_eq!(error.variable, "TESSERA_CACHE_TTL");
        assert!(load(&[("TESSERA_REFRESH_INTERVAL", "off")])
            .expect("valid")
            .refresh_interval
            .is_none());
    }
}
