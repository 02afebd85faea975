//! `GET /api/v1/analytics/*`: the dashboard's questions, answered from the
//! shared cache (computed from the rollups on a miss), with the dataset
//! version, data-as-of time and an `ETag` on every answer.

use std::{future::Future, sync::Arc};

use api_types::{Dimension, Granularity, Role};
use axum::{
    body::Bytes,
    extract::{RawQuery, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde::Serialize;
use serde_json::{json, Value};

use super::{routes::Access, ApiError, ApiRoutes, AppState};
use crate::{
    analytics::{
        dataset::{anchor_day, rfc3339},
        dimensions::{Catalog, Dim},
        orders::{self, OrdersRequest, ORDER_PARAMS},
        params::{self, FilterSet, Params, FILTER_PARAMS},
        queries::{self, QueryError},
    },
    cache::{envelope, Answer, QueryClass, Served},
    http::middleware::audit::AuditNote,
    storage::{DatasetState, Db},
};

/// The most buckets a customers view may have.
const MAX_CUSTOMER_BUCKETS: usize = 400;

/// Adds the routes (viewer and up).
pub fn routes(routes: ApiRoutes) -> ApiRoutes {
    let viewer = Access::AtLeast(Role::Viewer);
    routes
        .get("/analytics/kpis", viewer, kpis)
        .get("/analytics/timeseries", viewer, timeseries)
        .get("/analytics/breakdown", viewer, breakdown)
        .get("/analytics/customers", viewer, customers)
        .get("/orders", viewer, list_orders)
}

/// The dataset state this instance answers at, and its dimension catalog.
pub(super) async fn current(app: &AppState) -> Result<(DatasetState, Arc<Catalog>), ApiError> {
    let dataset = app.analytics.dataset.current();
    let catalog = app
        .analytics
        .dimensions
        .at(&app.db, dataset.version)
        .await?;
    Ok((dataset, catalog))
}

/// Notes the read as `action` and parses the query: the filters plus
/// `extra` parameters read by `more`.
fn parse<T>(
    (note, action): (&AuditNote, &'static str),
    raw: Option<String>,
    (state, catalog): (&DatasetState, &Catalog),
    extra: &[&str],
    more: impl FnOnce(&mut Params) -> T,
) -> Result<(FilterSet, T), ApiError> {
    // The handler records the normalised parameters once they parse; a
    // query that does not parse is recorded as sent.
    note.read(action, Value::Null);
    let allowed: Vec<&str> = FILTER_PARAMS.iter().chain(extra).copied().collect();
    let mut params = Params::parse(raw.as_deref(), &allowed);
    let filters = FilterSet::take(&mut params, anchor_day(state), catalog);
    let rest = more(&mut params);
    params
        .finish((filters, rest))
        .inspect_err(|_| note.context(json!({ "query": raw })))
        .map_err(ApiError::from)
}

async fn kpis(
    State(app): State<AppState>,
    note: AuditNote,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (dataset, catalog) = current(&app).await?;
    let (filters, ()) = parse(
        (&note, "analytics.kpis"),
        raw,
        (&dataset, &catalog),
        &[],
        |_| (),
    )?;
    note.context(context(&filters, json!({})));
    let question = format!("kpis|{}", filters.key());
    let sketches = app.analytics.sketches.clone();
    answer(
        &app,
        QueryClass::Kpis,
        question,
        &headers,
        dataset,
        move |db| async move { queries::kpis(&db, &sketches, &filters).await },
    )
    .await
}

async fn timeseries(
    State(app): State<AppState>,
    note: AuditNote,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (dataset, catalog) = current(&app).await?;
    let (filters, (metric, granularity, compare)) = parse(
        (&note, "analytics.timeseries"),
        raw,
        (&dataset, &catalog),
        &["metric", "granularity", "compare"],
        |p| {
            (
                params::take_metric(p),
                params::take_granularity(p, Granularity::Day),
                p.take_bool("compare").unwrap_or(false),
            )
        },
    )?;
    note.context(context(
        &filters,
        json!({"metric": metric.code(), "granularity": granularity.code(), "compare": compare}),
    ));
    let question = format!(
        "ts|{}|{}|{}|{compare}",
        filters.key(),
        metric.code(),
        granularity.code()
    );
    answer(&app, QueryClass::Timeseries, question, &headers, dataset, move |db| async move {
        queries::timeseries(&db, &filters, metric, granularity, compare).await
    })
    .await
}

async fn breakdown(
    State(app): State<AppState>,
    note: AuditNote,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (dataset, catalog) = current(&app).await?;
    let (filters, (dimension, metric, limit)) = parse(
        (&note, "analytics.breakdown"),
        raw,
        (&dataset, &catalog),
        &["dimension", "metric", "limit"],
        |p| {
            (
                params::take_dimension(p),
                params::take_metric(p),
                p.take_int("limit", 1, 50).unwrap_or(10),
            )
        },
    )?;
    note.context(context(
        &filters,
        json!({"dimension": dimension.code(), "metric": metric.code(), "limit": limit}),
    ));
    let question = format!(
        "bd|{}|{}|{}|{limit}",
        filters.key(),
        dimension.code(),
        metric.code()
    );
    let limit = usize::try_from(limit).unwrap_or(10);
    let every = catalog.names(match dimension {
        Dimension::Region => Dim::Region,
        Dimension::Category => Dim::Category,
    });
    answer(
        &app,
        QueryClass::Breakdown,
        question,
        &headers,
        dataset,
        move |db| async move {
            queries::breakdown(&db, &filters, (dimension, every), metric, limit).await
        },
    )
    .await
}

async fn customers(
    State(app): State<AppState>,
    note: AuditNote,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (dataset, catalog) = current(&app).await?;
    let customers = (&note, "analytics.customers");
    let (filters, granularity) = parse(
        customers,
        raw,
        (&dataset, &catalog),
        &["granularity"],
        |p| params::take_granularity(p, Granularity::Month),
    )?;
    note.context(context(
        &filters,
        json!({"granularity": granularity.code()}),
    ));
    if filters.period.buckets(granularity).len() > MAX_CUSTOMER_BUCKETS {
        let message = format!("too many {} buckets for this period (at most {MAX_CUSTOMER_BUCKETS}); choose a coarser granularity", granularity.code());
        return Err(ApiError::Validation(
            [("granularity".to_owned(), message)].into(),
        ));
    }
    let question = format!("cu|{}|{}", filters.key(), granularity.code());
    let sketches = app.analytics.sketches.clone();
    answer(
        &app,
        QueryClass::Customers,
        question,
        &headers,
        dataset,
        move |db| async move { queries::customers(&db, &sketches, &filters, granularity).await },
    )
    .await
}

async fn list_orders(
    State(app): State<AppState>,
    note: AuditNote,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (dataset, catalog) = current(&app).await?;
    let orders = (&note, "orders.list");
    let (filters, request) = parse(
        orders,
        raw,
        (&dataset, &catalog),
        &ORDER_PARAMS,
        OrdersRequest::take,
    )?;
    note.context(context(&filters, request.context()));
    let question = format!("or|{}|{}", filters.key(), request.key());
    answer(
        &app,
        QueryClass::Orders,
        question,
        &headers,
        dataset,
        move |db| async move {
            orders::page(&db, &filters, &request)
                .await
                .map_err(QueryError::from)
        },
    )
    .await
}

/// The normalised filters plus an endpoint's own parameters (`extra`, an
/// object), as recorded in the audit log.
fn context(filters: &FilterSet, extra: Value) -> Value {
    let mut map = filters.context();
    if let Value::Object(extra) = extra {
        map.extend(extra);
    }
    Value::Object(map)
}

/// Answers from the cache, loading once on a miss, and renders the envelope.
async fn answer<T, F, Fut>(
    app: &AppState,
    class: QueryClass,
    question: String,
    headers: &HeaderMap,
    dataset: DatasetState,
    compute: F,
) -> Result<Response, ApiError>
where
    T: Serialize,
    F: FnOnce(Db) -> Fut,
    Fut: Future<Output = Result<T, QueryError>>,
{
    let db = app.db.clone();
    let served = app
        .analytics
        .cache
        .get_or_load(class, &question, dataset.version, || async move {
            let data = compute(db).await?;
            let bytes = serde_json::to_vec(&data).map_err(QueryError::Encode)?;
            let as_of = dataset.data_as_of.map(|t| rfc3339(t).into());
            Ok::<_, QueryError>(Answer::new(&bytes, dataset.version, as_of))
        })
        .await?;
    Ok(render(&served, headers))
}

/// The JSON envelope, or 304 when the client's copy is current.
fn render(served: &Served, headers: &HeaderMap) -> Response {
    let answer = &served.answer;
    let stale_etag;
    let etag = if served.stale {
        stale_etag = HeaderValue::from_str(&format!(
            "W/\"stale-{}",
            answer.etag.trim_start_matches('"')
        ))
        .unwrap_or_else(|_| answer.etag_header.clone());
        &stale_etag
    } else {
        &answer.etag_header
    };
    let mut response = if matches(headers, etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let body = if served.stale {
            Bytes::from(envelope(
                &answer.data,
                answer.version,
                answer.data_as_of.as_deref(),
                true,
            ))
        } else {
            answer.envelope.clone()
        };
        (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response()
    };
    let headers = response.headers_mut();
    headers.insert(header::ETAG, etag.clone());
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    response
}

/// Whether `If-None-Match` names `etag` (weak comparison, as RFC 9110 asks).
fn matches(headers: &HeaderMap, etag: &HeaderValue) -> bool {
    let strip = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    let mut sent = headers.get_all(header::IF_NONE_MATCH).iter().peekable();
    if sent.peek().is_none() {
        return false;
    }
    let ours = strip(etag.to_str().unwrap_or_default());
    sent.filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| tag.trim() == "*" || strip(tag) == ours)
}
