//! The forecast form: metric, horizon, interval, weekends and the data to
//! forecast. Nothing is sent until "Run forecast"; problems are shown next
//! to their field, the browser's checks (which only explain the server's
//! rules early) and the server's answer alike.

use std::collections::BTreeMap;

use leptos::{ev::SubmitEvent, prelude::*};

use super::{draft::Draft, state::use_forecast};
use crate::{
    api::{ForecastMetric, ForecastRequest},
    components::{
        api_action::api_action,
        controls::{
            multi_select::MultiSelect,
            segmented::{Choice, Segmented},
            toggle::Toggle,
        },
        dimensions::DimensionChoices,
        error_text::{field_problems, problem},
        form_error::{FieldError, FormError},
    },
};

/// The fields the form shows problems next to (the API's names).
const FIELDS: [&str; 6] = [
    "target_metric",
    "horizon_days",
    "confidence",
    "include_weekends",
    "regions",
    "categories",
];

/// The form's values.
#[derive(Debug, Clone, Copy)]
struct Values {
    metric: RwSignal<String>,
    horizon: RwSignal<String>,
    confidence: RwSignal<i64>,
    weekends: RwSignal<bool>,
    regions: RwSignal<Vec<String>>,
    categories: RwSignal<Vec<String>>,
}

impl Values {
    fn draft(self) -> Draft {
        Draft {
            metric: self.metric.get(),
            horizon: self.horizon.get(),
            confidence: self.confidence.get(),
            weekends: self.weekends.get(),
            regions: self.regions.get(),
            categories: self.categories.get(),
        }
    }
}

/// The form's values and what is wrong with them, shared by its fields.
#[derive(Debug, Clone, Copy)]
struct Fields {
    values: Values,
    /// The browser's checks.
    local: Memo<BTreeMap<&'static str, String>>,
    /// The server's word on each field, until that field is edited.
    server: RwSignal<BTreeMap<String, String>>,
}

impl Fields {
    /// The default form (a 30-day revenue forecast with a 90% interval)
    /// for these regions and categories.
    fn new(regions: Vec<String>, categories: Vec<String>) -> Self {
        let values = Values {
            metric: RwSignal::new(ForecastMetric::Revenue.code().to_owned()),
            horizon: RwSignal::new("30".to_owned()),
            confidence: RwSignal::new(90),
            weekends: RwSignal::new(true),
            regions: RwSignal::new(regions),
            categories: RwSignal::new(categories),
        };
        Self {
            values,
            local: Memo::new(move |_| values.draft().problems()),
            server: RwSignal::new(BTreeMap::new()),
        }
    }

    /// The problem shown next to `field`: the browser's, else the server's.
    fn problem(self, field: &'static str) -> Signal<Option<String>> {
        Signal::derive(move || {
            self.local
                .with(|l| l.get(field).cloned())
                .or_else(|| self.server.with(|s| s.get(field).cloned()))
        })
    }

    /// `aria-invalid` of `field`'s control.
    fn invalid(self, field: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
        move || self.problem(field).with(Option::is_some).to_string()
    }

    /// `field` was edited: the server's word on it no longer applies.
    fn edited(self, field: &'static str) {
        self.server.update(|s| {
            s.remove(field);
        });
    }
}

