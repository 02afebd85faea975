//! The 403 page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::Role;

/// Shown when a page needs a higher role than the user has.
#[component]
pub fn ForbiddenPage(
    /// The role the page needs.
    minimum: Option<Role>,
) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::FORBIDDEN);
    }
    let needed = minimum.map_or("a different", Role::as_str);
    view! {
        <Title text="Not allowed"/>
        <section class="not-found" data-testid="forbidden">
            <p class="not-found__code" aria-hidden="true">"403"</p>
            <h1 class="not-found__title">"You don't have access to this page"</h1>
            <p class="not-found__text">
                "This page needs the " <strong>{needed}</strong> " role. "
                "Ask an administrator if you need it."
            </p>
            <A href="/" attr:class="button button--primary">"Back to the dashboard"</A>
        </section>
    }
}
