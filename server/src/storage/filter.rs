//! The filter storage applies to the orders and their rollups: a period
//! and, optionally, the region and category codes to keep.

use super::days::Period;

/// Which orders (or rollup cells) a read covers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OrderFilter {
    /// The days asked about (inclusive).
    pub period: Period,
    /// Region codes to keep (empty = all).
    pub regions: Vec<&'static str>,
    /// Category codes to keep (empty = all).
    pub categories: Vec<&'static str>,
}

impl OrderFilter {
    /// SQL conditions on the `region` and `category` columns, each starting
    /// with ` AND ` (empty when every value is kept). The codes are
    /// compile-time constants, and are quoted as SQL string literals all the
    /// same, so no text can end the literal early.
    pub fn sql_conditions(&self) -> String {
        let mut sql = String::new();
        for (column, codes) in [("region", &self.regions), ("category", &self.categories)] {
            if !codes.is_empty() {
                let quoted: Vec<_> = codes.iter().map(|code| literal(code)).collect();
                sql.push_str(&format!(" AND {column} IN ({})", quoted.join(",")));
            }
        }
        sql
    }
}

/// `text` as an SQL string literal (quotes doubled), the same on SQLite and
/// PostgreSQL (with `standard_conforming_strings`, on by default).
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(regions: Vec<&'static str>, categories: Vec<&'static str>) -> OrderFilter {
        OrderFilter {
            period: Period { from: 1, to: 2 },
            regions,
            categories,
        }
    }

    #[test]
    fn no_codes_no_conditions() {
        assert_eq!(filter(Vec::new(), Vec::new()).sql_conditions(), "");
    }

    #[test]
    fn codes_become_in_lists() {
        assert_eq!(
            filter(vec!["eu", "na"], vec!["toys"]).sql_conditions(),
            " AND region IN ('eu','na') AND category IN ('toys')"
        );
        assert_eq!(
            filter(Vec::new(), vec!["toys", "books"]).sql_conditions(),
            " AND category IN ('toys','books')"
        );
    }

    #[test]
    fn a_quote_cannot_end_the_literal() {
        assert_eq!(
            filter(vec!["x') OR ('1'='1"], Vec::new()).sql_conditions(),
            " AND region IN ('x'') OR (''1''=''1')"
        );
    }
}
