//! The "Model accuracy" KPI card: the backtest accuracy of the latest
//! succeeded revenue forecast for the regions and categories on screen, or
//! "No forecast yet" with a link to run one.
//!
//! Its resource depends on the regions and categories only: a new period,
//! granularity or mode does not ask again.

use leptos::prelude::*;
use leptos_router::components::A;

use super::state::Dashboard;
use crate::{
    api::{api_client, ClientError, Filters, ModelAccuracy, Role},
    components::{
        forecast::state::{job_href, new_forecast_href},
        format::short_date,
    },
    session::use_current_user,
};

/// The card's data, asked for whenever the regions or categories change.
pub fn accuracy_resource(dash: Dashboard) -> Resource<Result<ModelAccuracy, ClientError>> {
    let client = api_client();
    let scope = Memo::new(move |_| {
        dash.filters
            .with(|f| (f.regions.clone(), f.categories.clone()))
    });
    Resource::new(
        move || scope.get(),
        move |(regions, categories)| {
            let client = client.clone();
            let filters = Filters {
                regions,
                categories,
                ..Filters::default()
            };
            async move { client.model_accuracy(&filters).await }
        },
    )
}

/// The card, in the KPI grid. Its resource is read inside the KPI cards'
/// `<Transition>`, which so waits for it too (a `<Transition>` of its own,
/// nested in that one, would not hydrate reliably).
#[component]
pub fn ModelAccuracyCard(
    /// From [`accuracy_resource`].
    accuracy: Resource<Result<ModelAccuracy, ClientError>>,
    /// The dashboard, for the link that runs a forecast for its filters.
    dash: Dashboard,
) -> impl IntoView {
    let content = move || {
        accuracy
            .get()
            .map(|answer| card_body(answer, accuracy, dash))
    };
    view! {
        <article class="kpi kpi--model_accuracy" data-testid="kpi-model_accuracy">
            <h3 class="kpi__label">"Model accuracy"</h3>
            {content}
        </article>
    }
}

fn card_body(
    answer: Result<ModelAccuracy, ClientError>,
    accuracy: Resource<Result<ModelAccuracy, ClientError>>,
    dash: Dashboard,
) -> AnyView {
    let answer = match answer {
        Ok(answer) => answer,
        Err(_) => {
            return view! {
                <p class="kpi__value kpi-model__empty" data-testid="model-accuracy-value">"—"</p>
                <p class="kpi__delta" data-tone="bad">"Could not be loaded"</p>
                <button type="button" class="link-button kpi-model__link" data-testid="retry"
                    on:click=move |_| accuracy.refetch()>"Retry"</button>
            }
            .into_any();
        }
    };
    let Some(job) = answer.job_id else {
        return no_forecast(dash);
    };
    // A forecast whose held-out days were all zero has no accuracy.
    let value = answer
        .accuracy
        .map_or_else(|| "n/a".to_owned(), |a| format!("{a:.1}%"));
    let model = answer.model.unwrap_or_else(|| "Forecast".to_owned());
    let when = answer
        .finished_at
        .as_deref()
        .map(|t| format!(" · {}", short_date(t)));
    view! {
        <p class="kpi__value" data-testid="model-accuracy-value"
            title="Backtest accuracy (100 − MAPE) of the latest revenue forecast for these regions and categories">
            {value}
        </p>
        <p class="kpi__delta kpi-model__note" data-tone="flat">{model}{when}</p>
        <A href=job_href(&job) attr:class="kpi-model__link" attr:data-testid="model-accuracy-link">"View"</A>
    }
    .into_any()
}

/// "No forecast yet", and for analysts a link to run one for these filters.
fn no_forecast(dash: Dashboard) -> AnyView {
    let link = use_current_user().may(Some(Role::Analyst)).then(|| {
        let href = dash.filters.with_untracked(|f| new_forecast_href(&f.regions, &f.categories));
        view! { <A href=href attr:class="kpi-model__link" attr:data-testid="model-accuracy-run">"Run one"</A> }
    });
    view! {
        <p class="kpi__value kpi-model__empty" data-testid="model-accuracy-value">"No forecast yet"</p>
        <p class="kpi__delta" data-tone="flat">"Revenue, for these filters"</p>
        {link}
    }
    .into_any()
}
