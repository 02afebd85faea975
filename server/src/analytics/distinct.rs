//! Distinct-customer figures (active customers, churn): exact where every
//! rollup cell involved holds its exact customer set, estimated from the
//! HyperLogLog sketch otherwise, and then with a bound worked out for that
//! answer.
//!
//! Bounds are stated at [`STANDARD_ERRORS`] standard errors of each
//! estimated count (relative standard error [`hll::STANDARD_ERROR`]) plus
//! one customer, and a figure built from several counts adds their bounds
//! up: no assumption about how the errors of estimates that share
//! registers correlate.

use roaring::{MultiOps, RoaringTreemap};

use super::hll::{self, Hll, HllError};
use crate::storage::distinct::{self as stored, Distinct};

/// Estimates are bounded at this many standard errors.
pub const STANDARD_ERRORS: f64 = 3.0;

/// A period's union is kept exact up to this many customer ids summed over
/// its cells (about 1 MB of bitmaps, a few milliseconds to merge); past it
/// the cells are merged into a sketch, as a sketch merges in constant
/// memory.
pub const EXACT_UNION_MAX: u64 = 1_000_000;

/// A rollup cell's customers, parsed once and held in memory.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// The exact set of customer ids.
    Exact(RoaringTreemap),
    /// A serialized HyperLogLog sketch.
    Sketch(Box<[u8]>),
}

impl Cell {
    /// Parses a cell's stored bytes.
    pub fn parse(bytes: &[u8]) -> Result<Self, HllError> {
        Ok(match stored::parse(bytes)? {
            Distinct::Exact(set) => Cell::Exact(set),
            Distinct::Sketch(sketch) => Cell::Sketch(sketch.into()),
        })
    }

    /// Bytes this cell takes in memory, roughly.
    pub fn weight(&self) -> usize {
        match self {
            Cell::Exact(set) => set.serialized_size(),
            Cell::Sketch(bytes) => bytes.len(),
        }
    }
}

/// The customers of a period: exact, or a sketch.
#[derive(Debug, Clone)]
pub enum CustomerSet {
    /// Every cell was exact (and their union small enough).
    Exact(RoaringTreemap),
    /// At least one cell was a sketch.
    Estimated(Hll),
}

/// A figure and how far it may be from the exact one (0 when exact).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figure {
    /// The figure.
    pub value: f64,
    /// The most |value − exact| may be; 0 when the figure is exact.
    pub bound: f64,
}

impl Figure {
    fn exact(value: f64) -> Self {
        Self { value, bound: 0.0 }
    }

    /// Whether the figure is exact.
    pub fn is_exact(&self) -> bool {
        self.bound == 0.0
    }
}

/// The bound on an estimated count: three standard errors, plus one
/// customer for two ids that share a register (likely among a few hundred,
/// and what the relative error does not cover for tiny sets).
fn count_bound(estimate: f64) -> f64 {
    STANDARD_ERRORS * hll::STANDARD_ERROR * estimate + 1.0
}

impl CustomerSet {
    /// The union of `cells`: exact when every cell is exact and they hold
    /// at most [`EXACT_UNION_MAX`] ids between them.
    pub fn union<'a>(cells: impl IntoIterator<Item = &'a Cell>) -> Result<Self, HllError> {
        let (mut exact, mut sketches, mut ids) = (Vec::new(), Vec::new(), 0);
        for cell in cells {
            match cell {
                Cell::Exact(set) => {
                    ids += set.len();
                    exact.push(set);
                }
                Cell::Sketch(bytes) => sketches.push(bytes),
            }
        }
        if sketches.is_empty() && ids <= EXACT_UNION_MAX {
            return Ok(CustomerSet::Exact(exact.union()));
        }
        let mut sketch = Hll::default();
        for bytes in sketches {
            sketch.merge_bytes(bytes)?;
        }
        exact.into_iter().for_each(|set| add_ids(&mut sketch, set));
        Ok(CustomerSet::Estimated(sketch))
    }

    /// Distinct customers, rounded to a whole number.
    pub fn active(&self) -> Figure {
        match self {
            CustomerSet::Exact(set) => Figure::exact(set.len() as f64),
            CustomerSet::Estimated(sketch) => {
                let estimate = sketch.estimate();
                // Rounding adds up to half a customer.
                Figure {
                    value: estimate.round(),
                    bound: (count_bound(estimate) + 0.5).ceil(),
                }
            }
        }
    }

    /// Of the customers in `earlier`, those not in `later`: how many, and
    /// their share of `earlier` (0–1; 0 when `earlier` is empty).
    pub fn churn(earlier: &Self, later: &Self) -> (Figure, Figure) {
        if let (CustomerSet::Exact(before), CustomerSet::Exact(now)) = (earlier, later) {
            let churned = before.difference_len(now) as f64;
            let base = before.len() as f64;
            let rate = if base == 0.0 { 0.0 } else { churned / base };
            return (Figure::exact(churned), Figure::exact(rate));
        }
        let (before, now) = (earlier.sketch(), later.sketch());
        let mut union = before.clone();
        union.merge(&now);
        let (u, c) = (union.estimate(), now.estimate());
        let churned = (u - c).max(0.0);
        // |churned − exact| ≤ bound(union) + bound(later).
        let churned_bound = count_bound(u) + count_bound(c);
        let (base, base_bound) = match earlier {
            CustomerSet::Exact(set) => (set.len() as f64, 0.0),
            CustomerSet::Estimated(sketch) => {
                let estimate = sketch.estimate();
                (estimate, count_bound(estimate))
            }
        };
        let count = Figure {
            value: churned.round(),
            bound: (churned_bound + 0.5).ceil(),
        };
        if base < 0.5 {
            return (count, Figure::exact(0.0));
        }
        let rate = (churned / base).clamp(0.0, 1.0);
        // For D/B with |D̂ − D| ≤ d and |B̂ − B| ≤ b:
        // |D̂/B̂ − D/B| ≤ (d + (D̂/B̂)·b) / (B̂ − b).
        let bound = if base - base_bound <= 0.0 {
            1.0
        } else {
            ((churned_bound + churned / base * base_bound) / (base - base_bound)).min(1.0)
        };
        // An estimate is never reported as exact, however tight its bound.
        (
            count,
            Figure {
                value: rate,
                bound: bound.max(f64::MIN_POSITIVE),
            },
        )
    }

    /// The set as a sketch (an exact set's ids added to an empty one).
    fn sketch(&self) -> Hll {
        match self {
            CustomerSet::Estimated(sketch) => sketch.clone(),
            CustomerSet::Exact(set) => {
                let mut sketch = Hll::default();
                add_ids(&mut sketch, set);
                sketch
            }
        }
    }
}

