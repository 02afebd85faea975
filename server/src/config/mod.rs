//! Typed configuration read from `TESSERA_*` environment variables, with
//! command-line flags taking precedence. Every value is validated here, once;
//! a bad value stops start-up with a message naming the variable.

use std::{collections::BTreeMap, net::SocketAddr, path::PathBuf, time::Duration};

use secrecy::SecretString;

pub use self::secrets::{JwtSecret, Password};

/// Every variable Tessera reads. Anything else with the prefix is reported as
/// a likely typo at start-up.
pub const KNOWN_VARIABLES: &[&str] = &[
    "TESSERA_BIND",
    "TESSERA_DATA_DIR",
    "TESSERA_DATABASE_URL",
    "TESSERA_DB_MAX_CONNECTIONS",
    "TESSERA_MODE",
    "TESSERA_LOG",
    "TESSERA_LOG_FORMAT",
    "TESSERA_REQUEST_TIMEOUT",
    "TESSERA_SHUTDOWN_TIMEOUT",
    "TESSERA_BODY_LIMIT",
    "TESSERA_SITE_ROOT",
    "TESSERA_DEMO_PASSWORD",
    "TESSERA_JWT_SECRET",
    "TESSERA_JWT_PREVIOUS_SECRETS",
    "TESSERA_ALLOW_INSECURE_COOKIES",
    "TESSERA_TRUSTED_PROXIES",
    "TESSERA_LOGIN_ATTEMPTS_PER_MINUTE",
    "TESSERA_LOGIN_ATTEMPTS_GLOBAL_PER_MINUTE",
    "TESSERA_PASSWORD_HASH_CONCURRENCY",
    "TESSERA_AUTH_RECHECK",
    "TESSERA_SESSION_MAX_AGE",
    "TESSERA_REFRESH_INTERVAL",
    "TESSERA_VERSION_POLL",
    "TESSERA_CACHE_TTL",
    "TESSERA_CACHE_MAX_MB",
    "TESSERA_SKETCH_CACHE_MB",
    "TESSERA_DEMO_ORDERS",
    "TESSERA_EXACT_CUSTOMERS",
    "TESSERA_AUDIT",
];

/// A configuration value that could not be used, with the variable it came from.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{variable}: {message}")]
pub struct ConfigError {
    /// The environment variable (or flag) that carried the bad value.
    pub variable: &'static str,
    /// What was wrong with it and what would be accepted.
    pub message: String,
}

impl ConfigError {
    fn new(variable: &'static str, message: impl Into<String>) -> Self {
        Self {
            variable,
            message: message.into(),
        }
    }
}

/// How this instance behaves on first start and how strict it is about secrets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Seeds demo data and users on first start. The default, for laptops.
    Demo,
    /// Never seeds; every secret must be configured explicitly.
    Production,
}

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable, coloured when attached to a terminal.
    Pretty,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Logging settings.
#[derive(Debug, Clone)]
pub struct LogSettings {
    /// A `tracing` filter directive such as `info` or `info,sqlx=warn`.
    pub filter: String,
    /// Line format.
    pub format: LogFormat,
}

/// Database connection settings.
#[derive(Debug, Clone)]
pub struct DatabaseSettings {
    /// Where the data lives: a SQLite file or a PostgreSQL server.
    pub url: DatabaseUrl,
    /// Upper bound of the connection pool.
    pub max_connections: u32,
}

/// HTTP server limits.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// Address to listen on.
    pub bind: SocketAddr,
    /// Longest time a request may take before it is answered with 503.
    pub request_timeout: Duration,
    /// Longest time a graceful shutdown waits for in-flight requests.
    pub shutdown_timeout: Duration,
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
}

