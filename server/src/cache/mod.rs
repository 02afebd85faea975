//! The shared query cache: one moka cache per query class, keyed by the
//! endpoint's normalised parameters *and the dataset version*, so a refresh
//! invalidates every entry by construction, on every instance.
//!
//! - Single flight: concurrent misses on one key run one load
//!   (`try_get_with`); the others wait for its result.
//! - Stale on error: each class also keeps the last good answer per
//!   question (without the version); when a load fails it is served with
//!   `stale: true`. A question never answered gets a 503.
//! - Bounded: entries are weighed in bytes; each class gets an equal share.

mod stats;

use std::{future::Future, sync::Arc, time::Duration};

use bytes::Bytes;
use http::HeaderValue;
use moka::future::Cache;
use sha2::{Digest, Sha256};

pub use self::stats::ClassStats;

pub use crate::config::{CacheSettings, QueryClass};

/// A computed answer: the `data` JSON and where it came from, with the
/// whole response body rendered once (a warm read sends these bytes as
/// they are, shared, not copied).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// Serialized `data`: a view into `envelope`.
    pub data: Bytes,
    /// Dataset version it was computed at.
    pub version: i64,
    /// The data-as-of time at that version (RFC 3339).
    pub data_as_of: Option<Arc<str>>,
    /// Strong validator of `data`.
    pub etag: Arc<str>,
    /// `etag` as a header value.
    pub etag_header: HeaderValue,
    /// The fresh answer's body: `{"meta":{…,"stale":false},"data":…}`.
    pub envelope: Bytes,
}

impl Answer {
    /// Wraps freshly computed data.
    pub fn new(data: &[u8], version: i64, data_as_of: Option<Arc<str>>) -> Self {
        let digest = Sha256::digest(data);
        let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
        let etag = format!("\"{version}-{hex}\"");
        let envelope = Bytes::from(envelope(data, version, data_as_of.as_deref(), false));
        let start = envelope.len() - data.len() - 1;
        Self {
            data: envelope.slice(start..envelope.len() - 1),
            envelope,
            version,
            data_as_of,
            // Digits, hex and quotes: always a valid header value.
            etag_header: HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"\"")),
            etag: etag.into(),
        }
    }
}

/// The response body of `data`: `{"meta":{dataset_version, data_as_of,
/// stale},"data":<data>}`; `data` is its last bytes but the closing brace.
pub fn envelope(data: &[u8], version: i64, data_as_of: Option<&str>, stale: bool) -> Vec<u8> {
    let meta = serde_json::json!({
        "dataset_version": version,
        "data_as_of": data_as_of,
        "stale": stale,
    });
    let mut body = Vec::with_capacity(data.len() + 128);
    body.extend_from_slice(b"{\"meta\":");
    body.extend_from_slice(meta.to_string().as_bytes());
    body.extend_from_slice(b",\"data\":");
    body.extend_from_slice(data);
    body.push(b'}');
    body
}

/// What the cache hands back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Served {
    /// The answer.
    pub answer: Answer,
    /// `true` when the load failed and this is the last good answer.
    pub stale: bool,
}

struct Class {
    fresh: Cache<String, Answer>,
    last_good: Cache<String, Answer>,
    stats: Arc<stats::Counters>,
    ttl: Duration,
}

/// The query cache shared by every request on this instance.
pub struct QueryCache {
    classes: Vec<Class>,
    max_bytes: u64,
}

impl QueryCache {
    /// An empty cache.
    pub fn new(settings: &CacheSettings) -> Self {
        let share = (settings.max_bytes / QueryClass::ALL.len() as u64).max(1);
        let classes = QueryClass::ALL
            .iter()
            .map(|class| {
                let ttl = settings.ttl[class.index()];
                let counters = Arc::new(stats::Counters::default());
                let evictions = counters.clone();
                let fresh = Cache::builder()
                    .max_capacity(share * 3 / 4)
                    .weigher(weigh)
                    .time_to_live(ttl)
                    .eviction_listener(move |_, _, cause| {
                        if cause.was_evicted() {
                            evictions.evicted();
                        }
                    })
                    .build();
                let last_good = Cache::builder()
                    .max_capacity(share / 4)
                    .weigher(weigh)
                    .time_to_live(Duration::from_secs(24 * 3600))
                    .build();
                Class {
                    fresh,
                    last_good,
                    stats: counters,
                    ttl,
                }
            })
            .collect();
        Self {
            classes,
            max_bytes: settings.max_bytes,
        }
    }

