//! Reading an uploaded CSV: the header (columns matched by name, any
//! case, any order), then every row, checked cell by cell. Runs on a
//! blocking thread over a `Read` (the file, or the gzip inside it) and
//! hands rows on in batches, so memory stays flat however large the file.

use std::{collections::HashSet, io::Read};

use api_types::RowProblem;

use super::cells;
use crate::{
    analytics::dimensions::{Catalog, Dim, MAX_VALUES},
    storage::staging::StagedOrder,
};

/// Columns a file must have.
pub const REQUIRED: [&str; 9] = [
    "ordered_at",
    "customer_id",
    "region",
    "category",
    "product",
    "quantity",
    "unit_price",
    "unit_cost",
    "status",
];
/// Columns a file may have: `id` (else generated), `discount` (else 0),
/// `total` (checked against quantity × unit price − discount: Tessera's
/// own export has it).
pub const OPTIONAL: [&str; 3] = ["id", "discount", "total"];
/// Problems listed in full; the rest are counted.
pub const LISTED_PROBLEMS: usize = 100;

/// Where each known column is in a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    at: Vec<(&'static str, usize)>,
    names: Vec<String>,
}

impl Columns {
    fn get<'r>(&self, record: &'r csv::StringRecord, name: &str) -> Option<&'r str> {
        let &(_, index) = self.at.iter().find(|(n, _)| *n == name)?;
        record.get(index)
    }
}

/// Why a header cannot be used (a 400, naming the columns).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeaderError {
    /// The file has no header row.
    #[error("the file is empty: the first line must name the columns")]
    Empty,
    /// Required columns are missing.
    #[error("missing required column{}: {}", if .0.len() > 1 { "s" } else { "" }, .0.join(", "))]
    Missing(Vec<&'static str>),
    /// Columns Tessera does not know.
    #[error("unknown column{}: {} (expected: {})", if .0.len() > 1 { "s" } else { "" }, .0.join(", "), expected())]
    Unknown(Vec<String>),
    /// A column named twice.
    #[error("column '{0}' appears more than once")]
    Repeated(String),
}

fn expected() -> String {
    REQUIRED
        .iter()
        .chain(&OPTIONAL)
        .copied()
        .collect::<Vec<_>>()
        .join(", ")
}

/// Matches a header row's names (trimmed, any case, a BOM dropped).
pub fn header(record: &csv::StringRecord) -> Result<Columns, HeaderError> {
    if record.iter().all(|name| name.trim().is_empty()) {
        return Err(HeaderError::Empty);
    }
    let mut at = Vec::new();
    let mut unknown = Vec::new();
    let mut names = Vec::new();
    for (index, raw) in record.iter().enumerate() {
        let name = raw
            .trim_start_matches('\u{feff}')
            .trim()
            .to_ascii_lowercase();
        names.push(raw.trim_start_matches('\u{feff}').trim().to_owned());
        match REQUIRED
            .iter()
            .chain(&OPTIONAL)
            .find(|known| **known == name)
        {
            Some(known) if at.iter().any(|(n, _)| n == known) => {
                return Err(HeaderError::Repeated((*known).to_owned()))
            }
            Some(known) => at.push((*known, index)),
            None => unknown.push(crate::audit::clean::text(raw.trim(), 64).into_owned()),
        }
    }
    if !unknown.is_empty() {
        return Err(HeaderError::Unknown(unknown));
    }
    let missing: Vec<_> = REQUIRED
        .into_iter()
        .filter(|name| !at.iter().any(|(n, _)| n == name))
        .collect();
    if !missing.is_empty() {
        return Err(HeaderError::Missing(missing));
    }
    Ok(Columns { at, names })
}

/// The problems found so far: the first [`LISTED_PROBLEMS`], and a count.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems {
    /// Listed problems, in file order.
    pub listed: Vec<RowProblem>,
    /// Problems beyond the listed ones.
    pub more: i64,
}

impl Problems {
    /// Records one.
    pub fn add(&mut self, line: i64, column: Option<&str>, value: Option<&str>, message: String) {
        if self.listed.len() < LISTED_PROBLEMS {
            self.listed.push(RowProblem {
                line: u64::try_from(line).unwrap_or(0),
                column: column.map(str::to_owned),
                value: value.map(|v| crate::audit::clean::text(v, 64).into_owned()),
                message,
            });
        } else {
            self.more += 1;
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.listed.is_empty()
    }
}

/// Values a file adds to a dimension; more than the catalog may hold is a
/// problem (once).
struct NewValues<'c> {
    dim: Dim,
    known: &'c Catalog,
    added: HashSet<String>,
    reported: bool,
}

impl NewValues<'_> {
    fn check(&mut self, value: &str) -> Result<(), String> {
        let known = self.known.values(self.dim);
        if known.contains(value) || self.added.contains(value) {
            return Ok(());
        }
        if known.len() + self.added.len() >= MAX_VALUES {
            if self.reported {
                return Ok(());
            }
            self.reported = true;
            return Err(format!(
                "a {} beyond the {MAX_VALUES} distinct values Tessera keeps",
                self.dim.name()
            ));
        }
        self.added.insert(value.to_owned());
        Ok(())
    }
}

