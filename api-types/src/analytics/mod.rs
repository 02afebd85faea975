//! The analytics API: what a question is made of (`params`) and the
//! answers (`responses`).
//!
//! Money is in currency units (two decimals, exact: the server sums integer
//! cents); dates are `YYYY-MM-DD` (UTC days), times RFC 3339.

mod params;
mod responses;

pub use params::*;
pub use responses::*;
