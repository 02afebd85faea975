//! The dashboard's shared reactive state: the URL query as a [`ViewState`],
//! split into one memo per concern so every widget subscribes to exactly
//! what it depends on (a memo only notifies when its value really changes).

use std::future::Future;

use leptos::prelude::*;
use serde::{de::DeserializeOwned, Serialize};

use super::query::{Mode, ViewState};
use crate::{
    api::{
        api_client, ApiClient, ClientError, Filters, Granularity, Meta, OrderField, Period,
        SortColumn,
    },
    components::url_state::{History, UrlState},
};

/// The dashboard state, provided as context by [`provide_dashboard`].
#[derive(Debug, Clone, Copy)]
pub struct Dashboard {
    /// The whole view, parsed from the URL.
    pub view: Memo<ViewState>,
    /// Date range, regions, categories.
    pub filters: Memo<Filters>,
    /// Time-series bucket size in effect.
    pub granularity: Memo<Granularity>,
    /// Standard or Advanced.
    pub mode: Memo<Mode>,
    /// Previous-period comparison on the chart.
    pub compare: Memo<bool>,
    /// Orders sort column and direction (descending when `true`).
    pub sort: Memo<(SortColumn, bool)>,
    /// Orders columns.
    pub fields: Memo<Vec<OrderField>>,
    /// Bumped after a data refresh: every analytics resource reads it.
    pub data_version: RwSignal<u64>,
    /// The resolved period of the latest KPI answer (prefills custom dates).
    pub period: RwSignal<Option<Period>>,
    /// Provenance of the latest KPI answer (for the "Data as of" stamp).
    pub meta: RwSignal<Option<Meta>>,
    url: UrlState<ViewState>,
}

impl Dashboard {
    /// Applies `change` to the current view and writes the result to the URL
    /// (replacing the history entry, without scrolling). An unchanged view
    /// writes nothing.
    pub fn update(self, change: impl FnOnce(&mut ViewState)) {
        self.url.update(change);
    }

    /// A resource that depends on the filters and the data version only:
    /// `fetch` asks the API for them.
    pub fn filters_resource<T, Fut>(
        self,
        fetch: impl Fn(ApiClient, Filters) -> Fut + Send + Sync + 'static,
    ) -> Resource<Result<T, ClientError>>
    where
        T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
        Fut: Future<Output = Result<T, ClientError>> + Send + 'static,
    {
        let client = api_client();
        Resource::new(
            move || (self.filters.get(), self.data_version.get()),
            move |(filters, _)| fetch(client.clone(), filters),
        )
    }

    /// Makes every analytics widget fetch again (the dataset changed).
    pub fn data_changed(self) {
        self.data_version.update(|v| *v += 1);
    }
}

/// Creates the dashboard state from the URL and provides it as context.
pub fn provide_dashboard() -> Dashboard {
    let url = UrlState::new(History::Replace);
    let view = url.value();
    let dashboard = Dashboard {
        view,
        filters: Memo::new(move |_| view.with(|v| v.filters.clone())),
        granularity: Memo::new(move |_| view.with(ViewState::effective_granularity)),
        mode: Memo::new(move |_| view.with(|v| v.mode)),
        compare: Memo::new(move |_| view.with(|v| v.compare)),
        sort: Memo::new(move |_| view.with(|v| (v.sort, v.descending))),
        fields: Memo::new(move |_| view.with(|v| v.fields.clone())),
        data_version: RwSignal::new(0),
        period: RwSignal::new(None),
        meta: RwSignal::new(None),
        url,
    };
    provide_context(dashboard);
    dashboard
}

/// The context set by [`provide_dashboard`].
pub fn use_dashboard() -> Dashboard {
    expect_context::<Dashboard>()
}
