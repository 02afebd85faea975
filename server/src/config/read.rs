//! Reading [`Config`] from a key lookup, one group of variables at a time.

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use secrecy::SecretString;

use super::*;

impl Config {
    /// Builds the configuration from any key lookup (the environment in
    /// production, a map in tests). Empty values count as unset.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |key: &str| lookup(key).filter(|v| !v.trim().is_empty());

        let mode = read_mode(&get)?;
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
        let (demo_password, jwt_secret, jwt_previous_secrets) = read_secrets(&get, mode)?;
        let allow_insecure_cookies = parse_with(
            &get,
            "TESSERA_ALLOW_INSECURE_COOKIES",
            if mode == Mode::Demo { "true" } else { "false" },
            |v| {
                v.parse::<bool>()
                    .map_err(|_| "expected true or false".into())
            },
        )?;

        let trusted_proxies = read_trusted_proxies(&get)?;
        let login_attempts_per_minute = parse_with(
            &get,
            "TESSERA_LOGIN_ATTEMPTS_PER_MINUTE",
            "5",
            |v| match v.parse::<u32>() {
                Ok(n) if (1..=10_000).contains(&n) => Ok(n),
                _ => Err("expected a whole number from 1 to 10000".into()),
            },
        )?;
        let login_capacity = LoginCapacity::from_lookup(&get, cores())?;
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

        Ok(Self {
            analytics: AnalyticsSettings::from_lookup(&get)?,
            audit: parse_with(&get, "TESSERA_AUDIT", "on", on_off)?,
            jobs: super::JobSettings::from_lookup(&get)?,
            imports: super::ImportSettings::from_lookup(&get)?,
            source: super::SourceSettings::from_lookup(&get)?,
            upstream: super::UpstreamSettings::from_lookup(&get)?,
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
            database: read_database(&get, url)?,
            data_dir,
            http: read_http(&get, bind)?,
            log,
            site_root: PathBuf::from(site_root),
        })
    }
}

fn read_mode(get: &impl Fn(&str) -> Option<String>) -> Result<Mode, ConfigError> {
    Ok(match get("TESSERA_MODE").as_deref().map(str::trim) {
        None | Some("demo") => Mode::Demo,
        Some("production") => Mode::Production,
        Some(other) => {
            return Err(ConfigError::new(
                "TESSERA_MODE",
                format!("'{other}' is not a mode (expected demo or production)"),
            ))
        }
    })
}

type Secrets = (Option<SecretString>, Option<JwtSecret>, Vec<JwtSecret>);

fn read_secrets(get: &impl Fn(&str) -> Option<String>, mode: Mode) -> Result<Secrets, ConfigError> {
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
    Ok((demo_password, jwt_secret, jwt_previous_secrets))
}

fn read_trusted_proxies(
    get: &impl Fn(&str) -> Option<String>,
) -> Result<Vec<std::net::IpAddr>, ConfigError> {
    parse_with(get, "TESSERA_TRUSTED_PROXIES", "", |v| {
        v.split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(|part| {
                part.parse()
                    .map_err(|_| format!("'{part}' is not an IP address"))
            })
            .collect()
    })
}

fn read_database(
    get: &impl Fn(&str) -> Option<String>,
    url: DatabaseUrl,
) -> Result<DatabaseSettings, ConfigError> {
    Ok(DatabaseSettings {
        url,
        max_connections: parse_with(get, "TESSERA_DB_MAX_CONNECTIONS", "10", |v| {
            match v.parse::<u32>() {
                Ok(n) if (1..=1000).contains(&n) => Ok(n),
                _ => Err("expected a whole number from 1 to 1000".into()),
            }
        })?,
    })
}

fn read_http(
    get: &impl Fn(&str) -> Option<String>,
    bind: SocketAddr,
) -> Result<HttpSettings, ConfigError> {
    Ok(HttpSettings {
        bind,
        request_timeout: parse_with(get, "TESSERA_REQUEST_TIMEOUT", "30s", duration)?,
        shutdown_timeout: parse_with(get, "TESSERA_SHUTDOWN_TIMEOUT", "20s", duration)?,
        body_limit: parse_with(get, "TESSERA_BODY_LIMIT", "1048576", |v| {
            match v.parse::<usize>() {
                Ok(n) if (1024..=1 << 30).contains(&n) => Ok(n),
                _ => Err("expected a number of bytes from 1024 to 1073741824".into()),
            }
        })?,
    })
}

/// `on` or `off`.
fn on_off(raw: &str) -> Result<bool, String> {
    match raw {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err("expected on or off".into()),
    }
}
