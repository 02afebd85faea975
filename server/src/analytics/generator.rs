//! A deterministic generator of realistic orders: growth, weekly and yearly
//! seasonality, promotions, a regional and category mix that drifts, and
//! customers who come back for a while and then churn. The same seed, size
//! and end day always give the same rows.

use std::borrow::Cow;

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

use super::{
    calendar::{self, Day, SECONDS_PER_DAY},
    catalog::{Category, Region, PRODUCTS},
};
/// The rows the generator makes, as storage loads them.
pub use crate::storage::seed::{Customer, Order};

/// Days of history generated.
pub const HISTORY_DAYS: i64 = 3 * 365 + 1;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GeneratorConfig {
    /// Number of orders.
    pub orders: u64,
    /// Random seed.
    pub seed: u64,
    /// The last day with orders.
    pub end: Day,
}

/// Generates orders day by day, in time order, with ids from 1.
pub struct Generator {
    config: GeneratorConfig,
    rng: Pcg64Mcg,
    per_day: Vec<u64>,
    day_index: usize,
    next_order: i64,
    customers: Vec<Region>,
    recent: Vec<i64>,
    recent_cap: usize,
    recent_next: usize,
    loyal: Vec<i64>,
    new_customers: Vec<Customer>,
}

impl Generator {
    /// A generator for `config`.
    pub fn new(config: GeneratorConfig) -> Self {
        let mut rng = Pcg64Mcg::seed_from_u64(config.seed);
        let weights: Vec<f64> = (0..HISTORY_DAYS)
            .map(|i| day_weight(&mut rng, config.end - HISTORY_DAYS + 1 + i, i))
            .collect();
        let per_day = allocate(config.orders, &weights);
        let per_day_mean = config.orders as f64 / HISTORY_DAYS as f64;
        Self {
            config,
            rng,
            per_day,
            day_index: 0,
            next_order: 1,
            customers: Vec::new(),
            recent: Vec::new(),
            recent_cap: (per_day_mean * 25.0).clamp(50.0, 2_000_000.0) as usize,
            recent_next: 0,
            loyal: Vec::new(),
            new_customers: Vec::new(),
        }
    }

    /// The next day's orders, or `None` after the last day.
    pub fn next_day(&mut self) -> Option<Vec<Order>> {
        let count = *self.per_day.get(self.day_index)?;
        let day = self.config.end - HISTORY_DAYS + 1 + self.day_index as i64;
        let progress = self.day_index as f64 / HISTORY_DAYS as f64;
        self.day_index += 1;
        let promo = is_promo(day);
        let mut times: Vec<i64> = (0..count).map(|_| self.time_of_day()).collect();
        times.sort_unstable();
        let orders = times
            .into_iter()
            .map(|seconds| self.order(day * SECONDS_PER_DAY + seconds, progress, promo))
            .collect();
        Some(orders)
    }

    /// Customers created since the last call.
    pub fn take_new_customers(&mut self) -> Vec<Customer> {
        std::mem::take(&mut self.new_customers)
    }

    fn time_of_day(&mut self) -> i64 {
        // Busier in the day and evening than at night.
        let hour = loop {
            let hour: i64 = self.rng.random_range(0..24);
            let busy = if (9..23).contains(&hour) { 1.0 } else { 0.3 };
            if self.rng.random::<f64>() < busy {
                break hour;
            }
        };
        hour * 3_600 + self.rng.random_range(0..3_600)
    }

    fn order(&mut self, ordered_at: i64, progress: f64, promo: bool) -> Order {
        let customer_id = self.customer(ordered_at, progress);
        let region = self.customers[(customer_id - 1) as usize];
        let category = self.category(region, ordered_at);
        let products = &PRODUCTS
            .iter()
            .find(|(c, _)| *c == category)
            .map_or(PRODUCTS[0].1, |p| p.1);
        let (product, list_price, cost_share) = products[self.rng.random_range(0..products.len())];
        let inflation = 1.0 + 0.03 * progress * 3.0;
        let unit_price =
            (list_price as f64 * inflation * self.rng.random_range(0.95..1.05)).round() as i64;
        let unit_cost = (unit_price as f64 * cost_share).round() as i64;
        let quantity = match self.rng.random_range(0..100) {
            0..65 => 1,
            65..85 => 2,
            85..94 => 3,
            94..98 => 4,
            _ => 5,
        };
        let rate = if promo && self.rng.random::<f64>() < 0.7 {
            0.15
        } else if self.rng.random::<f64>() < 0.1 {
            self.rng.random_range(0.05..0.10)
        } else {
            0.0
        };
        let discount = (quantity as f64 * unit_price as f64 * rate).round() as i64;
        let status = match self.rng.random_range(0..100) {
            0..92 => "completed",
            92..97 => "returned",
            _ => "cancelled",
        };
        let id = self.next_order;
        self.next_order += 1;
        Order {
            id,
            ordered_at,
            customer_id,
            region: Cow::Borrowed(region.name()),
            category: Cow::Borrowed(category.name()),
            product: Cow::Borrowed(product),
            quantity,
            unit_price,
            unit_cost,
            discount,
            status,
        }
    }

