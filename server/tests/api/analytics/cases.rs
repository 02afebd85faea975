//! The filters the property tests draw: a period, and regions and
//! categories from a list of the data's values, with the SQL `WHERE` that
//! asks the raw orders the same question.

use app::api::Filters;
use rand::{seq::IndexedRandom, Rng};
use rand_pcg::Pcg64Mcg;
use server::analytics::calendar;

use super::END_DAY;

/// The demo generator's regions and categories (the data's values).
pub const REGIONS: [&str; 5] = [
    "North America",
    "Europe",
    "Asia-Pacific",
    "Latin America",
    "Middle East & Africa",
];
pub const CATEGORIES: [&str; 6] = [
    "Electronics",
    "Home & Kitchen",
    "Apparel",
    "Sports & Outdoors",
    "Beauty",
    "Toys & Games",
];

/// The values filters are drawn from.
pub struct Dims {
    pub regions: Vec<String>,
    pub categories: Vec<String>,
}

impl Dims {
    pub fn demo() -> Dims {
        Dims {
            regions: REGIONS.map(str::to_owned).to_vec(),
            categories: CATEGORIES.map(str::to_owned).to_vec(),
        }
    }
}

pub struct Case {
    pub from: i64,
    pub to: i64,
    pub regions: Vec<String>,
    pub categories: Vec<String>,
}

impl Case {
    pub fn draw(rng: &mut Pcg64Mcg, dims: &Dims) -> Case {
        Self::draw_until(rng, dims, END_DAY)
    }

    /// A case whose periods end at most 400 days before `end`.
    pub fn draw_until(rng: &mut Pcg64Mcg, dims: &Dims, end: i64) -> Case {
        let short = rng.random_bool(0.5);
        let lengths: &[i64] = if short {
            &[1, 2, 7]
        } else {
            &[30, 45, 90, 200, 365]
        };
        let len = *lengths.choose(rng).expect("lengths");
        let to = end - rng.random_range(0..400);
        let (regions, categories) = if short && rng.random_bool(0.6) {
            // Narrow: one region, one or two categories.
            let region = dims.regions.choose(rng).expect("region").clone();
            let count = rng.random_range(1..=2);
            let categories = dims.categories.choose_multiple(rng, count).cloned();
            (vec![region], categories.collect())
        } else {
            let regions = dims
                .regions
                .iter()
                .filter(|_| rng.random_bool(0.4))
                .cloned()
                .collect();
            let categories = dims
                .categories
                .iter()
                .filter(|_| rng.random_bool(0.4))
                .cloned()
                .collect();
            (regions, categories)
        };
        Case {
            from: to - len + 1,
            to,
            regions,
            categories,
        }
    }

    pub fn filters(&self) -> Filters {
        Filters {
            range: None,
            from: Some(calendar::format_day(self.from)),
            to: Some(calendar::format_day(self.to)),
            regions: self.regions.clone(),
            categories: self.categories.clone(),
        }
    }

    /// `WHERE` over raw orders for days `from..=to`.
    pub fn sql_where(&self, from: i64, to: i64) -> String {
        let list = |values: &[String]| {
            values
                .iter()
                .map(|v| quoted(v))
                .collect::<Vec<_>>()
                .join(",")
        };
        let mut sql = format!(
            "status = 'completed' AND ordered_at >= {} AND ordered_at < {}",
            from * 86_400,
            (to + 1) * 86_400
        );
        if !self.regions.is_empty() {
            sql += &format!(" AND region IN ({})", list(&self.regions));
        }
        if !self.categories.is_empty() {
            sql += &format!(" AND category IN ({})", list(&self.categories));
        }
        sql
    }
}

/// `text` as an SQL literal (the test's own SQL; the server binds values).
pub fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}
