//! The secret of a service account just created, shown once.

use leptos::prelude::*;

use crate::api::CreatedServiceAccount;

/// The new secret, with a copy button; it is not shown again.
#[component]
pub fn SecretOnce(
    /// The account just created, with its secret.
    created: CreatedServiceAccount,
    /// Called by the Done button.
    on_close: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let copied = RwSignal::new(false);
    let secret = created.client_secret.clone();
    let copy = move |_| {
        copy_to_clipboard(&secret);
        copied.set(true);
    };
    view! {
        <div class="secret" role="status" data-testid="new-secret">
            <p class="secret__title">{format!("Service account “{}” created", created.account.name)}</p>
            <p class="secret__hint">"Copy the secret now. It is shown only once and cannot be recovered."</p>
            <dl class="secret__values">
                <dt>"Client id"</dt><dd><code>{created.account.client_id.clone()}</code></dd>
                <dt>"Client secret"</dt><dd><code data-testid="secret-value">{created.client_secret.clone()}</code></dd>
            </dl>
            <div class="secret__actions">
                <button type="button" class="button button--primary" on:click=copy>
                    {move || if copied.get() { "Copied" } else { "Copy secret" }}
                </button>
                <button type="button" class="button button--ghost" on:click=move |_| on_close()>"Done"</button>
            </div>
        </div>
    }
}

fn copy_to_clipboard(text: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().clipboard().write_text(text);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = text;
}