/// Reads every row after the header: rows go to `emit` in batches of
/// `batch` while no problem has been found (after one, rows are only
/// checked); returns the rows read and the problems.
pub fn rows<R: Read>(
    reader: &mut csv::Reader<R>,
    columns: &Columns,
    catalog: &Catalog,
    batch: usize,
    mut emit: impl FnMut(Vec<StagedOrder>, i64) -> bool,
) -> Result<(i64, Problems), csv::Error> {
    let mut problems = Problems::default();
    let mut regions = NewValues {
        dim: Dim::Region,
        known: catalog,
        added: HashSet::new(),
        reported: false,
    };
    let mut categories = NewValues {
        dim: Dim::Category,
        known: catalog,
        added: HashSet::new(),
        reported: false,
    };
    let mut pending = Vec::with_capacity(batch);
    let mut record = csv::StringRecord::new();
    let mut count = 0_i64;
    let width = columns.names.len();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) if matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. }) => {
                count += 1;
                let line = e
                    .position()
                    .map_or(0, |p| i64::try_from(p.line()).unwrap_or(0));
                problems.add(
                    line,
                    None,
                    None,
                    format!("the row does not have the header's {width} columns"),
                );
                continue;
            }
            Err(e) => return Err(e),
        }
        count += 1;
        let line = record
            .position()
            .map_or(count + 1, |p| i64::try_from(p.line()).unwrap_or(0));
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let Some(order) = row(
            columns,
            &record,
            line,
            &mut problems,
            (&mut regions, &mut categories),
        ) else {
            continue;
        };
        if problems.is_empty() {
            pending.push(order);
            if pending.len() >= batch && !emit(std::mem::take(&mut pending), count) {
                return Ok((count, problems));
            }
        }
    }
    if problems.is_empty() && !pending.is_empty() {
        emit(pending, count);
    }
    Ok((count, problems))
}

/// One row's cells, taken one by one; each problem is recorded.
struct Cells<'a> {
    columns: &'a Columns,
    record: &'a csv::StringRecord,
    line: i64,
    problems: &'a mut Problems,
}

impl<'a> Cells<'a> {
    fn raw(&self, name: &str) -> &'a str {
        self.columns.get(self.record, name).unwrap_or("")
    }

    /// The cell `name` read by `parse` (`None`, recorded, when it fails).
    fn take<T>(
        &mut self,
        name: &'static str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        let raw = self.raw(name);
        parse(raw)
            .map_err(|message| self.problems.add(self.line, Some(name), Some(raw), message))
            .ok()
    }

    /// An optional cell: `empty` when blank.
    fn take_or<T>(
        &mut self,
        name: &'static str,
        empty: T,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        if self.raw(name).trim().is_empty() {
            return Some(empty);
        }
        self.take(name, parse)
    }

    fn fail(&mut self, name: &'static str, message: &str) {
        let raw = self.raw(name);
        self.problems
            .add(self.line, Some(name), Some(raw), message.to_owned());
    }
}

/// One data row, or `None` with its problems recorded.
fn row(
    columns: &Columns,
    record: &csv::StringRecord,
    line: i64,
    problems: &mut Problems,
    (regions, categories): (&mut NewValues<'_>, &mut NewValues<'_>),
) -> Option<StagedOrder> {
    let before = problems.listed.len() as i64 + problems.more;
    let mut row = Cells {
        columns,
        record,
        line,
        problems,
    };
    let id = row.take_or("id", None, |raw| {
        cells::whole(raw, 1, i64::MAX / 2).map(Some)
    });
    let ordered_at = row.take("ordered_at", cells::time);
    let customer_id = row.take("customer_id", |raw| cells::whole(raw, 1, i64::MAX / 2));
    let region = row.take("region", |raw| {
        let value = cells::dimension(raw)?;
        regions.check(&value).map(|()| value)
    });
    let category = row.take("category", |raw| {
        let value = cells::dimension(raw)?;
        categories.check(&value).map(|()| value)
    });
    let product = row.take("product", |raw| cells::text(raw, cells::MAX_PRODUCT_CHARS));
    let quantity = row.take("quantity", |raw| cells::whole(raw, 1, cells::MAX_QUANTITY));
    let unit_price = row.take("unit_price", cells::money);
    let unit_cost = row.take("unit_cost", cells::money);
    let discount = row.take_or("discount", 0, cells::money);
    let status = row.take("status", cells::status);
    let order = StagedOrder {
        line,
        id: id?,
        ordered_at: ordered_at?,
        customer_id: customer_id?,
        region: region?,
        category: category?,
        product: product?,
        quantity: quantity?,
        unit_price: unit_price?,
        unit_cost: unit_cost?,
        discount: discount?,
        status: status?,
    };
    if order.discount > order.quantity * order.unit_price {
        row.fail("discount", "is more than quantity × unit price");
    }
    let total = row.raw("total");
    if !total.trim().is_empty() && cells::money(total).ok() != Some(order.total()) {
        row.fail("total", "is not quantity × unit price − discount");
    }
    (row.problems.listed.len() as i64 + row.problems.more == before).then_some(order)
}

#[cfg(test)]
mod tests;
