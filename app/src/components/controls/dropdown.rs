//! A button that opens a panel (closed by Escape, a click outside, or the
//! button again); [`super::multi_select`] builds a checkbox list on it.

use leptos::{ev::KeyboardEvent, prelude::*};

/// A disclosure button with a floating panel.
#[component]
pub fn Dropdown(
    /// The button's text (reactive).
    #[prop(into)]
    label: Signal<String>,
    /// Accessible name of the button, e.g. "Regions".
    name: &'static str,
    /// `data-testid` of the button.
    testid: &'static str,
    /// Aligns the panel with the button's right edge.
    #[prop(optional)]
    align_right: bool,
    /// The panel's content.
    children: ChildrenFn,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let button = NodeRef::<leptos::html::Button>::new();
    let on_key = move |ev: KeyboardEvent| {
        if ev.key() == "Escape" && open.get_untracked() {
            ev.prevent_default();
            open.set(false);
            // Focus was probably inside the panel, which is gone now.
            if let Some(button) = button.get_untracked() {
                let _ = button.focus();
            }
        }
    };
    let panel_class = if align_right {
        "dropdown__panel dropdown__panel--right"
    } else {
        "dropdown__panel"
    };
    view! {
        <div class="dropdown" class:dropdown--open=move || open.get() on:keydown=on_key>
            <button type="button" class="dropdown__button" aria-haspopup="true" node_ref=button
                aria-expanded=move || open.get().to_string() data-testid=testid
                aria-label=move || format!("{name}: {}", label.get())
                on:click=move |_| open.update(|o| *o = !*o)>
                <span class="dropdown__text">{move || label.get()}</span>
                <svg class="dropdown__chevron" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false"
                    fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
                    <path d="M6 9l6 6 6-6"/>
                </svg>
            </button>
            <Show when=move || open.get()>
                <div class="dropdown__backdrop" on:click=move |_| open.set(false)></div>
                <div class=panel_class role="group" aria-label=name>{children()}</div>
            </Show>
        </div>
    }
}
