//! An on/off switch announcing its state with `aria-pressed`.

use leptos::prelude::*;

/// An on/off button, drawn as a switch.
#[component]
pub fn Toggle(
    /// Visible label.
    label: &'static str,
    /// `data-testid`.
    testid: &'static str,
    /// Whether it is on.
    on: Signal<bool>,
    /// Called with the new state.
    on_change: Callback<bool>,
) -> impl IntoView {
    view! {
        <button type="button" class="toggle" aria-pressed=move || on.get().to_string() data-testid=testid
            on:click=move |_| on_change.run(!on.get_untracked())>
            <span class="toggle__track" aria-hidden="true"><span class="toggle__thumb"></span></span>
            <span class="toggle__label">{label}</span>
        </button>
    }
}