/// The form.
#[component]
pub fn ForecastForm() -> impl IntoView {
    let state = use_forecast();
    let start = state.view.get_untracked();
    let fields = Fields::new(start.regions, start.categories);
    let run = api_action(move |client, request: ForecastRequest| async move {
        let answer = client.submit_forecast(&request).await;
        match &answer {
            Ok(submitted) => {
                let id = submitted.job.id.clone();
                state.reused.set(submitted.deduplicated.then(|| id.clone()));
                state.show(id);
                reveal_job();
            }
            Err(error) => fields.server.set(field_problems(error)),
        }
        answer
    });
    let pending = run.pending();
    let invalid = move || !fields.local.with(BTreeMap::is_empty);
    // What the fields do not show: a full queue, a network failure, …
    let other_problem = Signal::derive(move || {
        if pending.get() {
            return None;
        }
        let error = run.value().get()?.err()?;
        let named = field_problems(&error);
        let all_shown = !named.is_empty() && named.keys().all(|k| FIELDS.contains(&k.as_str()));
        (!all_shown).then(|| problem(&error))
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() || untrack(invalid) {
            return;
        }
        fields.server.set(BTreeMap::new());
        run.dispatch(untrack(|| fields.values.draft()).request());
    };

    view! {
        <section class="card forecast-form" aria-labelledby="forecast-form-title" data-testid="forecast-form">
            <header class="card__header dash-card__header">
                <div>
                    <h2 id="forecast-form-title" class="card__title">"New forecast"</h2>
                    <p class="dash-card__subtitle">"Runs in the background: you can leave this page and come back to it."</p>
                </div>
            </header>
            <form class="forecast-form__grid" on:submit=on_submit novalidate>
                <MetricField fields/>
                <HorizonField fields/>
                <IntervalFields fields/>
                <ScopeFields fields/>
                <div class="forecast-form__submit">
                    <button type="submit" class="button button--primary" data-testid="forecast-submit"
                        disabled=move || pending.get() || invalid()>
                        {move || if pending.get() { "Starting…" } else { "Run forecast" }}
                    </button>
                </div>
                <FormError message=other_problem wide=true testid="forecast-error"/>
            </form>
        </section>
    }
}

/// Brings the job's card into view when it starts below the middle of the
/// screen (phones): its progress is what comes next.
fn reveal_job() {
    #[cfg(feature = "hydrate")]
    {
        let card = document()
            .get_element_by_id("forecast-job-title")
            .and_then(|title| title.parent_element());
        let Some(card) = card else {
            return;
        };
        let height = window()
            .inner_height()
            .ok()
            .and_then(|h| h.as_f64())
            .unwrap_or(0.0);
        if card.get_bounding_client_rect().top() > height / 2.0 {
            card.scroll_into_view();
        }
    }
}

#[component]
fn MetricField(fields: Fields) -> impl IntoView {
    let metric = fields.values.metric;
    view! {
        <div class="field">
            <label class="field__label" for="forecast-metric">"Target metric"</label>
            <select class="field__input" id="forecast-metric" data-testid="forecast-metric" aria-describedby="forecast-error-target_metric"
                aria-invalid=fields.invalid("target_metric") prop:value=move || metric.get()
                on:change=move |ev| { metric.set(event_target_value(&ev)); fields.edited("target_metric"); }>
                <option value="">"Choose a metric…"</option>
                {ForecastMetric::ALL.iter().map(|m| view! {
                    <option value=m.code() selected=m.code() == metric.get_untracked()>{m.label()}</option>
                }).collect_view()}
            </select>
            <FieldError message=fields.problem("target_metric") id="forecast-error-target_metric"/>
        </div>
    }
}

#[component]
fn HorizonField(fields: Fields) -> impl IntoView {
    let horizon = fields.values.horizon;
    view! {
        <div class="field">
            <label class="field__label" for="forecast-horizon">"Horizon"</label>
            <span class="field__affix">
                <input class="field__input" id="forecast-horizon" type="number" inputmode="numeric" min="7" max="90" step="1"
                    data-testid="forecast-horizon" aria-describedby="forecast-error-horizon_days"
                    aria-invalid=fields.invalid("horizon_days") prop:value=move || horizon.get()
                    on:input=move |ev| { horizon.set(event_target_value(&ev)); fields.edited("horizon_days"); }/>
                <span class="field__suffix" aria-hidden="true">"days"</span>
            </span>
            <FieldError message=fields.problem("horizon_days") id="forecast-error-horizon_days"/>
        </div>
    }
}

/// The interval's width and whether weekends count.
#[component]
fn IntervalFields(fields: Fields) -> impl IntoView {
    let choice = |value: i64, label: &'static str, code: &'static str| Choice {
        value,
        label,
        title: "Share of future values the shaded band should contain",
        code,
    };
    let choices = vec![
        choice(80, "80%", "80"),
        choice(90, "90%", "90"),
        choice(95, "95%", "95"),
    ];
    let (confidence, weekends) = (fields.values.confidence, fields.values.weekends);
    view! {
        <div class="field">
            <span class="field__label">"Prediction interval"</span>
            <Segmented label="Prediction interval" testid="forecast-confidence" choices
                current=Signal::from(confidence)
                on_select=Callback::new(move |c| { confidence.set(c); fields.edited("confidence"); })/>
            <FieldError message=fields.problem("confidence") id="forecast-error-confidence"/>
        </div>
        <div class="field">
            <span class="field__label">"Days"</span>
            <Toggle label="Include weekends" testid="forecast-weekends" on=Signal::from(weekends)
                on_change=Callback::new(move |on| { weekends.set(on); fields.edited("include_weekends"); })/>
            <FieldError message=fields.problem("include_weekends") id="forecast-error-include_weekends"/>
        </div>
    }
}

/// Which regions and categories the forecast covers.
#[component]
fn ScopeFields(fields: Fields) -> impl IntoView {
    let (regions, categories) = (fields.values.regions, fields.values.categories);
    // The data's own values, fetched once per page.
    let choices = DimensionChoices::new(|| 0);
    view! {
        <div class="field">
            <span class="field__label">"Regions"</span>
            <MultiSelect title="Regions" name="regions" testid="forecast-regions" options=choices.regions()
                selected=Signal::from(regions)
                on_change=Callback::new(move |next| { regions.set(next); fields.edited("regions"); })/>
            <FieldError message=fields.problem("regions") id="forecast-error-regions"/>
        </div>
        <div class="field">
            <span class="field__label">"Categories"</span>
            <MultiSelect title="Categories" name="categories" testid="forecast-categories"
                options=choices.categories() selected=Signal::from(categories)
                on_change=Callback::new(move |next| { categories.set(next); fields.edited("categories"); })/>
            <FieldError message=fields.problem("categories") id="forecast-error-categories"/>
        </div>
    }
}

/// Shown instead of the form to viewers.
#[component]
pub fn ViewerNote() -> impl IntoView {
    view! {
        <section class="card forecast-note" data-testid="forecast-viewer-note">
            <p class="forecast-note__title">"Forecasts are run by analysts"</p>
            <p class="forecast-note__text">
                "Running a forecast needs the analyst role. The dashboard's Model accuracy card shows how \
                 the latest revenue forecast for your filters performed; ask an analyst or an administrator \
                 if you need a new one."
            </p>
        </section>
    }
}
