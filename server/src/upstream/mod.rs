//! The upstream metrics service (`TESSERA_UPSTREAM_URL`): its summary per
//! horizon, fetched over HTTP with timeouts, retries and a circuit breaker,
//! cached for `TESSERA_UPSTREAM_TTL` with one request per horizon however
//! many callers ask at once, and served stale (marked so) while the service
//! is down.
//!
//! Flow of [`Upstream::summary`]: a fresh cached answer is returned as is;
//! otherwise one caller per horizon makes the call (the others wait for
//! it): the breaker must allow it, then [`fetch`] tries up to `1 + retries`
//! times. A good answer is cached and kept as the horizon's last good one.
//! A failed call (down, 5xx, 4xx, breaker open) falls back to that last
//! good answer, marked stale; a malformed answer is an error of its own,
//! never cached.

mod breaker;
mod fetch;
mod horizon;
mod shape;

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, SystemTime},
};

use api_types::{StaleReason, UpstreamFigure};

pub use self::horizon::HorizonDays;
use self::{breaker::Breaker, fetch::Fetcher};
use crate::config::UpstreamSettings;

/// Why no summary could be served.
#[derive(Debug, Clone, thiserror::Error)]
pub enum UpstreamError {
    /// The service could not be reached or refused the call (the detail is
    /// for the log only).
    #[error("the upstream service is unavailable: {0}")]
    Unavailable(String),
    /// The breaker is open after repeated failures; it allows a trial
    /// call after the given time.
    #[error("the upstream circuit is open for another {0:?}")]
    CircuitOpen(Duration),
    /// The service answered something that is not a summary (the detail is
    /// for the log only).
    #[error("the upstream answer is malformed: {0}")]
    Malformed(String),
}

/// Timeouts, retries and breaker settings. The defaults are the
/// documented behaviour; tests shorten them.
#[derive(Debug, Clone)]
pub struct Timings {
    /// Longest wait for a TCP connection.
    pub connect_timeout: Duration,
    /// Longest time one request (connection, headers and body) may take.
    pub request_timeout: Duration,
    /// Extra attempts after a transient failure.
    pub retries: u32,
    /// The first backoff's ceiling; it doubles per retry (full jitter).
    pub backoff_base: Duration,
    /// The largest backoff ceiling.
    pub backoff_max: Duration,
    /// Failed calls in a row that open the breaker.
    pub failure_threshold: u32,
    /// How long the open breaker refuses calls.
    pub open_for: Duration,
}

impl Default for Timings {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(2),
            request_timeout: Duration::from_secs(5),
            retries: 3,
            backoff_base: Duration::from_millis(100),
            backoff_max: Duration::from_secs(2),
            failure_threshold: 5,
            open_for: Duration::from_secs(30),
        }
    }
}

/// A good answer of the service.
#[derive(Debug, Clone, PartialEq)]
pub struct Fetched {
    /// The figures.
    pub figures: Vec<UpstreamFigure>,
    /// The service's own timestamp, as given.
    pub as_of: Option<String>,
    /// When it was fetched.
    pub fetched_at: SystemTime,
}

/// What [`Upstream::summary`] serves.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The answer.
    pub fetched: Arc<Fetched>,
    /// Why an earlier answer is served instead of a fresh one.
    pub stale: Option<StaleReason>,
}

/// The upstream client: share one per process.
#[derive(Debug)]
pub struct Upstream {
    name: String,
    fetcher: Fetcher,
    breaker: Breaker,
    fresh: moka::future::Cache<u32, Arc<Fetched>>,
    last_good: Mutex<HashMap<u32, Arc<Fetched>>>,
}

impl Upstream {
    /// A client for `settings` (its breaker opens for `settings.breaker_open`).
    pub fn new(settings: &UpstreamSettings) -> Result<Self, reqwest::Error> {
        let timings = Timings {
            open_for: settings.breaker_open,
            ..Timings::default()
        };
        let client = Self::with_timings(settings, &timings)?;
        tracing::info!(
            url = %settings.url.redacted(),
            path = %settings.path,
            name = %settings.name,
            "upstream metrics service configured"
        );
        Ok(client)
    }

    /// A client with explicit timings.
    pub fn with_timings(
        settings: &UpstreamSettings,
        timings: &Timings,
    ) -> Result<Self, reqwest::Error> {
        Ok(Self {
            name: settings.name.clone(),
            fetcher: Fetcher::new(settings, timings)?,
            breaker: Breaker::new(timings.failure_threshold, timings.open_for),
            fresh: moka::future::Cache::builder()
                .max_capacity(u64::from(HorizonDays::MAX))
                .time_to_live(settings.ttl)
                .build(),
            last_good: Mutex::new(HashMap::new()),
        })
    }

    /// The service's display name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The summary for `horizon`: fresh, cached, or stale with the reason.
    #[tracing::instrument(skip_all, fields(horizon = horizon.get()))]
    pub async fn summary(&self, horizon: HorizonDays) -> Result<Answer, UpstreamError> {
        let key = horizon.get();
        let error = match self.fresh.try_get_with(key, self.call(horizon)).await {
            Ok(fetched) => {
                return Ok(Answer {
                    fetched,
                    stale: None,
                })
            }
            Err(error) => error,
        };
        let reason = match &*error {
            UpstreamError::Unavailable(_) => StaleReason::Unavailable,
            UpstreamError::CircuitOpen(_) => StaleReason::CircuitOpen,
            UpstreamError::Malformed(_) => return Err((*error).clone()),
        };
        let last = self.lock_last_good().get(&key).cloned();
        match last {
            Some(fetched) => {
                tracing::warn!(%error, "serving the last good upstream answer");
                Ok(Answer {
                    fetched,
                    stale: Some(reason),
                })
            }
            None => Err((*error).clone()),
        }
    }

    /// One call, as the breaker allows; a good answer becomes the last good one.
    async fn call(&self, horizon: HorizonDays) -> Result<Arc<Fetched>, UpstreamError> {
        let permit = self.breaker.permit().map_err(UpstreamError::CircuitOpen)?;
        match self.fetcher.fetch(horizon).await {
            Ok(parsed) => {
                permit.success();
                let fetched = Arc::new(Fetched {
                    figures: parsed.figures,
                    as_of: parsed.as_of,
                    fetched_at: SystemTime::now(),
                });
                self.lock_last_good()
                    .insert(horizon.get(), Arc::clone(&fetched));
                Ok(fetched)
            }
            Err(error) => {
                permit.failure();
                if self.breaker.is_open() {
                    tracing::warn!(%error, "upstream call failed; the breaker is open");
                } else {
                    tracing::warn!(%error, "upstream call failed");
                }
                Err(error)
            }
        }
    }

    fn lock_last_good(&self) -> std::sync::MutexGuard<'_, HashMap<u32, Arc<Fetched>>> {
        self.last_good.lock().unwrap_or_else(|e| e.into_inner())
    }
}
