//! A checkbox multi-select over values that come from the data (regions,
//! categories): any text, shown as it is, listed in the order given.

use leptos::prelude::*;

use super::dropdown::Dropdown;

/// Lists longer than this get a filter box above them.
const FILTER_FROM: usize = 8;

/// A checkbox list of text values in a [`Dropdown`]; nothing ticked means
/// "all". A ticked value the options do not hold (an old link, a value no
/// longer in the data) is still listed, so it can be unticked.
#[component]
pub fn MultiSelect(
    /// Accessible name, e.g. "Regions".
    title: &'static str,
    /// The plural in the button label, e.g. "regions".
    name: &'static str,
    /// `data-testid` of the button; each checkbox is `{testid}-option`
    /// with its value in `data-value`.
    testid: &'static str,
    /// Every value offered, in display order.
    #[prop(into)]
    options: Signal<Vec<String>>,
    /// The ticked values.
    selected: Signal<Vec<String>>,
    /// Called with the new selection (sorted, without duplicates).
    on_change: Callback<Vec<String>>,
) -> impl IntoView {
    let search = RwSignal::new(String::new());
    let button_label = Signal::derive(move || {
        selected.with(|s| match s.as_slice() {
            [] => format!("All {name}"),
            [one] => one.clone(),
            many if options.with(|o| !o.is_empty() && o.iter().all(|v| many.contains(v))) => {
                format!("All {name}")
            }
            many => format!("{} {name}", many.len()),
        })
    });
    let listed = move || {
        let mut all = options.get();
        selected.with(|s| {
            all.extend(
                s.iter()
                    .filter(|v| !all.contains(v))
                    .cloned()
                    .collect::<Vec<_>>(),
            )
        });
        all
    };
    let shown = move || {
        let needle = search.with(|s| s.trim().to_lowercase());
        listed()
            .into_iter()
            .filter(|v| needle.is_empty() || v.to_lowercase().contains(&needle))
            .collect::<Vec<_>>()
    };
    let toggle = move |value: String| {
        let mut next = selected.get_untracked();
        match next.iter().position(|s| *s == value) {
            Some(at) => {
                next.remove(at);
            }
            None => next.push(value),
        }
        // The URL's canonical order, so equal selections are equal values.
        next.sort();
        next.dedup();
        on_change.run(next);
    };
    view! {
        <Dropdown label=button_label name=title testid>
            <Show when=move || options.with(|o| o.len() > FILTER_FROM)>
                <input type="search" class="field__input checklist__search" placeholder="Filter…"
                    aria-label=format!("Filter {name}") data-testid=format!("{testid}-search")
                    prop:value=move || search.get() on:input=move |ev| search.set(event_target_value(&ev))/>
            </Show>
            <div class="checklist" class:checklist--scroll=move || options.with(|o| o.len() > FILTER_FROM)>
                {move || {
                    let values = shown();
                    if values.is_empty() {
                        let text = if search.with(String::is_empty) { "None in the data yet" } else { "No match" };
                        return view! { <p class="checklist__empty">{text}</p> }.into_any();
                    }
                    values.into_iter().map(|value| {
                        let ticked = value.clone();
                        let pressed = value.clone();
                        view! {
                            <label class="checklist__item">
                                <input type="checkbox" data-testid=format!("{testid}-option") data-value=value.clone()
                                    prop:checked=move || selected.with(|s| s.contains(&ticked))
                                    on:change=move |_| toggle(pressed.clone())/>
                                <span class="checklist__text">{value}</span>
                            </label>
                        }
                    }).collect_view().into_any()
                }}
            </div>
            <div class="checklist__footer">
                <button type="button" class="button button--ghost" data-testid=format!("{testid}-all")
                    disabled=move || selected.with(Vec::is_empty)
                    on:click=move |_| on_change.run(Vec::new())>
                    "Show all"
                </button>
            </div>
        </Dropdown>
    }
}
