//! The dimension catalog: every region and category value the data holds,
//! with its completed orders. Storage rewrites the `dimension_values` table
//! with each refresh; each instance keeps a copy per dataset version and
//! checks filter values against it (an unknown value is a 400 naming it).

use std::{
    collections::HashSet,
    sync::{Arc, RwLock},
};

use api_types::{DimensionValue, Dimensions};

use crate::storage::Db;

/// Longest dimension value, in characters.
pub const MAX_VALUE_CHARS: usize = 64;
/// Most distinct values a dimension may have.
pub const MAX_VALUES: usize = 1_000;

/// A dimension: region or category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dim {
    /// Sales region.
    Region,
    /// Product category.
    Category,
}

impl Dim {
    /// The column and catalog name.
    pub fn name(self) -> &'static str {
        match self {
            Dim::Region => "region",
            Dim::Category => "category",
        }
    }
}

/// One dimension's values, most orders first, and a set for lookups.
#[derive(Debug, Default)]
pub struct Values {
    listed: Vec<DimensionValue>,
    known: HashSet<String>,
}

impl Values {
    fn new(listed: Vec<DimensionValue>) -> Self {
        let known = listed.iter().map(|v| v.value.clone()).collect();
        Self { listed, known }
    }

    /// Whether the data holds `value`.
    pub fn contains(&self, value: &str) -> bool {
        self.known.contains(value)
    }

    /// How many values there are.
    pub fn len(&self) -> usize {
        self.listed.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.listed.is_empty()
    }
}

/// The catalog at one dataset version.
#[derive(Debug, Default)]
pub struct Catalog {
    /// The dataset version it was read at.
    pub version: i64,
    /// Regions.
    pub regions: Values,
    /// Categories.
    pub categories: Values,
}

impl Catalog {
    /// One dimension's values.
    pub fn values(&self, dim: Dim) -> &Values {
        match dim {
            Dim::Region => &self.regions,
            Dim::Category => &self.categories,
        }
    }

    /// One dimension's values, most orders first.
    pub fn names(&self, dim: Dim) -> Vec<String> {
        self.values(dim)
            .listed
            .iter()
            .map(|v| v.value.clone())
            .collect()
    }

    /// The API's view of it.
    pub fn view(&self) -> Dimensions {
        Dimensions {
            dataset_version: self.version,
            regions: self.regions.listed.clone(),
            categories: self.categories.listed.clone(),
        }
    }

    /// Checks requested values of `dim`: each trimmed and known to the
    /// data. Sorted without repeats; every value selected is the same
    /// question as none, so that becomes empty. `Err` names the first
    /// unknown value (shortened and escaped: a request may carry 1 MB).
    pub fn check<'a>(
        &self,
        dim: Dim,
        raw: impl IntoIterator<Item = &'a str>,
    ) -> Result<Vec<String>, String> {
        let known = self.values(dim);
        let mut values = Vec::new();
        for value in raw.into_iter().map(str::trim) {
            if !known.contains(value) {
                return Err(format!(
                    "unknown {} '{}' (GET /api/v1/data/dimensions lists the {} the data holds)",
                    dim.name(),
                    crate::audit::clean::text(value, MAX_VALUE_CHARS),
                    if dim == Dim::Region {
                        "regions"
                    } else {
                        "categories"
                    },
                ));
            }
            values.push(value.to_owned());
        }
        values.sort_unstable();
        values.dedup();
        if values.len() >= known.len() {
            values.clear();
        }
        Ok(values)
    }
}

/// This instance's copy of the catalog, read again when the dataset
/// version moves.
#[derive(Debug, Default)]
pub struct DimensionCatalog {
    current: RwLock<Option<Arc<Catalog>>>,
}

impl DimensionCatalog {
    /// The catalog at dataset `version` (read from the database when the
    /// copy held is of another version).
    pub async fn at(&self, db: &Db, version: i64) -> Result<Arc<Catalog>, sqlx::Error> {
        let held = self.current.read().ok().and_then(|c| c.clone());
        if let Some(catalog) = held.filter(|c| c.version == version) {
            return Ok(catalog);
        }
        let rows = db.dimension_values().await?;
        let (mut regions, mut categories) = (Vec::new(), Vec::new());
        for (dimension, value, orders) in rows {
            let item = DimensionValue { value, orders };
            match dimension.as_str() {
                "region" => regions.push(item),
                _ => categories.push(item),
            }
        }
        let catalog = Arc::new(Catalog {
            version,
            regions: Values::new(regions),
            categories: Values::new(categories),
        });
        if let Ok(mut current) = self.current.write() {
            *current = Some(catalog.clone());
        }
        Ok(catalog)
    }
}

#[cfg(test)]
pub(crate) fn test_catalog(regions: &[&str], categories: &[&str]) -> Catalog {
    let listed = |values: &[&str]| {
        Values::new(
            values
                .iter()
                .map(|v| DimensionValue {
                    value: (*v).to_owned(),
                    orders: 1,
                })
                .collect(),
        )
    };
    Catalog {
        version: 1,
        regions: listed(regions),
        categories: listed(categories),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked_sorted_and_all_means_none() {
        let catalog = test_catalog(
            &["Europe", "Île-de-France", "Zürich \"Nord\", Süd"],
            &["Toys"],
        );
        assert_eq!(
            catalog.check(Dim::Region, [" Europe ", "Zürich \"Nord\", Süd", "Europe"]),
            Ok(vec!["Europe".to_owned(), "Zürich \"Nord\", Süd".to_owned()])
        );
        assert_eq!(catalog.check(Dim::Category, ["Toys"]), Ok(Vec::new()));
        let error = catalog
            .check(Dim::Region, ["Atlantis"])
            .expect_err("unknown");
        assert!(error.contains("unknown region 'Atlantis'"), "{error}");
    }

    #[test]
    fn a_huge_unknown_value_is_quoted_short() {
        let catalog = test_catalog(&["Europe"], &[]);
        let error = catalog
            .check(Dim::Region, [format!("\0{}", "x".repeat(100_000)).as_str()])
            .expect_err("unknown");
        assert!(error.len() < 300 && !error.contains('\0'), "{error}");
    }
}
