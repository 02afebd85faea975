//! The upstream metrics service (`TESSERA_UPSTREAM_*`): an HTTP JSON
//! service whose summary the dashboard shows as a card group. Optional: with
//! no `TESSERA_UPSTREAM_URL` there is no upstream.
//!
//! The URL may carry credentials (`http://user:pass@host`); they are never
//! printed: `Debug`, [`UpstreamUrl::redacted`] and every error message show
//! the URL without them.

use std::time::Duration;

use secrecy::SecretString;

use super::{analytics::within, parse_with, ConfigError};

/// The upstream service's base URL. Its `Debug` hides any user and password.
#[derive(Clone, PartialEq, Eq)]
pub struct UpstreamUrl(url::Url);

impl UpstreamUrl {
    /// Accepts an absolute `http://` URL with a host and no query or fragment.
    pub fn parse(raw: &str) -> Result<Self, String> {
        // A URL that does not parse is not echoed: it may hold a password.
        let url = url::Url::parse(raw.trim())
            .map_err(|e| format!("not an absolute URL ({e}); e.g. http://metrics.internal:8080"))?;
        match url.scheme() {
            "http" => {}
            // reqwest is built without TLS (see the README): an https URL
            // would fail on every call, so it is refused up front.
            "https" => {
                return Err(
                    "https is not supported by this build; reach the service over \
                            http on a private network or through a local TLS proxy"
                        .into(),
                )
            }
            other => return Err(format!("scheme '{other}' is not http")),
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err("the URL has no host".into());
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err("the URL must not have a query or fragment".into());
        }
        Ok(Self(url))
    }

    /// The URL with credentials, for the HTTP client only.
    pub fn expose(&self) -> &url::Url {
        &self.0
    }

    /// The URL without user and password, for logs and messages.
    pub fn redacted(&self) -> String {
        let mut url = self.0.clone();
        if !url.username().is_empty() || url.password().is_some() {
            let _ = url.set_username("");
            let _ = url.set_password(None);
        }
        url.to_string()
    }

    /// The host, the card's default name.
    pub fn host(&self) -> &str {
        self.0.host_str().unwrap_or("upstream")
    }

    /// The full URL of `path` (the base URL's own path is kept as a prefix).
    pub fn join(&self, path: &str) -> url::Url {
        let mut url = self.0.clone();
        let base = url.path().trim_end_matches('/').to_owned();
        url.set_path(&format!("{base}{path}"));
        url
    }
}

impl std::fmt::Debug for UpstreamUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "UpstreamUrl({})", self.redacted())
    }
}

/// Where the upstream summary comes from and how it is cached.
#[derive(Debug, Clone)]
pub struct UpstreamSettings {
    /// Base URL of the service (`TESSERA_UPSTREAM_URL`).
    pub url: UpstreamUrl,
    /// Name shown on the dashboard (`TESSERA_UPSTREAM_NAME`; default: the host).
    pub name: String,
    /// Path of the summary below the base URL (`TESSERA_UPSTREAM_PATH`).
    pub path: String,
    /// How long a good answer is served without asking again (`TESSERA_UPSTREAM_TTL`).
    pub ttl: Duration,
    /// How long the circuit breaker stays open after repeated failures
    /// (`TESSERA_UPSTREAM_BREAKER_OPEN`).
    pub breaker_open: Duration,
    /// Bearer token sent to the service (`TESSERA_UPSTREAM_TOKEN`); its
    /// `Debug` is redacted.
    pub token: Option<SecretString>,
}

impl UpstreamSettings {
    /// Reads the `TESSERA_UPSTREAM_*` variables; `None` without a URL.
    pub fn from_lookup(get: &impl Fn(&str) -> Option<String>) -> Result<Option<Self>, ConfigError> {
        let Some(raw) = get("TESSERA_UPSTREAM_URL") else {
            return Ok(None);
        };
        let url = UpstreamUrl::parse(&raw)
            .map_err(|why| ConfigError::new("TESSERA_UPSTREAM_URL", why))?;
        let name = match get("TESSERA_UPSTREAM_NAME") {
            Some(name) => parse_name(&name)?,
            None => url.host().to_owned(),
        };
        let token = get("TESSERA_UPSTREAM_TOKEN").map(|t| SecretString::from(t.trim().to_owned()));
        if token.is_some() && !url.expose().username().is_empty() {
            return Err(ConfigError::new(
                "TESSERA_UPSTREAM_TOKEN",
                "cannot be combined with a user in TESSERA_UPSTREAM_URL (pick one way to sign in)",
            ));
        }
        let span = |min: Duration, max: Duration| move |v: &str| within(v, min, max);
        Ok(Some(Self {
            name,
            path: parse_with(
                get,
                "TESSERA_UPSTREAM_PATH",
                "/api/v1/forge-metrics/summary",
                parse_path,
            )?,
            ttl: parse_with(
                get,
                "TESSERA_UPSTREAM_TTL",
                "5m",
                span(Duration::from_millis(50), Duration::from_secs(86_400)),
            )?,
            breaker_open: parse_with(
                get,
                "TESSERA_UPSTREAM_BREAKER_OPEN",
                "30s",
                span(Duration::from_millis(50), Duration::from_secs(3_600)),
            )?,
            token,
            url,
        }))
    }
}

