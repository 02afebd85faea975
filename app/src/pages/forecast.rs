//! Forecasts.

use leptos::prelude::*;

use super::PageHeader;
use crate::components::{icons::Icon, placeholder::ComingSoon};

/// `/forecast`: demand and revenue forecasts computed by background jobs.
#[component]
pub fn ForecastPage() -> impl IntoView {
    view! {
        <PageHeader title="Forecast" subtitle="Where revenue is heading."/>
        <ComingSoon
            icon=Icon::Forecast
            summary="Forecasts run as background jobs, so a long computation never blocks anyone's dashboard."
            features=&[
                "Revenue and order forecasts by region and category",
                "Adjustable horizon with confidence bands",
                "Results cached and shared across the team",
            ]
        />
    }
}
