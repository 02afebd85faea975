//! Bringing data in.

use leptos::prelude::*;

use super::PageHeader;
use crate::components::data::{
    catalog::CatalogCard, imports::ImportsCard, provide_data_page, source::SourceCard,
    upload::UploadCard,
};

/// `/data` (analysts and admins): upload a CSV of orders (insert or
/// upsert) and see what it did; the past imports; the warehouse source's
/// state; the regions and categories the data holds.
#[component]
pub fn DataPage() -> impl IntoView {
    provide_data_page();
    view! {
        <PageHeader title="Data"
            subtitle="Bring your own orders: upload files, watch the warehouse source, see what the data holds."/>
        <div class="stack data-page">
            <div class="grid grid--2-1 data-page__top">
                <UploadCard/>
                <SourceCard/>
            </div>
            <ImportsCard/>
            <CatalogCard/>
        </div>
    }
}
