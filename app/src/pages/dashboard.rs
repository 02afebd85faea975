//! The dashboard: the landing page.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::Dimension,
    components::{
        dashboard::{
            breakdown::BreakdownCard, customers::CustomersCard, data_controls::DataControls,
            filters::FilterBar, kpis::KpiCards, orders::OrdersCard, query::Mode,
            state::provide_dashboard, timeseries::TimeseriesCard, upstream::UpstreamCards,
        },
        status::SystemStatus,
    },
};

/// `/`: sales KPIs, the trend, breakdowns, orders and (in Advanced mode) the
/// customer cohorts, for the filters in the URL; the upstream metrics
/// service's figures, when one is configured; and the instance's status.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let dash = provide_dashboard();
    let advanced = move || dash.mode.get() == Mode::Advanced;
    view! {
        <Title text="Dashboard"/>
        <div class="page-header dash-header">
            <div>
                <h1 class="page-header__title">"Dashboard"</h1>
                <p class="page-header__subtitle">"Sales performance at a glance."</p>
            </div>
            <DataControls/>
        </div>
        <div class="dash">
            <FilterBar/>
            <KpiCards/>
            <TimeseriesCard/>
            <div class="dash__pair">
                <BreakdownCard dimension=Dimension::Region/>
                <BreakdownCard dimension=Dimension::Category/>
            </div>
            <Show when=advanced>
                <CustomersCard/>
            </Show>
            <OrdersCard/>
            <UpstreamCards/>
            <div class="dash__pair">
                <SystemStatus/>
            </div>
        </div>
    }
}
