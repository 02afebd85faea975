//! The 404 page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_location};

/// Shown for any path no route matches; the server answers it with 404.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let path = use_location().pathname;

    view! {
        <Title text="Page not found"/>
        <section class="not-found" data-testid="not-found">
            <p class="not-found__code" aria-hidden="true">"404"</p>
            <h1 class="not-found__title">"Page not found"</h1>
            <p class="not-found__text">
                "There is nothing at " <code>{move || path.get()}</code> ". "
                "It may have moved, or the link may be mistyped."
            </p>
            <A href="/" attr:class="button button--primary">"Back to the dashboard"</A>
        </section>
    }
}
