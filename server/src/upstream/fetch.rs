//! One call to the upstream service: a GET, retried with jittered
//! exponential backoff when the failure may pass (a connection error, a
//! timeout, a 5xx), never for an answer that will not change (a 4xx, a
//! malformed body).

use std::{
    hash::{BuildHasher, RandomState},
    sync::Mutex,
    time::Duration,
};

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;
use reqwest::{header, redirect, StatusCode};
use secrecy::{ExposeSecret, SecretString};

use super::{
    shape::{self, Parsed},
    HorizonDays, Timings, UpstreamError,
};
use crate::config::UpstreamSettings;

/// The largest answer read, in bytes.
pub const MAX_BODY: usize = 1 << 20;

/// The HTTP side of the upstream client.
#[derive(Debug)]
pub struct Fetcher {
    client: reqwest::Client,
    url: url::Url,
    token: Option<SecretString>,
    retries: u32,
    backoff_base: Duration,
    backoff_max: Duration,
    jitter: Mutex<Pcg64Mcg>,
}

/// How one attempt failed.
enum Failure {
    /// Worth another attempt (the reason, for the log).
    Transient(String),
    /// Another attempt would fail the same way.
    Final(UpstreamError),
}

impl Fetcher {
    /// A client for `settings` with the timeouts and retries of `timings`.
    pub fn new(settings: &UpstreamSettings, timings: &Timings) -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder()
            .connect_timeout(timings.connect_timeout)
            .timeout(timings.request_timeout)
            // A redirect could carry the token elsewhere; the URL is configured.
            .redirect(redirect::Policy::none())
            .build()?;
        Ok(Self {
            client,
            url: settings.url.join(&settings.path),
            token: settings.token.clone(),
            retries: timings.retries,
            backoff_base: timings.backoff_base,
            backoff_max: timings.backoff_max,
            jitter: Mutex::new(Pcg64Mcg::seed_from_u64(RandomState::new().hash_one(0u8))),
        })
    }

    /// The summary for `horizon`, after up to `retries` retries.
    pub async fn fetch(&self, horizon: HorizonDays) -> Result<Parsed, UpstreamError> {
        let mut attempt = 0;
        loop {
            match self.attempt(horizon).await {
                Ok(body) => return shape::parse(&body).map_err(UpstreamError::Malformed),
                Err(Failure::Final(error)) => return Err(error),
                Err(Failure::Transient(why)) if attempt < self.retries => {
                    let pause = self.backoff(attempt);
                    tracing::debug!(%why, attempt, ?pause, "upstream call failed; retrying");
                    tokio::time::sleep(pause).await;
                    attempt += 1;
                }
                Err(Failure::Transient(why)) => {
                    return Err(UpstreamError::Unavailable(format!(
                        "{why} ({} attempts)",
                        attempt + 1
                    )))
                }
            }
        }
    }

    /// Full jitter: uniform between zero and `base · 2^attempt` (capped).
    fn backoff(&self, attempt: u32) -> Duration {
        let ceiling = self
            .backoff_base
            .saturating_mul(1 << attempt.min(16))
            .min(self.backoff_max);
        let mut rng = self.jitter.lock().unwrap_or_else(|e| e.into_inner());
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(rng.random_range(0..=nanos))
    }

    async fn attempt(&self, horizon: HorizonDays) -> Result<Vec<u8>, Failure> {
        let mut request = self
            .client
            .get(self.url.clone())
            .query(&[("horizonDays", horizon.get())])
            .header(header::ACCEPT, "application/json");
        if let Some(token) = &self.token {
            request = request.bearer_auth(token.expose_secret());
        }
        let mut response = request.send().await.map_err(transient)?;
        let status = response.status();
        if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
            return Err(Failure::Transient(format!("answered {status}")));
        }
        if !status.is_success() {
            return Err(Failure::Final(UpstreamError::Unavailable(format!(
                "answered {status}"
            ))));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(transient)? {
            if body.len() + chunk.len() > MAX_BODY {
                return Err(Failure::Final(UpstreamError::Malformed(format!(
                    "the answer is larger than {MAX_BODY} bytes"
                ))));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

/// A transport failure, described by its causes: reqwest's own message
/// names the URL, which may hold credentials.
fn transient(error: reqwest::Error) -> Failure {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else {
        "the request failed"
    };
    let mut why = kind.to_owned();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        why.push_str(": ");
        why.push_str(&cause.to_string());
        source = cause.source();
    }
    Failure::Transient(why)
}
