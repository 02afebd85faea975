//! Background jobs.

use leptos::prelude::*;

use super::PageHeader;
use crate::components::{icons::Icon, placeholder::ComingSoon};

/// `/jobs`: forecasts, exports and data refreshes in progress and done.
#[component]
pub fn JobsPage() -> impl IntoView {
    view! {
        <PageHeader title="Jobs" subtitle="Exports, forecasts and data refreshes."/>
        <ComingSoon
            icon=Icon::Jobs
            summary="Long-running work is queued and processed in the background, on any instance."
            features=&[
                "Live progress of running jobs",
                "Download finished exports",
                "Cancel what is no longer needed",
            ]
        />
    }
}
