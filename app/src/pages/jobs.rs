//! Background jobs.

use leptos::prelude::*;

use super::PageHeader;
use crate::components::jobs::list::JobsCard;

/// `/jobs`: the caller's forecasts and exports (everyone's for admins, with
/// `?all=true`), with live progress, cancel, download and run again.
#[component]
pub fn JobsPage() -> impl IntoView {
    view! {
        <PageHeader title="Jobs" subtitle="Forecasts and exports running in the background, and their results."/>
        <div class="stack">
            <JobsCard/>
        </div>
    }
}
