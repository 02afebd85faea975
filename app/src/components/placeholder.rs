//! A designed empty state for capabilities that are on their way.

use leptos::prelude::*;

use super::icons::Icon;

/// Explains what a page will offer, with the features as a list.
#[component]
pub fn ComingSoon(
    /// The page's icon.
    icon: Icon,
    /// One-sentence summary.
    summary: &'static str,
    /// What the page will offer.
    features: &'static [&'static str],
) -> impl IntoView {
    view! {
        <section class="card empty-state">
            <div class="empty-state__icon" aria-hidden="true">{icon.view()}</div>
            <p class="empty-state__summary">{summary}</p>
            <ul class="empty-state__list">
                {features.iter().map(|f| view! { <li>{*f}</li> }).collect_view()}
            </ul>
            <span class="badge">"Coming soon"</span>
        </section>
    }
}
