//! The export job: the matching orders (every status), oldest first, as
//! CSV or gzipped CSV in `<data_dir>/exports`. Rows are read a page at a
//! time by keyset and handed to a writer thread over a bounded channel, so
//! memory stays flat however many rows there are. The file is written under
//! a `.part` name and renamed once complete: a rerun (after a crash) starts
//! the file over, and a half-written file is never offered.

use std::{
    fs::File,
    io::{BufWriter, Write},
    path::{Path, PathBuf},
};

use api_types::{ExportFormat, ExportParams, ExportResult, OrderField};
use flate2::{write::GzEncoder, Compression};

use super::{
    view::{extension, file_name},
    worker::{pause, JobContext, Output, Progress, RunError},
};
use crate::{
    analytics::{calendar, dataset::rfc3339},
    audit::csv,
    storage::{
        days::Period,
        jobs::JobRow,
        orders::{OrderSort, StoredOrder},
        OrderFilter,
    },
};

/// Orders read per page.
const PAGE: i64 = 5_000;
/// Pages the reader may be ahead of the writer.
const AHEAD: usize = 4;

/// Runs export `job`.
pub async fn run(
    context: &JobContext,
    job: &JobRow,
    progress: &Progress,
) -> Result<Output, RunError> {
    let params: ExportParams = serde_json::from_str(&job.params)
        .map_err(|e| RunError::Permanent(format!("unreadable parameters: {e}")))?;
    let filter = filter_of(&params)?;
    progress.set(0, "counting rows");
    let total = context.db.count_orders(&filter).await?;
    let dir = context.data_dir.join("exports");
    std::fs::create_dir_all(&dir).map_err(io_error)?;
    let part = dir.join(format!("{}.part", job.id));
    let done = dir.join(format!("{}.{}", job.id, extension(params.format)));
    let (sender, receiver) = tokio::sync::mpsc::channel::<Vec<u8>>(AHEAD);
    let writer = {
        let (part, format) = (part.clone(), params.format);
        tokio::task::spawn_blocking(move || write_file(&part, format, receiver))
    };
    send(&sender, header(&params.fields).into_bytes()).await?;
    let mut rows: u64 = 0;
    let mut after = None;
    loop {
        let page = context
            .db
            .list_orders(&filter, OrderSort::Time, false, after, PAGE)
            .await?;
        let Some(last) = page.last() else { break };
        after = Some((last.ordered_at, last.id));
        let mut chunk = String::with_capacity(page.len() * 96);
        page.iter()
            .for_each(|order| line(order, &params.fields, &mut chunk));
        send(&sender, chunk.into_bytes()).await?;
        rows += page.len() as u64;
        let percent = if total > 0 {
            rows * 100 / total as u64
        } else {
            100
        };
        progress.set(
            i32::try_from(percent.min(99)).unwrap_or(99),
            format!("{rows} of {total} rows"),
        );
        pause(context).await;
        if (page.len() as i64) < PAGE {
            break;
        }
    }
    drop(sender);
    let bytes = writer
        .await
        .map_err(|e| RunError::Retryable(format!("the export writer failed: {e}")))?
        .map_err(io_error)?;
    std::fs::rename(&part, &done).map_err(io_error)?;
    let result = ExportResult {
        rows,
        bytes,
        file_name: file_name(job),
    };
    Ok(Output {
        result: serde_json::to_value(result).unwrap_or_default(),
        file: Some(done),
    })
}

async fn send(sender: &tokio::sync::mpsc::Sender<Vec<u8>>, chunk: Vec<u8>) -> Result<(), RunError> {
    sender
        .send(chunk)
        .await
        .map_err(|_| RunError::Retryable("the export file writer stopped".into()))
}

fn filter_of(params: &ExportParams) -> Result<OrderFilter, RunError> {
    let day = |text: &str| {
        calendar::parse_day(text)
            .ok_or_else(|| RunError::Permanent(format!("unreadable day '{text}'")))
    };
    Ok(OrderFilter {
        period: Period {
            from: day(&params.from)?,
            to: day(&params.to)?,
        },
        regions: params.regions.clone(),
        categories: params.categories.clone(),
    })
}

