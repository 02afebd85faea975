//! The blocking part of an import: the file (or the gzip inside it)
//! sniffed, its header read and every row checked, clean rows sent on in
//! batches.

use std::{
    io::{BufReader, Read},
    path::Path,
};

use super::{read, sniff, sniff::Kind, ImportError, BATCH};
use crate::{analytics::dimensions::Catalog, storage::staging::StagedOrder};

/// The blocking part: sniffs the file, reads the header and every row,
/// sending clean rows on while there is no problem. The rows read, and
/// how reading ended.
pub(super) fn read_file(
    path: &Path,
    catalog: &Catalog,
    tx: tokio::sync::mpsc::Sender<(Vec<StagedOrder>, i64)>,
) -> (i64, Result<(), ImportError>) {
    let mut file = match std::fs::File::open(path) {
        Ok(file) => BufReader::with_capacity(1 << 16, file),
        Err(error) => return (0, Err(error.into())),
    };
    let text: Box<dyn Read> = match head(&mut file).map(|h| sniff::sniff(&h)) {
        Ok(Ok(Kind::Text)) => Box::new(file),
        Ok(Ok(Kind::Gzip)) => {
            let mut inner =
                BufReader::with_capacity(1 << 16, flate2::read::MultiGzDecoder::new(file));
            match head(&mut inner).map(|h| sniff::text(&h)) {
                Ok(Ok(())) => Box::new(inner),
                Ok(Err(why)) => return (0, Err(ImportError::NotText(why))),
                Err(_) => {
                    return (
                        0,
                        Err(ImportError::NotText("the .gz file is damaged".into())),
                    )
                }
            }
        }
        Ok(Err(why)) => return (0, Err(ImportError::NotText(why))),
        Err(error) => return (0, Err(error.into())),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text);
    let columns = match reader.headers() {
        Ok(header) => match read::header(header) {
            Ok(columns) => columns,
            Err(error) => return (0, Err(error.into())),
        },
        Err(error) => return (0, Err(csv_error(error))),
    };
    let result = read::rows(&mut reader, &columns, catalog, BATCH, |batch, count| {
        tx.blocking_send((batch, count)).is_ok()
    });
    match result {
        Ok((rows, problems)) if problems.is_empty() => (rows, Ok(())),
        Ok((rows, problems)) => (
            rows,
            Err(ImportError::Rows {
                problems: problems.listed,
                more: problems.more,
            }),
        ),
        Err(error) => (0, Err(csv_error(error))),
    }
}

/// The start of a buffered reader, without consuming it.
fn head<R: std::io::BufRead>(reader: &mut R) -> std::io::Result<Vec<u8>> {
    reader.fill_buf().map(|b| b[..b.len().min(8192)].to_vec())
}

/// A reader error: bytes that are not UTF-8 make the file not text.
fn csv_error(error: csv::Error) -> ImportError {
    let line = error.position().map_or(0, csv::Position::line);
    match error.into_kind() {
        csv::ErrorKind::Utf8 { .. } => ImportError::NotText(format!(
            "line {line} is not UTF-8 text (save the CSV as UTF-8)"
        )),
        csv::ErrorKind::Io(error)
            if error.kind() == std::io::ErrorKind::InvalidInput
                || error.kind() == std::io::ErrorKind::InvalidData =>
        {
            ImportError::NotText("the .gz file is damaged".into())
        }
        csv::ErrorKind::Io(error) => ImportError::Io(error),
        _ => ImportError::NotText(format!("line {line} is not CSV")),
    }
}
