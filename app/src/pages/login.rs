//! The sign-in page.

use leptos::{ev::SubmitEvent, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    access::safe_next,
    api::{api_client, ClientError},
    components::icons::Icon,
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
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        let (email, password, next) = (email.get_untracked(), password.get_untracked(), next());
        leptos::task::spawn_local(async move {
            match api_client().login(&email, &password).await {
                Ok(_) => go_to(&next),
                Err(e) => {
                    error.set(Some(message(&e)));
                    pending.set(false);
                }
            }
        });
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
                    <Show when=move || error.get().is_some()>
                        <p class="form__error" role="alert" data-testid="login-error">{move || error.get()}</p>
                    </Show>
                    <button type="submit" class="button button--primary button--block" disabled=move || pending.get()>
                        {move || if pending.get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </form>
            </div>
        </section>
    }
}

fn message(error: &ClientError) -> String {
    match error {
        ClientError::Api { status: 401, .. } => {
            "That email and password don't match an account.".into()
        }
        ClientError::Api { status: 400, .. } => "Enter your email and password.".into(),
        ClientError::Api { status: 429, body } => body.message.clone(),
        ClientError::Api { .. } | ClientError::Decode(_) => {
            "Signing in failed on the server. Please try again.".into()
        }
        ClientError::Network(_) => {
            "Tessera can't be reached. Check your connection and try again.".into()
        }
    }
}