fn io_error(error: std::io::Error) -> RunError {
    RunError::Retryable(format!("writing the export file failed: {error}"))
}

/// Writes every chunk received to `path` (gzipped for `csv.gz`), syncs it
/// to disk and returns its size.
fn write_file(
    path: &Path,
    format: ExportFormat,
    mut chunks: tokio::sync::mpsc::Receiver<Vec<u8>>,
) -> std::io::Result<u64> {
    let file = BufWriter::with_capacity(256 * 1024, File::create(path)?);
    let mut out: Box<dyn Write> = match format {
        ExportFormat::Csv => Box::new(file),
        ExportFormat::CsvGz => Box::new(GzEncoder::new(file, Compression::fast())),
    };
    while let Some(chunk) = chunks.blocking_recv() {
        out.write_all(&chunk)?;
    }
    out.flush()?;
    drop(out);
    let file = File::open(path)?;
    file.sync_all()?;
    Ok(file.metadata()?.len())
}

fn header(fields: &[OrderField]) -> String {
    let mut text = fields
        .iter()
        .map(|f| f.code())
        .collect::<Vec<_>>()
        .join(",");
    text.push('\n');
    text
}

/// Cents as currency units with two decimals (`-0.50`, `12.34`).
fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

fn line(order: &StoredOrder, fields: &[OrderField], out: &mut String) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let value = match field {
            OrderField::Id => order.id.to_string(),
            OrderField::OrderedAt => rfc3339(order.ordered_at),
            OrderField::CustomerId => order.customer_id.to_string(),
            OrderField::Region => csv::field(&order.region),
            OrderField::Category => csv::field(&order.category),
            OrderField::Product => csv::field(&order.product),
            OrderField::Quantity => order.quantity.to_string(),
            OrderField::UnitPrice => money(order.unit_price),
            OrderField::UnitCost => money(order.unit_cost),
            OrderField::Discount => money(order.discount),
            OrderField::Total => money(order.total),
            OrderField::Status => csv::field(&order.status),
        };
        out.push_str(&value);
    }
    out.push('\n');
}

/// Removes `.part` files older than `age` left by cancelled or crashed
/// exports; returns how many.
pub fn remove_stale_parts(data_dir: &Path, age: std::time::Duration) -> usize {
    let Ok(entries) = std::fs::read_dir(data_dir.join("exports")) else {
        return 0;
    };
    let stale = |path: &PathBuf| {
        path.extension().is_some_and(|e| e == "part")
            && std::fs::metadata(path)
                .and_then(|m| m.modified())
                .is_ok_and(|t| t.elapsed().is_ok_and(|e| e > age))
    };
    entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(stale)
        .filter(|path| std::fs::remove_file(path).is_ok())
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_keeps_cents_exact() {
        assert_eq!(money(1234), "12.34");
        assert_eq!(money(-50), "-0.50");
        assert_eq!(money(0), "0.00");
        assert_eq!(money(100_000_007), "1000000.07");
    }

    #[test]
    fn text_is_defused_like_the_audit_export() {
        let order = StoredOrder {
            id: 7,
            ordered_at: 86_400,
            customer_id: 3,
            region: "eu".into(),
            category: "toys".into(),
            product: "=cmd|' /C calc'!A0".into(),
            quantity: 2,
            unit_price: 1_050,
            unit_cost: 400,
            discount: 100,
            total: 2_000,
            status: "completed".into(),
        };
        let mut out = String::new();
        line(&order, OrderField::ALL, &mut out);
        assert_eq!(
            out,
            "7,1970-01-02T00:00:00Z,3,eu,toys,'=cmd|' /C calc'!A0,2,10.50,4.00,1.00,20.00,completed\n"
        );
    }
}
