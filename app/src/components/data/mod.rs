//! The Data page's parts: the upload card and its outcome, the past
//! imports, the warehouse source and the dimension catalog. They share one
//! counter ([`DataPage::version`]) that an upload bumps, so every part that
//! shows the data fetches again.

pub mod catalog;
pub mod imports;
pub mod outcome;
pub mod picked;
pub mod source;
pub mod upload;

use leptos::prelude::*;

use crate::api::ImportStatus;

/// The page's shared state, provided as context by [`provide_data_page`].
#[derive(Debug, Clone, Copy)]
pub struct DataPage {
    /// Bumped when an upload has an answer or a background import ends:
    /// the imports list, the source and the catalog read it.
    pub version: RwSignal<u64>,
}

impl DataPage {
    /// Something was imported (or refused): show it everywhere.
    pub fn changed(self) {
        self.version.update(|v| *v += 1);
    }
}

/// Creates the page state and provides it as context.
pub fn provide_data_page() -> DataPage {
    let page = DataPage {
        version: RwSignal::new(0),
    };
    provide_context(page);
    page
}

/// The context set by [`provide_data_page`].
pub fn use_data_page() -> DataPage {
    expect_context::<DataPage>()
}

/// Whether an import has finished (loaded, refused or failed).
pub fn is_finished(status: ImportStatus) -> bool {
    matches!(
        status,
        ImportStatus::Succeeded | ImportStatus::Rejected | ImportStatus::Failed
    )
}
