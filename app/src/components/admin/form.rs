//! The inline form below an admin list, and its fields.

use leptos::{ev::SubmitEvent, prelude::*};

use crate::{api::Role, components::form_error::FormError};

/// A one-row form: title, fields, submit button, and what went wrong.
#[component]
pub fn InlineForm(
    /// The form's heading.
    title: &'static str,
    /// The submit button's text.
    submit: &'static str,
    /// Called when the form is submitted (the default is prevented here).
    on_submit: impl Fn(SubmitEvent) + 'static,
    /// Why the last submission failed, if it did.
    error: Signal<Option<String>>,
    /// The fields.
    children: Children,
) -> impl IntoView {
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        on_submit(ev);
    };
    view! {
        <form class="form form--inline" on:submit=on_submit novalidate>
            <h3 class="form__title">{title}</h3>
            {children()}
            <button type="submit" class="button button--primary">{submit}</button>
            <FormError message=error wide=true/>
        </form>
    }
}

/// A required text input with its label.
#[component]
pub fn TextField(
    /// The label.
    label: &'static str,
    /// The input's `type`, if not text.
    #[prop(optional)]
    kind: Option<&'static str>,
    /// The input's `autocomplete`, if any.
    #[prop(optional)]
    autocomplete: Option<&'static str>,
    /// The value, bound both ways.
    value: RwSignal<String>,
) -> impl IntoView {
    view! {
        <label class="field"><span class="field__label">{label}</span>
            <input class="field__input" type=kind autocomplete=autocomplete bind:value=value required/></label>
    }
}

/// The role select with its label; `role` holds the chosen role's name.
#[component]
pub fn RoleField(
    /// The chosen role, bound both ways.
    role: RwSignal<String>,
) -> impl IntoView {
    view! {
        <label class="field"><span class="field__label">"Role"</span>
            <select class="field__input" bind:value=role>
                <RoleOptions/>
            </select></label>
    }
}

/// The role a [`RoleField`] holds (viewer if it holds none).
pub fn chosen_role(role: RwSignal<String>) -> Role {
    Role::parse(&role.get_untracked()).unwrap_or(Role::Viewer)
}

/// One `<option>` per role, `selected` marking the current one.
#[component]
pub fn RoleOptions(
    /// The role to pre-select, if any.
    #[prop(optional)]
    selected: Option<Role>,
) -> impl IntoView {
    Role::ALL
        .into_iter()
        .map(|role| view! { <option value=role.as_str() selected=Some(role) == selected>{role.as_str()}</option> })
        .collect_view()
}
