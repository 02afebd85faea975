//! Analytics over the orders warehouse: the data generator, incremental
//! rollups, parameter validation and the dashboard's queries.

pub mod calendar;
pub mod catalog;
pub mod dataset;
pub mod generator;
pub mod hll;
pub mod orders;
pub mod params;
pub mod queries;
pub mod seed;

use std::sync::Arc;

pub use self::dataset::Dataset;
use crate::cache::{CacheSettings, QueryCache};

/// What the analytics endpoints share: the dataset version and the cache.
pub struct Analytics {
    /// The dataset version this instance answers at.
    pub dataset: Arc<Dataset>,
    /// The shared query cache.
    pub cache: QueryCache,
}

impl Analytics {
    /// Fresh state with an empty cache.
    pub fn new(settings: &CacheSettings) -> Self {
        Self {
            dataset: Arc::new(Dataset::default()),
            cache: QueryCache::new(settings),
        }
    }
}
