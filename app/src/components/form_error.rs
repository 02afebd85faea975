//! The line under a form or panel that says what went wrong.

use leptos::prelude::*;

/// The error message, announced as an alert; nothing while there is none.
#[component]
pub fn FormError(
    /// The text to show, if any (see [`super::error_text`]).
    #[prop(into)]
    message: Signal<Option<String>>,
    /// Spans the whole row of an inline form.
    #[prop(optional)]
    wide: bool,
    /// `data-testid` of the message, if it has one.
    #[prop(optional)]
    testid: Option<&'static str>,
) -> impl IntoView {
    let class = if wide {
        "form__error form__error--wide"
    } else {
        "form__error"
    };
    view! {
        <Show when=move || message.with(Option::is_some)>
            <p class=class role="alert" data-testid=testid>{move || message.get()}</p>
        </Show>
    }
}
