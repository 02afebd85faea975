//! The sign-in page.

use leptos::{ev::SubmitEvent, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    access::safe_next,
    components::{
        api_action::api_action,
        error_text::{failure_text, sign_in_message},
        form_error::FormError,
        icons::Icon,
    },
    session::go_to,
};

/// `/login`: email and password; on success, back to the page asked for
/// (local paths only). Errors are shown inline and never say whether the
/// email exists.
#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || safe_next(query.read().get("next").as_deref());
    let expired = move || query.read().get("expired").is_some();

    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    // On success the browser goes on to `next`; the form stays busy meanwhile.
    let login = api_action(
        |client, (email, password, next): (String, String, String)| async move {
            let signed_in = client.login(&email, &password).await;
            if signed_in.is_ok() {
                go_to(&next);
            }
            signed_in
        },
    );
    let (pending, answer) = (login.pending(), login.value());
    let busy = move || pending.get() || answer.with(|v| matches!(v, Some(Ok(_))));
    let error = failure_text(login, sign_in_message);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if untrack(busy) {
            return;
        }
        login.dispatch((email.get_untracked(), password.get_untracked(), next()));
    };

    view! {
        <Title text="Sign in"/>
        <section class="login">
            <div class="card login__card">
                <div class="login__brand">
                    <span class="brand__mark" aria-hidden="true">{Icon::Logo.view()}</span>
                    <h1 class="login__title">"Sign in to Tessera"</h1>
                </div>
                <Show when=expired>
                    <p class="notice" role="status" data-testid="session-expired">
                        "Your session has expired. Please sign in again."
                    </p>
                </Show>
                <form class="form" on:submit=submit novalidate>
                    <label class="field">
                        <span class="field__label">"Email"</span>
                        <input class="field__input" type="email" name="email" autocomplete="username"
                            required bind:value=email/>
                    </label>
                    <label class="field">
                        <span class="field__label">"Password"</span>
                        <input class="field__input" type="password" name="password"
                            autocomplete="current-password" required bind:value=password/>
                    </label>
                    <FormError message=error testid="login-error"/>
                    <button type="submit" class="button button--primary button--block" disabled=busy>
                        {move || if busy() { "Signing in…" } else { "Sign in" }}
                    </button>
                </form>
            </div>
        </section>
    }
}
