//! The filter bar: date range (presets or custom dates), regions,
//! categories, granularity, comparison and Standard/Advanced mode. Every
//! control writes the URL through [`Dashboard::update`]; nothing here fetches.

use leptos::prelude::*;

use super::{
    query::{Mode, ViewState},
    state::{use_dashboard, Dashboard},
};
use crate::{
    api::{Granularity, RangePreset},
    components::{
        controls::{
            date_field::DateField,
            multi_select::MultiSelect,
            segmented::{Choice, Segmented},
            toggle::Toggle,
        },
        dimensions::DimensionChoices,
        format::is_date,
        timing::{debounced, TYPING_PAUSE_MS},
    },
};

/// A range button: a preset, or the custom dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RangeChoice {
    Preset(RangePreset),
    Custom,
}

fn range_choices() -> Vec<Choice<RangeChoice>> {
    let preset = |p: RangePreset, label| Choice {
        value: RangeChoice::Preset(p),
        label,
        title: p.label(),
        code: p.code(),
    };
    vec![
        preset(RangePreset::Last7, "7D"),
        preset(RangePreset::Last30, "30D"),
        preset(RangePreset::Last90, "90D"),
        preset(RangePreset::Quarter, "QTD"),
        preset(RangePreset::Year, "YTD"),
        Choice {
            value: RangeChoice::Custom,
            label: "Custom",
            title: "Custom dates",
            code: "custom",
        },
    ]
}

/// The filter bar.
#[component]
pub fn FilterBar() -> impl IntoView {
    let dash = use_dashboard();
    let custom_open = RwSignal::new(false);
    let range = Signal::derive(move || {
        dash.view.with(|v| match v.filters.range {
            Some(preset) if !v.is_custom() && !custom_open.get() => RangeChoice::Preset(preset),
            _ => RangeChoice::Custom,
        })
    });
    let select_range = Callback::new(move |choice: RangeChoice| match choice {
        RangeChoice::Preset(preset) => {
            custom_open.set(false);
            dash.update(|v| {
                v.filters.range = Some(preset);
                v.filters.from = None;
                v.filters.to = None;
            });
        }
        RangeChoice::Custom => {
            custom_open.set(true);
            // Start from the period on screen, so nothing jumps.
            if let Some(period) = dash.period.get_untracked() {
                dash.update(|v| set_custom(v, period.from, period.to));
            }
        }
    });
    // The data's own values, fetched again when the data changes.
    let choices = DimensionChoices::new(move || dash.data_version.get());
    let regions = Signal::derive(move || dash.filters.with(|f| f.regions.clone()));
    let categories = Signal::derive(move || dash.filters.with(|f| f.categories.clone()));
    let is_default_filters = move || dash.filters.get() == ViewState::default().filters;

    view! {
        <section class="filter-bar card" aria-label="Filters" data-testid="filter-bar">
            <div class="filter-bar__row">
                <div class="filter-bar__group">
                    <span class="filter-bar__label" id="range-label">"Period"</span>
                    <Segmented label="Date range" testid="range" choices=range_choices() current=range on_select=select_range/>
                </div>
                <Show when=move || range.get() == RangeChoice::Custom>
                    <CustomDates/>
                </Show>
                <Toggle label="Compare with previous period" testid="filter-compare" on=Signal::from(dash.compare)
                    on_change=Callback::new(move |on| dash.update(|v| v.compare = on))/>
            </div>
            <div class="filter-bar__row">
                <div class="filter-bar__group">
                    <span class="filter-bar__label">"Segments"</span>
                    <MultiSelect title="Regions" name="regions" testid="filter-regions" options=choices.regions()
                        selected=regions
                        on_change=Callback::new(move |next| dash.update(|v| v.filters.regions = next))/>
                    <MultiSelect title="Categories" name="categories" testid="filter-categories"
                        options=choices.categories() selected=categories
                        on_change=Callback::new(move |next| dash.update(|v| v.filters.categories = next))/>
                    <Show when=move || !is_default_filters()>
                        <button type="button" class="button button--ghost filter-bar__reset" data-testid="filter-reset"
                            on:click=move |_| { custom_open.set(false); dash.update(|v| v.filters = ViewState::default().filters) }>
                            "Reset"
                        </button>
                    </Show>
                </div>
                <div class="filter-bar__group filter-bar__group--end">
                    <Segmented label="Granularity" testid="granularity" choices=Choice::each(Granularity::ALL.iter().copied(), Granularity::label, Granularity::code)
                        current=Signal::from(dash.granularity)
                        on_select=Callback::new(move |g| dash.update(|v| v.granularity = Some(g)))/>
                    <Segmented label="Mode" testid="mode" choices=Choice::each([Mode::Standard, Mode::Advanced], Mode::label, Mode::code) current=Signal::from(dash.mode)
                        on_select=Callback::new(move |m| dash.update(|v| v.mode = m))/>
                </div>
            </div>
        </section>
    }
}

fn set_custom(view: &mut ViewState, from: String, to: String) {
    view.filters.range = None;
    view.filters.from = Some(from);
    view.filters.to = Some(to);
}

/// Two date inputs, written to the URL [`TYPING_PAUSE_MS`] after the last change.
#[component]
fn CustomDates() -> impl IntoView {
    let dash = use_dashboard();
    let initial = dash.filters.get_untracked();
    let fallback = dash.period.get_untracked();
    let from = RwSignal::new(
        initial
            .from
            .or_else(|| fallback.as_ref().map(|p| p.from.clone()))
            .unwrap_or_default(),
    );
    let to = RwSignal::new(
        initial
            .to
            .or_else(|| fallback.map(|p| p.to))
            .unwrap_or_default(),
    );
    let problem = RwSignal::new(None::<&'static str>);
    // Follow the URL when it changes under us (another control, Back).
    Effect::new(move |_| {
        let filters = dash.filters.get();
        if let (Some(f), Some(t)) = (filters.from, filters.to) {
            from.set(f);
            to.set(t);
        }
    });
    let schedule = debounced(TYPING_PAUSE_MS, move || {
        commit(dash, from.get_untracked(), to.get_untracked(), problem)
    });

    view! {
        <div class="custom-dates" role="group" aria-label="Custom dates">
            <DateField label="From" testid="filter-from" value=from live=true
                on_change=move |day| { from.set(day); schedule(); }/>
            <DateField label="To" testid="filter-to" value=to live=true
                on_change=move |day| { to.set(day); schedule(); }/>
            {move || problem.get().map(|p| view! { <span class="custom-dates__problem" role="alert">{p}</span> })}
        </div>
    }
}

fn commit(dash: Dashboard, from: String, to: String, problem: RwSignal<Option<&'static str>>) {
    if !is_date(&from) || !is_date(&to) {
        problem.set(None);
    } else if from > to {
        problem.set(Some("The start date is after the end date."));
    } else {
        problem.set(None);
        dash.update(|v| set_custom(v, from, to));
    }
}
