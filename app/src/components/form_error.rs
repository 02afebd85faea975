//! The lines under a form, a panel or a field that say what went wrong.

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

/// The line under one field saying what is wrong with it. It stays in the
/// page (hidden) while there is nothing to say, so the field can name it in
/// `aria-describedby`.
#[component]
pub fn FieldError(
    /// The text to show, if any.
    #[prop(into)]
    message: Signal<Option<String>>,
    /// The element's id, for the field's `aria-describedby`.
    id: &'static str,
) -> impl IntoView {
    view! {
        <p class="field__error" id=id data-testid=id aria-live="polite"
            hidden=move || message.with(Option::is_none)>
            {move || message.get()}
        </p>
    }
}
