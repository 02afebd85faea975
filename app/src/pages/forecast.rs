//! Forecasts.

use leptos::prelude::*;

use super::PageHeader;
use crate::{
    api::Role,
    components::forecast::{
        form::{ForecastForm, ViewerNote},
        job::ForecastJob,
        state::provide_forecast,
    },
    session::use_current_user,
};

/// `/forecast`: the form (analysts and admins; viewers get a note), then
/// the job in the URL (`?job=<id>`, else the caller's latest forecast):
/// its live progress, then the chart with its interval, the backtest and
/// the model.
#[component]
pub fn ForecastPage() -> impl IntoView {
    provide_forecast();
    let may_run = use_current_user().may(Some(Role::Analyst));
    view! {
        <PageHeader title="Forecast"
            subtitle="Where revenue, orders and customers are heading, with how sure the model is."/>
        <div class="stack forecast-page">
            {if may_run { view! { <ForecastForm/> }.into_any() } else { view! { <ViewerNote/> }.into_any() }}
            <ForecastJob/>
        </div>
    }
}
