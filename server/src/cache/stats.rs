//! Counters behind `GET /api/v1/admin/cache`.

use std::{
    sync::atomic::{AtomicU64, Ordering::Relaxed},
    time::Duration,
};

pub use api_types::CacheClassStats as ClassStats;

/// Lock-free counters of one query class.
#[derive(Debug, Default)]
pub struct Counters {
    hits: AtomicU64,
    misses: AtomicU64,
    loads: AtomicU64,
    load_errors: AtomicU64,
    stale_served: AtomicU64,
    load_micros: AtomicU64,
    evictions: AtomicU64,
}

impl Counters {
    pub fn hit(&self) {
        self.hits.fetch_add(1, Relaxed);
    }

    pub fn miss(&self) {
        self.misses.fetch_add(1, Relaxed);
    }

    pub fn loaded(&self, took: Duration, ok: bool) {
        self.loads.fetch_add(1, Relaxed);
        if !ok {
            self.load_errors.fetch_add(1, Relaxed);
        }
        let micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        self.load_micros.fetch_add(micros, Relaxed);
    }

    pub fn stale(&self) {
        self.stale_served.fetch_add(1, Relaxed);
    }

    pub fn evicted(&self) {
        self.evictions.fetch_add(1, Relaxed);
    }

    pub fn snapshot(&self, class: &str, entries: u64, ttl: Duration) -> ClassStats {
        let loads = self.loads.load(Relaxed);
        let load_ms_total = self.load_micros.load(Relaxed) as f64 / 1000.0;
        ClassStats {
            class: class.to_owned(),
            hits: self.hits.load(Relaxed),
            misses: self.misses.load(Relaxed),
            loads,
            load_errors: self.load_errors.load(Relaxed),
            stale_served: self.stale_served.load(Relaxed),
            load_ms_total,
            load_ms_mean: if loads == 0 {
                0.0
            } else {
                load_ms_total / loads as f64
            },
            evictions: self.evictions.load(Relaxed),
            entries,
            ttl_seconds: ttl.as_secs(),
        }
    }
}
