//! `GET /api/v1/analytics/model-accuracy`: the backtest accuracy of the
//! latest succeeded revenue forecast for the dashboard's regions and
//! categories (its date range is accepted and does not matter).

use api_types::{ForecastMetric, ModelAccuracy};
use axum::{
    extract::{RawQuery, State},
    Json,
};
use serde_json::json;

use crate::{
    analytics::{
        dataset::anchor_day,
        params::{FilterSet, Params, FILTER_PARAMS},
    },
    http::{middleware::audit::AuditNote, ApiError, AppState},
    jobs::{forecast_scope, view::rfc3339_ms},
};

pub(super) async fn model_accuracy(
    State(app): State<AppState>,
    note: AuditNote,
    RawQuery(raw): RawQuery,
) -> Result<Json<ModelAccuracy>, ApiError> {
    note.read("analytics.model_accuracy", json!({ "query": raw }));
    let (dataset, catalog) = crate::http::analytics::current(&app).await?;
    let mut params = Params::parse(raw.as_deref(), &FILTER_PARAMS);
    let filters = FilterSet::take(&mut params, anchor_day(&dataset), &catalog);
    let filters = params.finish(filters)?;
    let scope = forecast_scope(
        ForecastMetric::Revenue,
        &filters.regions,
        &filters.categories,
    );
    let row = app.db.job_latest_in_scope(&scope).await?;
    let result = row
        .as_ref()
        .and_then(|r| r.result.as_deref())
        .and_then(|text| serde_json::from_str::<serde_json::Value>(text).ok());
    let pick = |key: &str| result.as_ref().and_then(|r| r.pointer(key)).cloned();
    Ok(Json(ModelAccuracy {
        accuracy: pick("/backtest/accuracy").and_then(|v| v.as_f64()),
        job_id: row.as_ref().map(|r| r.id.clone()),
        model: pick("/model/name").and_then(|v| v.as_str().map(str::to_owned)),
        finished_at: row.and_then(|r| r.finished_at).map(rfc3339_ms),
    }))
}
