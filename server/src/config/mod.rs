//! Typed configuration read from `TESSERA_*` environment variables, with
//! command-line flags taking precedence. Every value is validated here, once;
//! a bad value stops start-up with a message naming the variable.

use std::{collections::BTreeMap, net::SocketAddr, path::PathBuf, time::Duration};

use secrecy::SecretString;

use crate::{
    auth::{password::Password, secret::JwtSecret},
    storage::DatabaseUrl,
};

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
}

impl Config {
    /// Reads the process environment, with `overrides` from the command line on top.
    pub fn load(overrides: &Overrides) -> Result<Self, ConfigError> {
        let env: BTreeMap<String, String> = std::env::vars()
            .filter(|(k, _)| k.starts_with("TESSERA_") || k == "LEPTOS_SITE_ROOT")
            .collect();
        Self::from_lookup(|key| overrides.get(key).or_else(|| env.get(key).cloned()))
    }

    /// Builds the configuration from any key lookup (the environment in
    /// production, a map in tests). Empty values count as unset.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |key: &str| lookup(key).filter(|v| !v.trim().is_empty());

        let mode = match get("TESSERA_MODE").as_deref().map(str::trim) {
            None | Some("demo") => Mode::Demo,
            Some("production") => Mode::Production,
            Some(other) => {
                return Err(ConfigError::new(
                    "TESSERA_MODE",
                    format!("'{other}' is not a mode (expected demo or production)"),
                ))
            }
        };
        let data_dir = PathBuf::from(get("TESSERA_DATA_DIR").unwrap_or_else(|| "./data".into()));
        let url = match get("TESSERA_DATABASE_URL") {
            Some(raw) => DatabaseUrl::parse(raw.trim())
                .map_err(|message| ConfigError::new("TESSERA_DATABASE_URL", message))?,
            None => DatabaseUrl::sqlite_file(&data_dir.join("tessera.db")),
        };
        let bind = parse_with(&get, "TESSERA_BIND", "127.0.0.1:3000", |v| {
            v.parse::<SocketAddr>()
                .map_err(|_| "expected host:port with an IP address, e.g. 127.0.0.1:3000".into())
        })?;
        let log = LogSettings {
            filter: parse_with(&get, "TESSERA_LOG", "info", validate_filter)?,
            format: parse_with(&get, "TESSERA_LOG_FORMAT", "pretty", |v| match v {
                "pretty" => Ok(LogFormat::Pretty),
                "json" => Ok(LogFormat::Json),
                _ => Err("expected pretty or json".into()),
            })?,
        };
        let site_root = get("TESSERA_SITE_ROOT")
            .or_else(|| get("LEPTOS_SITE_ROOT"))
            .unwrap_or_else(|| "target/site".into());

        let demo_password = match get("TESSERA_DEMO_PASSWORD") {
            Some(raw) => Some(
                Password::parse(raw.clone())
                    .map(|_| SecretString::from(raw))
                    .map_err(|why| ConfigError::new("TESSERA_DEMO_PASSWORD", why))?,
            ),
            None => None,
        };