fn parse_name(raw: &str) -> Result<String, ConfigError> {
    let name = raw.trim();
    let ok = name.chars().count() <= 60 && !name.chars().any(char::is_control);
    if ok {
        Ok(name.to_owned())
    } else {
        Err(ConfigError::new(
            "TESSERA_UPSTREAM_NAME",
            "expected at most 60 characters, no control characters",
        ))
    }
}

fn parse_path(raw: &str) -> Result<String, String> {
    let plain = raw.starts_with('/')
        && raw.len() <= 200
        && !raw.contains(['?', '#'])
        && raw.chars().all(|c| c.is_ascii_graphic());
    if plain {
        Ok(raw.to_owned())
    } else {
        Err("expected a path such as /api/v1/forge-metrics/summary (no query)".into())
    }
}

/// The variables read here.
pub const VARIABLES: &[&str] = &[
    "TESSERA_UPSTREAM_URL",
    "TESSERA_UPSTREAM_NAME",
    "TESSERA_UPSTREAM_PATH",
    "TESSERA_UPSTREAM_TTL",
    "TESSERA_UPSTREAM_BREAKER_OPEN",
    "TESSERA_UPSTREAM_TOKEN",
];

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use secrecy::ExposeSecret;

    use super::*;

    fn read(pairs: &[(&str, &str)]) -> Result<Option<UpstreamSettings>, ConfigError> {
        let map: BTreeMap<_, _> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        UpstreamSettings::from_lookup(&|k: &str| map.get(k).cloned())
    }

    #[test]
    fn the_variables_are_known() {
        let config = crate::config::Config::from_lookup(|_| None).expect("defaults");
        let present: Vec<String> = VARIABLES.iter().map(|v| (*v).to_owned()).collect();
        assert!(config.warnings(&present).is_empty());
    }

    #[test]
    fn no_url_means_no_upstream() {
        assert!(read(&[("TESSERA_UPSTREAM_NAME", "x")])
            .expect("ok")
            .is_none());
    }

    #[test]
    fn defaults_follow_the_spec() {
        let s = read(&[("TESSERA_UPSTREAM_URL", "http://metrics.internal:8080")])
            .expect("ok")
            .expect("configured");
        assert_eq!(s.name, "metrics.internal");
        assert_eq!(s.path, "/api/v1/forge-metrics/summary");
        assert_eq!(s.ttl, Duration::from_secs(300));
        assert_eq!(s.breaker_open, Duration::from_secs(30));
        assert!(s.token.is_none());
        assert_eq!(
            s.url.join(&s.path).as_str(),
            "http://metrics.internal:8080/api/v1/forge-metrics/summary"
        );
    }

    #[test]
    fn credentials_never_show() {
        let s = read(&[(
            "TESSERA_UPSTREAM_URL",
            "http://svc:hunter2@m.internal/base/",
        )])
        .expect("ok")
        .expect("configured");
        let shown = format!("{s:?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("svc"),
            "{shown}"
        );
        assert_eq!(s.url.redacted(), "http://m.internal/base/");
        assert_eq!(s.url.join("/x").path(), "/base/x");
        let s = read(&[
            ("TESSERA_UPSTREAM_URL", "http://m.internal"),
            ("TESSERA_UPSTREAM_TOKEN", "tok-secret"),
        ])
        .expect("ok")
        .expect("configured");
        assert!(!format!("{s:?}").contains("tok-secret"));
        assert_eq!(s.token.expect("token").expose_secret(), "tok-secret");
        let both = read(&[
            ("TESSERA_UPSTREAM_URL", "http://u:p@m.internal"),
            ("TESSERA_UPSTREAM_TOKEN", "tok-secret"),
        ]);
        assert_eq!(both.expect_err("both").variable, "TESSERA_UPSTREAM_TOKEN");
        let bad = read(&[("TESSERA_UPSTREAM_URL", "ftp://u:hunter2@h")]).expect_err("ftp");
        assert!(!bad.to_string().contains("hunter2"), "{bad}");
    }

    #[test]
    fn bad_values_name_their_variable() {
        let cases = [
            ("TESSERA_UPSTREAM_URL", "metrics.internal"),
            ("TESSERA_UPSTREAM_URL", "https://metrics.internal"),
            ("TESSERA_UPSTREAM_URL", "http://m.internal/?a=1"),
            ("TESSERA_UPSTREAM_PATH", "summary"),
            ("TESSERA_UPSTREAM_TTL", "forever"),
            ("TESSERA_UPSTREAM_BREAKER_OPEN", "2h"),
            ("TESSERA_UPSTREAM_NAME", "a\u{7}b"),
        ];
        for (variable, value) in cases {
            let mut pairs = vec![("TESSERA_UPSTREAM_URL", "http://m.internal")];
            pairs.push((variable, value));
            let error = read(&pairs).expect_err(value);
            assert_eq!(error.variable, variable, "{value}");
        }
    }
}
