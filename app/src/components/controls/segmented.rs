//! A segmented button group: mutually exclusive options, the selected one
//! announced with `aria-pressed`.

use leptos::prelude::*;

/// One option of a [`Segmented`] group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice<T> {
    /// The value it selects.
    pub value: T,
    /// Its visible label.
    pub label: &'static str,
    /// Its full name (tooltip and accessible name), if the label is short.
    pub title: &'static str,
    /// Suffix of its `data-testid` (`{group}-{code}`).
    pub code: &'static str,
}

impl<T: Copy> Choice<T> {
    /// One option per item, its label also its full name.
    pub fn each(
        items: impl IntoIterator<Item = T>,
        label: fn(T) -> &'static str,
        code: fn(T) -> &'static str,
    ) -> Vec<Self> {
        items
            .into_iter()
            .map(|value| Choice {
                value,
                label: label(value),
                title: label(value),
                code: code(value),
            })
            .collect()
    }
}

/// A row of mutually exclusive buttons.
#[component]
pub fn Segmented<T>(
    /// The group's accessible name.
    label: &'static str,
    /// `data-testid` prefix.
    testid: &'static str,
    /// The options.
    choices: Vec<Choice<T>>,
    /// The selected value.
    current: Signal<T>,
    /// Called with the pressed option's value.
    on_select: Callback<T>,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    view! {
        <div class="segmented" role="group" aria-label=label>
            {choices.into_iter().map(|choice| {
                let pressed = move || current.get() == choice.value;
                view! {
                    <button type="button" class="segmented__item" aria-pressed=move || pressed().to_string()
                        title=choice.title aria-label=choice.title data-testid=format!("{testid}-{}", choice.code)
                        on:click=move |_| on_select.run(choice.value)>
                        {choice.label}
                    </button>
                }
            }).collect_view()}
        </div>
    }
}
