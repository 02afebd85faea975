//! The regions and categories the data holds (`GET /api/v1/data/dimensions`),
//! as the choices of the dashboard's and the forecast form's pickers.
//!
//! The catalog is fetched in the browser only: the pickers show it when
//! opened, so the server-side render never waits for it (and never
//! renders a list that hydration would have to match).

use leptos::prelude::*;

use crate::api::{api_client, ClientError, DimensionValue, Dimensions};

/// The catalog as a picker reads it: fetched once, and again whenever
/// `version` changes (a refresh or an import changed the data).
#[derive(Clone, Copy)]
pub struct DimensionChoices {
    catalog: LocalResource<Result<Dimensions, ClientError>>,
}

impl DimensionChoices {
    /// Fetches the catalog, and again each time `version` changes.
    pub fn new(version: impl Fn() -> u64 + 'static) -> Self {
        let client = api_client();
        let catalog = LocalResource::new(move || {
            version();
            let client = client.clone();
            async move { client.dimensions().await }
        });
        Self { catalog }
    }

    /// The regions, most orders first (empty until the catalog arrives).
    pub fn regions(self) -> Signal<Vec<String>> {
        self.values(|d| &d.regions)
    }

    /// The categories, most orders first (empty until the catalog arrives).
    pub fn categories(self) -> Signal<Vec<String>> {
        self.values(|d| &d.categories)
    }

    fn values(self, pick: fn(&Dimensions) -> &Vec<DimensionValue>) -> Signal<Vec<String>> {
        let catalog = self.catalog;
        Signal::derive(move || {
            catalog
                .get()
                .and_then(Result::ok)
                .map(|d| pick(&d).iter().map(|v| v.value.clone()).collect())
                .unwrap_or_default()
        })
    }
}
