//! Analytics over the orders warehouse: the data generator, incremental
//! rollups, parameter validation and the dashboard's queries.

pub mod calendar;
pub mod catalog;
pub mod dataset;
pub mod dimensions;
pub mod distinct;
pub mod generator;
pub mod orders;
pub mod params;
pub mod purge;
pub mod queries;
pub mod refresh;
pub mod seed;
pub mod sketches;

/// The HyperLogLog sketch of customer ids. Storage owns its byte format
/// (the rollup cells hold it); the domain merges and estimates with it.
pub use crate::storage::hll;

use std::sync::Arc;

pub use self::dataset::Dataset;
use self::{dimensions::DimensionCatalog, sketches::SketchStore};
use crate::{cache::QueryCache, config::AnalyticsSettings};

/// What the analytics endpoints share: the dataset version, the answer
/// cache and the customer sketches held in memory.
pub struct Analytics {
    /// The dataset version this instance answers at.
    pub dataset: Arc<Dataset>,
    /// The shared query cache.
    pub cache: QueryCache,
    /// The rollups' customer sketches, in memory.
    pub sketches: Arc<SketchStore>,
    /// The regions and categories the data holds.
    pub dimensions: DimensionCatalog,
}

impl Analytics {
    /// Fresh state with empty caches.
    pub fn new(settings: &AnalyticsSettings) -> Self {
        Self {
            dataset: Arc::new(Dataset::new(settings.exact_customers)),
            cache: QueryCache::new(&settings.cache),
            sketches: Arc::new(SketchStore::new(settings.sketch_bytes)),
            dimensions: DimensionCatalog::default(),
        }
    }
}
