//! Loading generated orders into the warehouse (`tessera seed`, demo mode).

use std::time::{Duration, Instant};

use super::generator::{Generator, GeneratorConfig};
use crate::storage::Db;

/// Orders written per transaction.
const BATCH_ORDERS: usize = 50_000;

/// What a seeding run did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SeedReport {
    /// Orders written.
    pub orders: u64,
    /// Customers written.
    pub customers: u64,
    /// Wall time.
    pub elapsed: Duration,
}

impl SeedReport {
    /// Orders written per second.
    pub fn rows_per_second(&self) -> f64 {
        self.orders as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Generates `config.orders` orders and appends them; `progress` gets the
/// number written so far after each batch.
pub async fn seed(
    db: &Db,
    config: GeneratorConfig,
    mut progress: impl FnMut(u64),
) -> Result<SeedReport, sqlx::Error> {
    let started = Instant::now();
    let mut generator = Generator::new(config);
    let (mut orders, mut customers) = (Vec::with_capacity(BATCH_ORDERS), Vec::new());
    let (mut written, mut written_customers) = (0u64, 0u64);
    loop {
        let day = generator.next_day();
        let done = day.is_none();
        orders.extend(day.unwrap_or_default());
        customers.extend(generator.take_new_customers());
        if orders.len() >= BATCH_ORDERS || (done && !orders.is_empty()) {
            db.insert_batch(&customers, &orders).await?;
            written += orders.len() as u64;
            written_customers += customers.len() as u64;
            orders.clear();
            customers.clear();
            progress(written);
        }
        if done {
            break;
        }
    }
    db.analyze_warehouse().await?;
    Ok(SeedReport {
        orders: written,
        customers: written_customers,
        elapsed: started.elapsed(),
    })
}
