//! The file picked for an import, and its journey to the API. Files exist
//! only in the browser: on the server nothing is ever picked or sent.

use std::future::Future;

use leptos::prelude::*;

use crate::api::{ApiClient, ClientError, ImportMode, ImportView};

/// A file the user chose (or dropped).
#[derive(Debug, Clone)]
pub struct Picked {
    /// Its name, as the browser gives it.
    pub name: String,
    /// Its size in bytes.
    pub size: u64,
    #[cfg(feature = "hydrate")]
    file: send_wrapper::SendWrapper<web_sys::File>,
}

impl PartialEq for Picked {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.size == other.size
    }
}

/// The first file of a `<input type="file">`'s change event.
#[cfg(feature = "hydrate")]
pub fn from_input(ev: &leptos::ev::Event) -> Option<Picked> {
    use wasm_bindgen::JsCast;
    let input: web_sys::HtmlInputElement = ev.target()?.dyn_into().ok()?;
    let picked = first(input.files());
    // Choosing the same file again must fire `change` again.
    input.set_value("");
    picked
}

/// The first file of a drop.
#[cfg(feature = "hydrate")]
pub fn from_drop(ev: &leptos::ev::DragEvent) -> Option<Picked> {
    first(ev.data_transfer()?.files())
}

#[cfg(feature = "hydrate")]
fn first(files: Option<web_sys::FileList>) -> Option<Picked> {
    let file = files?.get(0)?;
    // Sizes are whole bytes; f64 holds them exactly up to 9 PB.
    let size = file.size() as u64;
    Some(Picked {
        name: file.name(),
        size,
        file: send_wrapper::SendWrapper::new(file),
    })
}

/// Nothing is picked on the server.
#[cfg(not(feature = "hydrate"))]
pub fn from_input(_ev: &leptos::ev::Event) -> Option<Picked> {
    None
}

/// Nothing is dropped on the server.
#[cfg(not(feature = "hydrate"))]
pub fn from_drop(_ev: &leptos::ev::DragEvent) -> Option<Picked> {
    None
}

/// Uploads `picked` as an import, writing the share sent so far (percent)
/// to `sent`.
#[cfg(feature = "hydrate")]
pub fn upload(
    client: ApiClient,
    picked: Picked,
    mode: ImportMode,
    sent: RwSignal<Option<f64>>,
) -> impl Future<Output = Result<ImportView, ClientError>> + Send + 'static {
    let file = (*picked.file).clone();
    client.upload_import_with_progress(file, mode, move |p| sent.set(Some(p.percent())))
}

/// Files are uploaded from the browser only.
#[cfg(not(feature = "hydrate"))]
pub fn upload(
    client: ApiClient,
    picked: Picked,
    mode: ImportMode,
    sent: RwSignal<Option<f64>>,
) -> impl Future<Output = Result<ImportView, ClientError>> + Send + 'static {
    let _ = (client, picked, mode, sent);
    async {
        Err(ClientError::Network(
            "files are uploaded from the browser".into(),
        ))
    }
}

/// Whether a file name is one the API takes (`.csv`, `.csv.gz`).
pub fn is_csv_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.ends_with(".csv") || name.ends_with(".csv.gz")
}

#[cfg(test)]
mod tests {
    use super::is_csv_name;

    #[test]
    fn csv_and_gzipped_csv_names_are_taken() {
        assert!(is_csv_name("orders.csv"));
        assert!(is_csv_name("Orders 2026.CSV.GZ"));
        assert!(!is_csv_name("orders.xlsx"));
        assert!(!is_csv_name("orders.gz"));
    }
}
