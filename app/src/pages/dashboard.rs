//! The dashboard: the landing page.

use leptos::prelude::*;

use super::PageHeader;
use crate::components::{icons::Icon, placeholder::ComingSoon, status::SystemStatus};

/// `/`: sales KPIs, trends and breakdowns (arriving with the analytics work),
/// and the instance's status.
#[component]
pub fn DashboardPage() -> impl IntoView {
    view! {
        <PageHeader title="Dashboard" subtitle="Sales performance at a glance."/>
        <div class="grid grid--2-1">
            <ComingSoon
                icon=Icon::Dashboard
                summary="KPIs, trends and breakdowns over your orders, refreshed without re-querying the warehouse on every click."
                features=&[
                    "Revenue, profit, margin and active customers with period-over-period deltas",
                    "Time series by day, week or month with hover details",
                    "Breakdowns by region and category, and a sortable orders table",
                    "Filters kept in the URL, so a link reproduces the view",
                ]
            />
            <SystemStatus/>
        </div>
    }
}