    /// A returning customer from the recent ones (those who stop being
    /// picked drop out of the window: they churn), a loyal one, or a new one.
    fn customer(&mut self, ordered_at: i64, progress: f64) -> i64 {
        let roll: f64 = self.rng.random();
        if roll < 0.12 && !self.loyal.is_empty() {
            return self.loyal[self.rng.random_range(0..self.loyal.len())];
        }
        if roll < 0.82 && self.recent.len() >= self.recent_cap.min(50) {
            return self.recent[self.rng.random_range(0..self.recent.len())];
        }
        let region = self.region(progress);
        self.customers.push(region);
        let id = self.customers.len() as i64;
        self.new_customers.push(Customer {
            id,
            region: Cow::Borrowed(region.name()),
            signed_up_at: ordered_at,
        });
        if self.recent.len() < self.recent_cap {
            self.recent.push(id);
        } else {
            self.recent[self.recent_next] = id;
            self.recent_next = (self.recent_next + 1) % self.recent_cap;
        }
        if self.rng.random::<f64>() < 0.04 {
            self.loyal.push(id);
        }
        id
    }

    fn region(&mut self, progress: f64) -> Region {
        // Asia-Pacific grows, North America's share shrinks.
        let weights = [
            0.36 - 0.08 * progress,
            0.27,
            0.17 + 0.10 * progress,
            0.12,
            0.08,
        ];
        Region::ALL[pick(&mut self.rng, &weights)]
    }

    fn category(&mut self, region: Region, ordered_at: i64) -> Category {
        let month = u8::from(calendar::date(ordered_at / SECONDS_PER_DAY).month());
        let mut weights = [0.22, 0.20, 0.20, 0.14, 0.14, 0.10];
        if matches!(month, 11 | 12) {
            weights[5] *= 2.2;
            weights[0] *= 1.3;
        }
        if (6..=8).contains(&month) {
            weights[3] *= 1.4;
        }
        match region {
            Region::AsiaPacific => weights[0] *= 1.3,
            Region::LatinAmerica => weights[3] *= 1.25,
            Region::Europe => weights[2] *= 1.15,
            _ => {}
        }
        Category::ALL[pick(&mut self.rng, &weights)]
    }
}

/// Relative order volume of a day: trend × weekday × season × promotion × noise.
fn day_weight(rng: &mut Pcg64Mcg, day: Day, index: i64) -> f64 {
    let trend = 1.0 + 0.8 * index as f64 / HISTORY_DAYS as f64;
    let weekday = [1.02, 1.10, 1.25, 1.15, 0.95, 0.97, 1.0][(day.rem_euclid(7)) as usize];
    let date = calendar::date(day);
    let day_of_year = f64::from(date.ordinal());
    let season = 1.0 + 0.22 * (2.0 * std::f64::consts::PI * (day_of_year - 350.0) / 365.0).cos();
    let promo = if is_promo(day) { 1.7 } else { 1.0 };
    let noise = rng.random_range(0.9..1.1);
    trend * weekday * season * promo * noise
}

/// Black Friday week and a three-day sale every seven weeks.
fn is_promo(day: Day) -> bool {
    let date = calendar::date(day);
    let black_friday_week =
        date.month() == time::Month::November && (23..=30).contains(&date.day());
    black_friday_week || day.rem_euclid(49) < 3
}

/// Splits `total` in proportion to `weights` (largest remainder: exact total).
fn allocate(total: u64, weights: &[f64]) -> Vec<u64> {
    let sum: f64 = weights.iter().sum();
    let exact: Vec<f64> = weights.iter().map(|w| total as f64 * w / sum).collect();
    let mut counts: Vec<u64> = exact.iter().map(|e| e.floor() as u64).collect();
    let mut short = total - counts.iter().sum::<u64>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor())));
    for index in order.into_iter().cycle() {
        if short == 0 {
            break;
        }
        counts[index] += 1;
        short -= 1;
    }
    counts
}

fn pick(rng: &mut Pcg64Mcg, weights: &[f64]) -> usize {
    let mut roll = rng.random::<f64>() * weights.iter().sum::<f64>();
    for (index, weight) in weights.iter().enumerate() {
        if roll < *weight {
            return index;
        }
        roll -= weight;
    }
    weights.len() - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generate(orders: u64, seed: u64) -> (Vec<Order>, Vec<Customer>) {
        let mut generator = Generator::new(GeneratorConfig {
            orders,
            seed,
            end: 20_000,
        });
        let (mut all, mut customers) = (Vec::new(), Vec::new());
        while let Some(day) = generator.next_day() {
            all.extend(day);
            customers.extend(generator.take_new_customers());
        }
        (all, customers)
    }

    #[test]
    fn makes_exactly_n_orders_in_time_order_and_is_deterministic() {
        let (orders, customers) = generate(20_000, 7);
        assert_eq!(orders.len(), 20_000);
        assert!(orders
            .windows(2)
            .all(|w| w[0].ordered_at <= w[1].ordered_at && w[0].id < w[1].id));
        assert!(orders
            .iter()
            .all(|o| o.total() > 0 && o.ordered_at / SECONDS_PER_DAY <= 20_000));
        assert_eq!(customers.last().map(|c| c.id), Some(customers.len() as i64));
        assert_eq!(generate(20_000, 7).0, orders);
        assert_ne!(generate(20_000, 8).0, orders);
    }

    #[test]
    fn customers_return() {
        let (orders, customers) = generate(20_000, 1);
        let ratio = orders.len() as f64 / customers.len() as f64;
        assert!(ratio > 2.0, "orders per customer {ratio}");
    }

    #[test]
    fn allocation_is_exact() {
        assert_eq!(allocate(10, &[1.0, 1.0, 1.0]).iter().sum::<u64>(), 10);
        assert_eq!(allocate(0, &[1.0]), [0]);
    }
}