/// Adds an exact set's ids to a sketch. Walks each 32-bit bitmap with its
/// own (folding) iterator: the treemap's flat iterator costs a few
/// branches more per id, and a cold answer at 50 M orders adds millions.
fn add_ids(sketch: &mut Hll, set: &RoaringTreemap) {
    for (high, bitmap) in set.bitmaps() {
        let high = u64::from(high) << 32;
        bitmap
            .iter()
            .for_each(|low| sketch.insert((high | u64::from(low)) as i64));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(ids: std::ops::Range<u64>) -> Cell {
        Cell::Exact(ids.collect())
    }

    fn sketch(ids: std::ops::Range<i64>) -> Cell {
        let mut sketch = Hll::default();
        ids.for_each(|id| sketch.insert(id));
        Cell::Sketch(sketch.to_bytes().into())
    }

    #[test]
    fn exact_cells_give_exact_figures() {
        let before = CustomerSet::union([&exact(0..40), &exact(30..60)]).expect("union");
        let now = CustomerSet::union([&exact(50..70)]).expect("union");
        assert_eq!(before.active(), Figure::exact(60.0));
        let (count, rate) = CustomerSet::churn(&before, &now);
        assert_eq!(count, Figure::exact(50.0));
        assert_eq!(rate, Figure::exact(50.0 / 60.0));
        let empty = CustomerSet::union([]).expect("empty");
        assert_eq!(CustomerSet::churn(&empty, &now).1, Figure::exact(0.0));
    }

    #[test]
    fn one_sketch_makes_the_union_an_estimate_within_its_bound() {
        let set = CustomerSet::union([&exact(0..3_000), &sketch(2_000..9_000)]).expect("union");
        assert!(matches!(set, CustomerSet::Estimated(_)));
        let active = set.active();
        assert!(!active.is_exact());
        assert!((active.value - 9_000.0).abs() <= active.bound, "{active:?}");
    }

    #[test]
    fn estimated_churn_holds_its_bound_and_says_it_is_an_estimate() {
        for (before, now, churned) in [
            (0..1_000, 900..5_000, 900.0),
            (0..20_000, 10..40_000, 10.0),
            (0..50, 0..50, 0.0),
        ] {
            let earlier = CustomerSet::union([&sketch(before.clone())]).expect("before");
            let later = CustomerSet::union([&sketch(now)]).expect("now");
            let (count, rate) = CustomerSet::churn(&earlier, &later);
            let base = (before.end - before.start) as f64;
            assert!((count.value - churned).abs() <= count.bound, "{count:?}");
            assert!(
                (rate.value - churned / base).abs() <= rate.bound,
                "{rate:?}"
            );
            assert!(!rate.is_exact() && !count.is_exact());
        }
    }

    #[test]
    fn past_the_union_limit_the_period_is_a_sketch() {
        let big = exact(0..EXACT_UNION_MAX);
        let set = CustomerSet::union([&big, &exact(0..1)]).expect("union");
        assert!(matches!(set, CustomerSet::Estimated(_)));
    }
}
