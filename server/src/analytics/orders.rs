//! `GET /api/v1/orders`: parameters, the opaque keyset cursor, and rows as
//! the API shows them.

use api_types::{OrderField, OrderRow, OrdersPage, SortColumn};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};

use super::{
    dataset::rfc3339,
    params::{FilterSet, Params},
};
use crate::storage::{
    orders::{OrderSort, StoredOrder},
    Db,
};

/// The parameters `/orders` accepts beside the filters.
pub const ORDER_PARAMS: [&str; 4] = ["sort", "limit", "cursor", "fields"];
/// The largest page.
pub const MAX_LIMIT: i64 = 500;

/// A validated orders-list request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OrdersRequest {
    /// Sort column.
    pub sort: OrderSort,
    /// Newest / largest first.
    pub descending: bool,
    /// Page size.
    pub limit: i64,
    /// Sort value and id of the previous page's last row.
    pub after: Option<(i64, i64)>,
    /// Columns to return (empty = all).
    pub fields: Vec<OrderField>,
}

impl OrdersRequest {
    /// Reads `sort`, `limit`, `cursor` and `fields`.
    pub fn take(params: &mut Params) -> OrdersRequest {
        let (sort, descending) = params
            .take_with("sort", |raw| {
                let (descending, code) = match raw.strip_prefix('-') {
                    Some(code) => (true, code),
                    None => (false, raw),
                };
                let column = SortColumn::from_code(code).ok_or_else(|| {
                    let codes: Vec<_> = SortColumn::ALL.iter().map(|c| c.code()).collect();
                    format!(
                        "unknown column '{code}' (sortable: {}; prefix - for descending)",
                        codes.join(", ")
                    )
                })?;
                Ok((sort_of(column), descending))
            })
            .unwrap_or((OrderSort::Time, true));
        let limit = params.take_int("limit", 1, MAX_LIMIT).unwrap_or(50);
        let after = params.take_with("cursor", |raw| decode_cursor(raw, sort, descending));
        let fields = params.take_codes(
            "fields",
            OrderField::from_code,
            OrderField::ALL,
            OrderField::code,
        );
        OrdersRequest {
            sort,
            descending,
            limit,
            after,
            fields,
        }
    }

    /// The normalised parameters as a JSON object (for the audit log); the
    /// cursor only as whether one was given.
    pub fn context(&self) -> serde_json::Value {
        let fields: Vec<_> = self.fields.iter().map(|f| f.code()).collect();
        serde_json::json!({
            "sort": format!("{:?}", self.sort).to_lowercase(),
            "descending": self.descending,
            "limit": self.limit,
            "after": self.after.map(|(value, id)| [value, id]),
            "fields": fields,
        })
    }

    /// The normalised form, for cache keys.
    pub fn key(&self) -> String {
        let fields: Vec<_> = self.fields.iter().map(|f| f.code()).collect();
        format!(
            "{:?}|{}|{}|{:?}|{}",
            self.sort,
            self.descending,
            self.limit,
            self.after,
            fields.join(",")
        )
    }
}

fn sort_of(column: SortColumn) -> OrderSort {
    match column {
        SortColumn::OrderedAt => OrderSort::Time,
        SortColumn::Total => OrderSort::Total,
        SortColumn::Id => OrderSort::Id,
    }
}

fn cursor_prefix(sort: OrderSort, descending: bool) -> String {
    format!("{sort:?}:{}", if descending { "d" } else { "a" })
}

fn encode_cursor(sort: OrderSort, descending: bool, value: i64, id: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}:{value}:{id}", cursor_prefix(sort, descending)))
}

fn decode_cursor(raw: &str, sort: OrderSort, descending: bool) -> Result<(i64, i64), String> {
    let invalid = || {
        "not a cursor from this listing (it must come from next_cursor with the same sort)"
            .to_owned()
    };
    let text = URL_SAFE_NO_PAD
        .decode(raw)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(invalid)?;
    let rest = text
        .strip_prefix(&cursor_prefix(sort, descending))
        .and_then(|r| r.strip_prefix(':'))
        .ok_or_else(invalid)?;
    let (value, id) = rest.split_once(':').ok_or_else(invalid)?;
    Ok((
        value.parse().map_err(|_| invalid())?,
        id.parse().map_err(|_| invalid())?,
    ))
}

/// One page of orders.
pub async fn page(
    db: &Db,
    filters: &FilterSet,
    request: &OrdersRequest,
) -> Result<OrdersPage, sqlx::Error> {
    let mut rows = db
        .list_orders(
            &filters.to_storage(),
            request.sort,
            request.descending,
            request.after,
            request.limit + 1,
        )
        .await?;
    let more = rows.len() as i64 > request.limit;
    rows.truncate(usize::try_from(request.limit).unwrap_or(0));
    let next_cursor = rows.last().filter(|_| more).map(|last| {
        encode_cursor(
            request.sort,
            request.descending,
            request.sort.value(last),
            last.id,
        )
    });
    let all = request.fields.is_empty();
    let wants = |field: OrderField| all || request.fields.contains(&field);
    let money = |cents: i64| cents as f64 / 100.0;
    let items = rows
        .into_iter()
        .map(|o: StoredOrder| OrderRow {
            id: o.id,
            ordered_at: wants(OrderField::OrderedAt).then(|| rfc3339(o.ordered_at)),
            customer_id: wants(OrderField::CustomerId).then_some(o.customer_id),
            region: wants(OrderField::Region).then(|| o.region.clone()),
            category: wants(OrderField::Category).then(|| o.category.clone()),
            product: wants(OrderField::Product).then_some(o.product),
            quantity: wants(OrderField::Quantity).then_some(o.quantity),
            unit_price: wants(OrderField::UnitPrice).then(|| money(o.unit_price)),
            unit_cost: wants(OrderField::UnitCost).then(|| money(o.unit_cost)),
            discount: wants(OrderField::Discount).then(|| money(o.discount)),
            total: wants(OrderField::Total).then(|| money(o.total)),
            status: wants(OrderField::Status).then_some(o.status),
        })
        .collect();
    Ok(OrdersPage {
        period: filters.period.to_api(),
        items,
        next_cursor,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_are_bound_to_their_sort() {
        let cursor = encode_cursor(OrderSort::Total, true, 1999, 42);
        assert_eq!(
            decode_cursor(&cursor, OrderSort::Total, true),
            Ok((1999, 42))
        );
        assert!(decode_cursor(&cursor, OrderSort::Total, false).is_err());
        assert!(decode_cursor(&cursor, OrderSort::Time, true).is_err());
        assert!(decode_cursor("garbage!", OrderSort::Time, true).is_err());
    }
}