/// The whole validated configuration of one Tessera instance.
#[derive(Debug, Clone)]
pub struct Config {
    /// Demo or production.
    pub mode: Mode,
    /// Directory for the SQLite database and generated files.
    pub data_dir: PathBuf,
    /// Database settings.
    pub database: DatabaseSettings,
    /// HTTP settings.
    pub http: HttpSettings,
    /// Logging settings.
    pub log: LogSettings,
    /// Directory holding the compiled site (`pkg/` with WASM, JS and CSS).
    pub site_root: PathBuf,
    /// Password of the demo accounts; random (and logged once) when unset.
    pub demo_password: Option<SecretString>,
    /// JWT signing key; `None` only in demo mode (one is then generated and
    /// kept in the data directory).
    pub jwt_secret: Option<JwtSecret>,
    /// Retired signing keys still accepted for verification (rotation).
    pub jwt_previous_secrets: Vec<JwtSecret>,
    /// Whether cookies may lack `Secure` when listening on loopback (plain
    /// HTTP on a laptop). Never on other addresses.
    pub allow_insecure_cookies: bool,
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Sign-in attempts per account per minute (six times that per IP).
    pub login_attempts_per_minute: u32,
    /// Password hashes at once and sign-in attempts per instance.
    pub login_capacity: LoginCapacity,
    /// How long an instance may go on accepting a principal's credentials
    /// without reading its row again (changes made through this instance
    /// apply at once; zero reads it on every request).
    pub auth_recheck: Duration,
    /// Absolute lifetime of a browser session: past it, the user signs in
    /// again however active the session was.
    pub session_max_age: Duration,
    /// Refresh schedule, version polling, cache and demo data size.
    pub analytics: AnalyticsSettings,
    /// Whether actions are recorded in the audit log (`TESSERA_AUDIT`).
    pub audit: bool,
    /// Background jobs: workers, limits, leases, retention.
    pub jobs: JobSettings,
    /// CSV imports: size and time limits.
    pub imports: ImportSettings,
    /// The PostgreSQL warehouse source, when configured.
    pub source: Option<SourceSettings>,
    /// The upstream metrics service, when `TESSERA_UPSTREAM_URL` is set.
    pub upstream: Option<UpstreamSettings>,
}

impl Config {
    /// Reads the process environment, with `overrides` from the command line on top.
    pub fn load(overrides: &Overrides) -> Result<Self, ConfigError> {
        let env: BTreeMap<String, String> = std::env::vars()
            .filter(|(k, _)| k.starts_with("TESSERA_") || k == "LEPTOS_SITE_ROOT")
            .collect();
        Self::from_lookup(|key| overrides.get(key).or_else(|| env.get(key).cloned()))
    }

    /// Whether cookies carry the `Secure` attribute: always, unless listening
    /// on loopback with insecure cookies allowed.
    pub fn secure_cookies(&self) -> bool {
        !(self.http.bind.ip().is_loopback() && self.allow_insecure_cookies)
    }

    /// Start-up warnings worth a loud log line (not errors: the operator may mean it).
    pub fn warnings(&self, present_variables: &[String]) -> Vec<String> {
        let mut warnings = Vec::new();
        if self.mode == Mode::Demo && !self.http.bind.ip().is_loopback() {
            warnings.push(format!(
                "DEMO MODE on a non-loopback address ({}): demo accounts and data are \
                 reachable from the network. Set TESSERA_MODE=production for real use.",
                self.http.bind
            ));
        }
        for var in present_variables {
            let ours = var.starts_with("TESSERA_") && !var.starts_with("TESSERA_TEST_");
            let known = [
                KNOWN_VARIABLES,
                jobs::VARIABLES,
                imports::VARIABLES,
                source::VARIABLES,
                upstream::VARIABLES,
            ]
            .iter()
            .any(|list| list.contains(&var.as_str()));
            if ours && !known {
                warnings.push(format!(
                    "{var} is not a Tessera setting and is ignored (typo?)"
                ));
            }
        }
        warnings
    }
}

fn parse_with<T>(
    get: &impl Fn(&str) -> Option<String>,
    variable: &'static str,
    default: &str,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Result<T, ConfigError> {
    let raw = get(variable).unwrap_or_else(|| default.to_owned());
    parse(raw.trim())
        .map_err(|why| ConfigError::new(variable, format!("'{raw}' is invalid: {why}")))
}

fn duration(raw: &str) -> Result<Duration, String> {
    match humantime::parse_duration(raw) {
        Ok(d) if d >= Duration::from_millis(100) && d <= Duration::from_secs(3600) => Ok(d),
        Ok(_) => Err("expected a duration from 100ms to 1h".into()),
        Err(_) => Err("expected a duration such as 30s, 500ms or 2m".into()),
    }
}

/// The cores this process may use: the default number of password-hashing
/// slots and of sign-ins at once.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

fn validate_filter(raw: &str) -> Result<String, String> {
    tracing_subscriber::EnvFilter::builder()
        .parse(raw)
        .map(|_| raw.to_owned())
        .map_err(|e| format!("not a log filter ({e}); e.g. info or info,sqlx=warn"))
}

#[cfg(test)]
mod tests;

mod analytics;
mod database_url;
mod jobs;
mod read;
pub mod secrets;
pub use analytics::{AnalyticsSettings, CacheSettings, QueryClass};
pub use database_url::{Backend, DatabaseUrl};
pub use jobs::JobSettings;
mod imports;
pub use imports::ImportSettings;
mod source;
pub use source::{SourceFrom, SourceSettings, TARGETS as SOURCE_TARGETS};

mod login;
pub use login::LoginCapacity;

mod overrides;
pub use overrides::Overrides;

mod upstream;
pub use upstream::{UpstreamSettings, UpstreamUrl};