        let jwt_secret = get("TESSERA_JWT_SECRET")
            .map(|raw| {
                JwtSecret::parse(&raw).map_err(|why| ConfigError::new("TESSERA_JWT_SECRET", why))
            })
            .transpose()?;
        if mode == Mode::Production && jwt_secret.is_none() {
            return Err(ConfigError::new(
                "TESSERA_JWT_SECRET",
                "is required in production mode (at least 32 bytes; e.g. `openssl rand -base64 48`)",
            ));
        }
        let jwt_previous_secrets = get("TESSERA_JWT_PREVIOUS_SECRETS")
            .map(|raw| {
                raw.split(',')
                    .map(|part| {
                        JwtSecret::parse(part)
                            .map_err(|why| ConfigError::new("TESSERA_JWT_PREVIOUS_SECRETS", why))
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?
            .unwrap_or_default();

        let allow_insecure_cookies = parse_with(
            &get,
            "TESSERA_ALLOW_INSECURE_COOKIES",
            if mode == Mode::Demo { "true" } else { "false" },
            |v| {
                v.parse::<bool>()
                    .map_err(|_| "expected true or false".into())
            },
        )?;

        let trusted_proxies = parse_with(&get, "TESSERA_TRUSTED_PROXIES", "", |v| {
            v.split(',')
                .map(str::trim)
                .filter(|part| !part.is_empty())
                .map(|part| {
                    part.parse()
                        .map_err(|_| format!("'{part}' is not an IP address"))
                })
                .collect()
        })?;

        let login_attempts_per_minute = parse_with(
            &get,
            "TESSERA_LOGIN_ATTEMPTS_PER_MINUTE",
            "5",
            |v| match v.parse::<u32>() {
                Ok(n) if (1..=10_000).contains(&n) => Ok(n),
                _ => Err("expected a whole number from 1 to 10000".into()),
            },
        )?;

        let login_capacity = LoginCapacity::from_lookup(&get, crate::auth::password::cores())?;
        let auth_recheck = parse_with(&get, "TESSERA_AUTH_RECHECK", "5s", |v| {
            analytics::within(v, Duration::ZERO, Duration::from_secs(30))
        })?;
        let session_max_age = parse_with(&get, "TESSERA_SESSION_MAX_AGE", "12h", |v| {
            analytics::within(
                v,
                Duration::from_secs(5 * 60),
                Duration::from_secs(30 * 86_400),
            )
        })?;

        let analytics = AnalyticsSettings::from_lookup(&get)?;
        let audit = parse_with(&get, "TESSERA_AUDIT", "on", |v| match v {
            "on" => Ok(true),
            "off" => Ok(false),
            _ => Err("expected on or off".into()),
        })?;

        Ok(Self {
            analytics,
            audit,
            mode,
            allow_insecure_cookies,
            trusted_proxies,
            login_attempts_per_minute,
            login_capacity,
            auth_recheck,
            session_max_age,
            demo_password,
            jwt_secret,
            jwt_previous_secrets,
            database: DatabaseSettings {
                url,
                max_connections: parse_with(&get, "TESSERA_DB_MAX_CONNECTIONS", "10", |v| match v
                    .parse::<u32>()
                {
                    Ok(n) if (1..=1000).contains(&n) => Ok(n),
                    _ => Err("expected a whole number from 1 to 1000".into()),
                })?,
            },
            data_dir,
            http: HttpSettings {
                bind,
                request_timeout: parse_with(&get, "TESSERA_REQUEST_TIMEOUT", "30s", duration)?,
                shutdown_timeout: parse_with(&get, "TESSERA_SHUTDOWN_TIMEOUT", "20s", duration)?,
                body_limit: parse_with(&get, "TESSERA_BODY_LIMIT", "1048576", |v| {
                    match v.parse::<usize>() {
                        Ok(n) if (1024..=1 << 30).contains(&n) => Ok(n),
                        _ => Err("expected a number of bytes from 1024 to 1073741824".into()),
                    }
                })?,
            },
            log,
            site_root: PathBuf::from(site_root),
        })
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
            if ours && !KNOWN_VARIABLES.contains(&var.as_str()) {
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

fn validate_filter(raw: &str) -> Result<String, String> {
    tracing_subscriber::EnvFilter::builder()
        .parse(raw)
        .map(|_| raw.to_owned())
        .map_err(|e| format!("not a log filter ({e}); e.g. info or info,sqlx=warn"))
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;

#[path = "config_analytics.rs"]
mod analytics;
pub use analytics::AnalyticsSettings;

#[path = "config_login.rs"]
mod login;
pub use login::LoginCapacity;

#[path = "config_overrides.rs"]
mod overrides;
pub use overrides::Overrides;
