//! The distinct customers of a rollup cell, as its `customers` column holds
//! them: the exact set while it is small, the HyperLogLog sketch above.
//!
//! This is HyperLogLog++'s sparse/dense idea with an exact first stage: a
//! cell keeps the set of its customer ids (a Roaring bitmap, about 2 bytes
//! per id when ids are dense, as warehouse ids are) while it holds at most
//! the configured number of customers (`TESSERA_EXACT_CUSTOMERS`, default
//! 4,096) *and* its encoding is smaller than a dense sketch
//! ([`MAX_EXACT_BYTES`]); the first write past either limit turns the
//! cell into the sketch of the same ids, for good. Unions of exact sets are
//! exact; a union that meets one sketch is a sketch.
//!
//! Format: one tag byte, then
//! - [`EXACT`]: the ids as a Roaring treemap in the portable format the
//!   C, Java and Go implementations share (the `roaring` crate);
//! - HyperLogLog sparse or dense: see [`super::hll`].

use roaring::RoaringTreemap;

use super::hll::{Hll, HllError, DENSE_BYTES};

/// The tag of an exact set.
pub const EXACT: u8 = 3;

/// An exact set is never stored larger than the dense sketch it stands for.
pub const MAX_EXACT_BYTES: usize = DENSE_BYTES;

/// A stored cell, parsed.
#[derive(Debug, Clone, PartialEq)]
pub enum Distinct<'a> {
    /// The exact set of customer ids.
    Exact(RoaringTreemap),
    /// A serialized HyperLogLog sketch.
    Sketch(&'a [u8]),
}

/// Parses a cell's `customers` bytes (checking an exact set's encoding).
pub fn parse(bytes: &[u8]) -> Result<Distinct<'_>, HllError> {
    match bytes.split_first() {
        Some((&EXACT, set)) => {
            let ids = RoaringTreemap::deserialize_from(set).map_err(|_| HllError)?;
            // The encoding must be exactly the set's, nothing after it.
            if ids.serialized_size() == set.len() {
                Ok(Distinct::Exact(ids))
            } else {
                Err(HllError)
            }
        }
        Some(_) => Ok(Distinct::Sketch(bytes)),
        None => Err(HllError),
    }
}

/// The cell that holds `existing` (stored bytes, if any) plus `ids`: exact
/// while it has at most `limit` customers and fits [`MAX_EXACT_BYTES`],
/// otherwise the sketch.
pub fn add(existing: Option<&[u8]>, ids: &[i64], limit: usize) -> Result<Vec<u8>, HllError> {
    let mut set = match existing.map(parse).transpose()? {
        Some(Distinct::Sketch(bytes)) => return Hll::merged_bytes(Some(bytes), ids),
        Some(Distinct::Exact(set)) => set,
        None => RoaringTreemap::new(),
    };
    let mut sorted: Vec<u64> = ids.iter().map(|&id| id as u64).collect();
    sorted.sort_unstable();
    sorted.dedup();
    set.extend(sorted);
    encode(&set, limit)
}

/// `set` stored: exact if it may be, otherwise as a sketch of its ids.
fn encode(set: &RoaringTreemap, limit: usize) -> Result<Vec<u8>, HllError> {
    let size = set.serialized_size();
    if set.len() <= limit as u64 && size < MAX_EXACT_BYTES {
        let mut bytes = Vec::with_capacity(1 + size);
        bytes.push(EXACT);
        set.serialize_into(&mut bytes).map_err(|_| HllError)?;
        return Ok(bytes);
    }
    let ids: Vec<i64> = set.iter().map(|id| id as i64).collect();
    Hll::merged_bytes(None, &ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(range: std::ops::Range<i64>) -> Vec<i64> {
        range.collect()
    }

    fn exact(bytes: &[u8]) -> RoaringTreemap {
        match parse(bytes) {
            Ok(Distinct::Exact(set)) => set,
            other => panic!("expected an exact set, got {other:?}"),
        }
    }

    #[test]
    fn small_cells_stay_exact_across_writes() {
        let first = add(None, &[5, 3, 5, 9], 10).expect("first");
        assert_eq!(exact(&first).iter().collect::<Vec<_>>(), vec![3, 5, 9]);
        let second = add(Some(&first), &[9, 1, 100_000], 10).expect("second");
        assert_eq!(
            exact(&second).iter().collect::<Vec<_>>(),
            vec![1, 3, 5, 9, 100_000]
        );
    }

    #[test]
    fn a_cell_past_the_limit_becomes_the_sketch_of_the_same_ids() {
        let first = add(None, &ids(0..8), 10).expect("first");
        let second = add(Some(&first), &ids(5..20), 10).expect("second");
        let mut expected = Hll::default();
        (0..20).for_each(|id| expected.insert(id));
        assert_eq!(
            parse(&second),
            Ok(Distinct::Sketch(&expected.to_bytes()[..]))
        );
        // Once a sketch, always a sketch.
        let third = add(Some(&second), &[1], 10).expect("third");
        assert_eq!(parse(&third), Ok(Distinct::Sketch(&third[..])));
    }

    #[test]
    fn limit_zero_stores_only_sketches_as_before() {
        let bytes = add(None, &ids(0..50), 0).expect("bytes");
        assert_eq!(bytes, Hll::merged_bytes(None, &ids(0..50)).expect("sketch"));
    }

    #[test]
    fn an_exact_set_is_never_larger_than_a_dense_sketch() {
        // Spread ids cost ~20 bytes each in a treemap: the size cap, not
        // the count, turns this cell into a sketch.
        let spread: Vec<i64> = (0..2_000).map(|i| i << 33).collect();
        let bytes = add(None, &spread, 100_000).expect("bytes");
        assert!(matches!(parse(&bytes), Ok(Distinct::Sketch(_))));
        let dense = add(None, &ids(1..4_001), 4_096).expect("dense ids");
        assert!(dense.len() < MAX_EXACT_BYTES / 2, "{} bytes", dense.len());
        assert_eq!(exact(&dense).len(), 4_000);
    }

    #[test]
    fn corrupt_cells_are_refused() {
        let good = add(None, &[1, 2, 3], 10).expect("good");
        assert_eq!(parse(&[]), Err(HllError));
        assert_eq!(parse(&good[..good.len() - 1]), Err(HllError));
        let mut longer = good.clone();
        longer.push(0);
        assert_eq!(parse(&longer), Err(HllError));
        assert_eq!(parse(&[EXACT, 1, 2]), Err(HllError));
    }
}
