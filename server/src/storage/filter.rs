//! The filter storage applies to the orders and their rollups: a period
//! and, optionally, the region and category values to keep.
//!
//! The values are the data's own text: they reach SQL only as bound
//! parameters (`$1`, `$2`, … in the statement, bound by [`bind_filter`]),
//! never formatted into it.

use super::days::Period;

/// Which orders (or rollup cells) a read covers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OrderFilter {
    /// The days asked about (inclusive).
    pub period: Period,
    /// Region values to keep (empty = all).
    pub regions: Vec<String>,
    /// Category values to keep (empty = all).
    pub categories: Vec<String>,
}

impl OrderFilter {
    /// SQL conditions on the `region` and `category` columns, each starting
    /// with ` AND ` (empty when every value is kept), with placeholders
    /// `$1…$n` for the values: the statement must have no other
    /// parameters, and [`bind_filter`] binds them in this order.
    pub fn sql_conditions(&self) -> String {
        let mut sql = String::new();
        let mut next = 1;
        for (column, values) in [("region", &self.regions), ("category", &self.categories)] {
            if !values.is_empty() {
                let placeholders: Vec<_> = (next..next + values.len())
                    .map(|n| format!("${n}"))
                    .collect();
                next += values.len();
                sql.push_str(&format!(" AND {column} IN ({})", placeholders.join(",")));
            }
        }
        sql
    }

    /// The values [`Self::sql_conditions`] names, in placeholder order.
    pub fn values(&self) -> impl Iterator<Item = &str> {
        self.regions
            .iter()
            .chain(&self.categories)
            .map(String::as_str)
    }
}

/// Binds a filter's values to a query made from its
/// [`OrderFilter::sql_conditions`] (either backend).
macro_rules! bind_filter {
    ($query:expr, $filter:expr) => {{
        let mut query = $query;
        for value in $filter.values() {
            query = query.bind(value);
        }
        query
    }};
}
pub(crate) use bind_filter;

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(regions: &[&str], categories: &[&str]) -> OrderFilter {
        OrderFilter {
            period: Period { from: 1, to: 2 },
            regions: regions.iter().map(|s| (*s).to_owned()).collect(),
            categories: categories.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    #[test]
    fn no_values_no_conditions() {
        assert_eq!(filter(&[], &[]).sql_conditions(), "");
    }

    #[test]
    fn values_become_numbered_placeholders() {
        let f = filter(&["Europe", "North America"], &["Toys"]);
        assert_eq!(
            f.sql_conditions(),
            " AND region IN ($1,$2) AND category IN ($3)"
        );
        assert_eq!(
            f.values().collect::<Vec<_>>(),
            ["Europe", "North America", "Toys"]
        );
        assert_eq!(
            filter(&[], &["Toys", "Books"]).sql_conditions(),
            " AND category IN ($1,$2)"
        );
    }

    #[test]
    fn no_value_is_ever_in_the_text() {
        let f = filter(&["x') OR ('1'='1"], &[]);
        assert!(!f.sql_conditions().contains('\''));
    }
}
