//! A labelled date input, as the dashboard's and the audit log's date
//! ranges use it.

use leptos::prelude::*;

/// A compact `<input type="date">` with its label.
#[component]
pub fn DateField(
    /// The visible label, e.g. "From".
    label: &'static str,
    /// `data-testid` of the input.
    testid: &'static str,
    /// The date shown (`YYYY-MM-DD`, or empty).
    #[prop(into)]
    value: Signal<String>,
    /// Reports every edit (`input` events) rather than only committed
    /// values (`change` events).
    #[prop(optional)]
    live: bool,
    /// Called with the input's new value.
    on_change: impl Fn(String) + Copy + 'static,
) -> impl IntoView {
    view! {
        <label class="custom-dates__field">
            <span>{label}</span>
            <input type="date" class="field__input field__input--compact" data-testid=testid
                prop:value=move || value.get()
                on:input=move |ev| if live { on_change(event_target_value(&ev)) }
                on:change=move |ev| if !live { on_change(event_target_value(&ev)) }/>
        </label>
    }
}