    /// The answer to `question` at `version`: cached, or loaded once however
    /// many requests ask at the same time.
    /// A failed load with no earlier answer to fall back on is
    /// [`Unavailable`]; its cause is logged here, never returned.
    pub async fn get_or_load<F, Fut, E>(
        &self,
        class: QueryClass,
        question: &str,
        version: i64,
        load: F,
    ) -> Result<Served, Unavailable>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Answer, E>>,
        E: std::error::Error + Send + Sync + 'static,
    {
        let slot = &self.classes[class.index()];
        let key = format!("{version}|{question}");
        if let Some(answer) = slot.fresh.get(&key).await {
            slot.stats.hit();
            return Ok(Served {
                answer,
                stale: false,
            });
        }
        slot.stats.miss();
        let counters = slot.stats.clone();
        let loaded = slot
            .fresh
            .try_get_with(key, async move {
                let started = std::time::Instant::now();
                let result = load().await;
                counters.loaded(started.elapsed(), result.is_ok());
                result
            })
            .await;
        match loaded {
            Ok(answer) => {
                slot.last_good
                    .insert(question.to_owned(), answer.clone())
                    .await;
                Ok(Served {
                    answer,
                    stale: false,
                })
            }
            Err(error) => match slot.last_good.get(question).await {
                Some(answer) => {
                    tracing::warn!(class = class.name(), error = %error, "serving a stale answer");
                    slot.stats.stale();
                    Ok(Served {
                        answer,
                        stale: true,
                    })
                }
                None => Err(unavailable(&error)),
            },
        }
    }

    /// Statistics per class.
    pub async fn stats(&self) -> Vec<ClassStats> {
        let mut all = Vec::with_capacity(QueryClass::ALL.len());
        for class in QueryClass::ALL {
            let slot = &self.classes[class.index()];
            slot.fresh.run_pending_tasks().await;
            all.push(
                slot.stats
                    .snapshot(class.name(), slot.fresh.entry_count(), slot.ttl),
            );
        }
        all
    }

    /// Bytes of fresh answers held.
    pub fn weighted_bytes(&self) -> u64 {
        self.classes.iter().map(|c| c.fresh.weighted_size()).sum()
    }

    /// The configured bound.
    pub fn max_bytes(&self) -> u64 {
        self.max_bytes
    }

    /// Drops every entry (fresh and last good).
    pub async fn clear(&self) {
        for slot in &self.classes {
            slot.fresh.invalidate_all();
            slot.last_good.invalidate_all();
            slot.fresh.run_pending_tasks().await;
            slot.last_good.run_pending_tasks().await;
        }
    }
}

#[allow(clippy::ptr_arg)] // moka's weigher signature
fn weigh(key: &String, answer: &Answer) -> u32 {
    let bytes = key.len() + answer.envelope.len() + answer.etag.len() + 64;
    u32::try_from(bytes).unwrap_or(u32::MAX)
}

/// The answer could not be loaded and no earlier one is kept. Loads only
/// fail in the database or internally (parameters are checked first), so
/// the HTTP layer answers 503.
#[derive(Debug, thiserror::Error)]
#[error("the analytics data is temporarily unavailable; try again shortly")]
pub struct Unavailable;

/// Logs a failed load's cause (never sent to the client).
fn unavailable<E: std::fmt::Display + std::fmt::Debug>(error: &E) -> Unavailable {
    tracing::error!(error = %error, cause = ?error, "analytics query failed and nothing is cached");
    Unavailable
}
