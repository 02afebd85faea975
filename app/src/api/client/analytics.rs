//! The typed client's analytics, data and cache calls.

use api_types::{
    BreakdownData, CacheStats, CustomersData, DataStatus, Dimension, Envelope, Filters,
    Granularity, KpisData, Metric, OrdersPage, OrdersQuery, RefreshOutcome, TimeseriesData,
};

use super::{call::Call, ApiClient, ClientError};

impl ApiClient {
    /// `GET /api/v1/analytics/kpis`.
    pub async fn kpis(&self, filters: &Filters) -> Result<Envelope<KpisData>, ClientError> {
        self.get_query("/api/v1/analytics/kpis", filters.query_pairs())
            .await
    }

    /// `GET /api/v1/analytics/timeseries`.
    pub async fn timeseries(
        &self,
        filters: &Filters,
        metric: Metric,
        granularity: Granularity,
        compare: bool,
    ) -> Result<Envelope<TimeseriesData>, ClientError> {
        let mut pairs = filters.query_pairs();
        pairs.push(("metric", metric.code().to_owned()));
        pairs.push(("granularity", granularity.code().to_owned()));
        if compare {
            pairs.push(("compare", "true".to_owned()));
        }
        self.get_query("/api/v1/analytics/timeseries", pairs).await
    }

    /// `GET /api/v1/analytics/breakdown`.
    pub async fn breakdown(
        &self,
        filters: &Filters,
        dimension: Dimension,
        metric: Metric,
        limit: u32,
    ) -> Result<Envelope<BreakdownData>, ClientError> {
        let mut pairs = filters.query_pairs();
        pairs.push(("dimension", dimension.code().to_owned()));
        pairs.push(("metric", metric.code().to_owned()));
        pairs.push(("limit", limit.to_string()));
        self.get_query("/api/v1/analytics/breakdown", pairs).await
    }

    /// `GET /api/v1/analytics/customers`: active vs churned customers.
    pub async fn customers(
        &self,
        filters: &Filters,
        granularity: Granularity,
    ) -> Result<Envelope<CustomersData>, ClientError> {
        let mut pairs = filters.query_pairs();
        pairs.push(("granularity", granularity.code().to_owned()));
        self.get_query("/api/v1/analytics/customers", pairs).await
    }

    /// `GET /api/v1/orders`.
    pub async fn orders(
        &self,
        filters: &Filters,
        query: &OrdersQuery,
    ) -> Result<Envelope<OrdersPage>, ClientError> {
        let mut pairs = filters.query_pairs();
        pairs.extend(query.query_pairs());
        self.get_query("/api/v1/orders", pairs).await
    }

    /// `GET /api/v1/data/status`.
    pub async fn data_status(&self) -> Result<DataStatus, ClientError> {
        self.get("/api/v1/data/status").await
    }

    /// `POST /api/v1/data/refresh` (analyst and up).
    pub async fn refresh_data(&self) -> Result<RefreshOutcome, ClientError> {
        self.execute(Call::post("/api/v1/data/refresh")).await
    }

    /// `GET /api/v1/admin/cache` (admin).
    pub async fn cache_stats(&self) -> Result<CacheStats, ClientError> {
        self.get("/api/v1/admin/cache").await
    }

    /// `DELETE /api/v1/admin/cache` (admin).
    pub async fn clear_cache(&self) -> Result<(), ClientError> {
        self.execute_empty(Call::delete("/api/v1/admin/cache"))
            .await
    }

    async fn get_query<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        pairs: Vec<(&'static str, String)>,
    ) -> Result<T, ClientError> {
        self.execute(Call::get(path).query(pairs)).await
    }
}
